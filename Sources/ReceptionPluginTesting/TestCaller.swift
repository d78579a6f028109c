import Foundation
import ReceptionPluginSDK

/// Who calls in a harness: a role, a workstation and an operator, as `daemon.hello` and the
/// socket's peer credentials would make them.
public struct TestCaller: Sendable, Equatable {
    /// `operator`, `admin` or `system`.
    public var role: String
    /// The person at the counter (`nil`: the connection never said `daemon.hello`).
    public var `operator`: String?
    /// The counter workstation.
    public var workstation: String?
    /// The peer's user id.
    public var uid: Int

    /// Creates a caller.
    public init(role: String, operator: String? = nil, workstation: String? = "desk-1", uid: Int = 1000) {
        self.role = role
        self.operator = `operator`
        self.workstation = workstation
        self.uid = uid
    }

    /// An operator at the counter.
    public static func `operator`(_ name: String?, workstation: String? = "desk-1", uid: Int = 1000) -> TestCaller {
        TestCaller(role: "operator", operator: name, workstation: workstation, uid: uid)
    }

    /// An admin (root or the admin group).
    public static func admin(_ name: String? = "admin", workstation: String? = "desk-1") -> TestCaller {
        TestCaller(role: "admin", operator: name, workstation: workstation, uid: 0)
    }

    /// The daemon itself, as background work calls.
    public static let system = TestCaller(role: "system", operator: nil, workstation: nil, uid: 0)
}

/// A clock a test controls: every call reads it as its `now`.
public final class TestClock: @unchecked Sendable {
    // Read and written only by the test's thread (the harness runs calls on the caller's thread).
    /// The current time.
    public var now: Date

    /// A clock at `now` (default: 2026-12-06T10:00:00+08:00).
    public init(now: Date = Date(timeIntervalSince1970: 1_796_522_400)) { self.now = now }

    /// Moves the clock on.
    public func advance(by seconds: TimeInterval) { now = now.addingTimeInterval(seconds) }

    /// Moves the clock on by whole days.
    public func advance(days: Int) { advance(by: Double(days) * 86_400) }
}
