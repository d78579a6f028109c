/// The release of receptiond this build is: the one place it is written.
///
/// `receptiond --version`, `receptionctl --version`, `reception-bench --version` and
/// `daemon.status`'s `version` all print this.
public enum ReceptionVersion {
    /// The version, `major.minor.patch`.
    public static let current = "0.1.0"
}
