import ReceptionTestSupport
import Testing

/// Issue 10's fault suite: the real `receptiond` binary on a real socket and a real SQLite file,
/// attacked as a hostile or buggy local client would, and killed with real signals.
///
/// Every case is a suite nested in this one (`extension FaultSuite { @Suite struct ... }`), so
/// the cases run one after another: they measure memory and latency on a 2-core machine, and two
/// of them at once would spoil each other's figures. Each case reads its counts from
/// ``SuiteMode`` (short by default, `RECEPTIOND_SOAK=1` for a soak) and states its figures with
/// ``Figures`` (`fault-suite: <case>: key=value ...`).
@Suite("Fault suite (issue 10)", .serialized)
struct FaultSuite {
    /// A case's time limit: generous in the short mode (CI machines are slow), hours in a soak.
    static let timeLimit: TimeLimitTrait = .timeLimit(SuiteMode.current.pick(short: .minutes(5), soak: .minutes(180)))
}
