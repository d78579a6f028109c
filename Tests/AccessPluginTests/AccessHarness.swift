import Foundation
import ReceptionPluginTesting

@testable import AccessPlugin

/// The access department in-process (`ReceptionPluginTesting`): what the rule tests' desk does
/// often. Dates are the harness clock's, in this process's time zone, as the plugin reads them.
extension PluginHarness where Plugin == AccessPlugin {
    /// Today on the harness clock.
    var today: CivilDate { CivilDate(localDateOf: clock.now) }

    /// `YYYY-MM-DD` of today plus `months`, then `days`, on the harness clock.
    func date(months: Int = 0, days: Int = 0) -> String {
        (today.adding(months: months)?.adding(days: days) ?? today).description
    }

    /// An ISO 8601 time `seconds` after the harness clock's now.
    func time(inSeconds seconds: Double) -> String { Timestamp.format(clock.now.addingTimeInterval(seconds)) }

    /// `access.badges.issue` with the usual defaults for `kind` (see ``AccessParams/issue``).
    @discardableResult
    func issue(
        _ kind: String, holder: String = "王芳", idNumber: String = "110101199003071234", unit: String = "3-2-1201",
        validUntil: String? = nil, with extra: [String: JSONValue] = [:]
    ) throws(RPCError) -> JSONValue {
        try call("access.badges.issue", issueParams(kind, holder, idNumber, unit, validUntil, extra))
    }

    /// The error `access.badges.issue` answers with; a test failure when it succeeds.
    func issueError(
        _ kind: String, holder: String = "王芳", idNumber: String = "110101199003071234", unit: String = "3-2-1201",
        validUntil: String? = nil, with extra: [String: JSONValue] = [:]
    ) throws -> RPCError {
        try callError("access.badges.issue", issueParams(kind, holder, idNumber, unit, validUntil, extra))
    }

    private func issueParams(
        _ kind: String, _ holder: String, _ idNumber: String, _ unit: String, _ validUntil: String?,
        _ extra: [String: JSONValue]
    ) -> JSONValue {
        AccessParams.issue(kind, holder, idNumber, unit, validUntil, extra) { date(months: $0, days: $1) }
    }

    /// `access.keys.register` of a key for a unit.
    @discardableResult
    func register(
        _ tag: String, category: String = "vacant_unit", unit: String = "3-2-1202", building: String = "3",
        hook: String = "A-01"
    ) throws(RPCError) -> JSONValue {
        try call(
            "access.keys.register",
            AccessParams.key(tag, category: category, unit: unit, building: building, hook: hook))
    }

    /// `access.keys.checkout` params for a staff borrower, due back in two hours on the harness clock.
    func staffLoan(_ tag: String, borrower: String = "维修 陈师傅") -> JSONValue {
        AccessParams.staffLoan(tag, borrower: borrower, dueBack: time(inSeconds: 7200))
    }

    /// `access.keys.checkout` params for an external borrower with an identity card and a deposit.
    func externalLoan(
        _ tag: String, idNumber: String = "320102198807154321", deposit: Int64 = 5000,
        extra: [String: JSONValue] = [:]
    ) -> JSONValue {
        AccessParams.externalLoan(
            tag, idNumber: idNumber, deposit: deposit, dueBack: time(inSeconds: 7200), extra: extra)
    }

    /// How many rows `table` holds.
    func count(_ table: String) throws -> Int64 {
        try query("SELECT count(*) AS n FROM \(table)").first?.int("n") ?? -1
    }
}
