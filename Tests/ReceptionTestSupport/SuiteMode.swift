import Foundation

/// How hard the fault suite (`FaultSuiteTests`) pushes: `short` by default, so the README's test
/// command stays quick, and `soak` when the environment has `RECEPTIOND_SOAK=1` (more rounds, more
/// inputs, longer durations). Every case reads its counts from here, never from its own constants,
/// so one switch turns the whole suite into a soak.
///
/// ```swift
/// let rounds = SuiteMode.current.pick(short: 3, soak: 30)
/// ```
public enum SuiteMode: String, Sendable {
    /// The default: each case runs a few rounds, in seconds.
    case short
    /// `RECEPTIOND_SOAK=1`: each case runs ten to a hundred times longer.
    case soak

    /// The environment variable that selects ``soak``.
    public static let soakVariable = "RECEPTIOND_SOAK"

    /// The mode of this test run, from the environment.
    public static var current: SuiteMode {
        ProcessInfo.processInfo.environment[soakVariable] == "1" ? .soak : .short
    }

    /// Whether this run is a soak.
    public var isSoak: Bool { self == .soak }

    /// `short` in the short mode, `soak` in the soak mode.
    public func pick<T>(short: T, soak: T) -> T {
        self == .soak ? soak : short
    }
}
