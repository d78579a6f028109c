import Foundation
import ReceptionTestSupport
import Testing

/// Tests that need something of the machine run only where it is there, and otherwise show as
/// skipped with the reason. CI runs as root on Debian with everything they need (`.ci/run`).
extension Trait where Self == ConditionTrait {
    /// `receptionctl` can run as uid 65534 (root, `setpriv`, traversable directories).
    static var otherUserCanConnect: Self {
        .enabled(if: OtherUser.skipReason == nil, Comment(rawValue: OtherUser.skipReason ?? ""))
    }

    /// One of `names` is a group of this machine (see ``SystemGroup``).
    static func groupExists(_ names: [String]) -> Self {
        .enabled(if: SystemGroup.first(of: names) != nil, Comment(rawValue: SystemGroup.skipReason(names) ?? ""))
    }
}
