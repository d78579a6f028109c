import Foundation

/// A group of the machine the tests run on, for tests that name one in a config
/// (`socket_group`, `admin_group`).
///
/// Debian's base-passwd has every candidate; `.ci/run` creates `users` and `staff` if a trimmed
/// image lacks them, so CI always runs these tests.
public enum SystemGroup {
    /// The first of `names` that exists here, with its gid; `nil` when none does.
    public static func first(of names: [String]) -> (name: String, gid: gid_t)? {
        for name in names {
            if let entry = getgrnam(name) { return (name, entry.pointee.gr_gid) }
        }
        return nil
    }

    /// Why a test needing one of `names` cannot run here, or `nil` when one exists.
    public static func skipReason(_ names: [String]) -> String? {
        first(of: names) == nil
            ? "needs one of the groups \(names.joined(separator: ", ")) on this machine (.ci/run creates users and staff)"
            : nil
    }
}
