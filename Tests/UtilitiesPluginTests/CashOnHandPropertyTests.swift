import Foundation
import ReceptionPluginTesting
import Testing

@testable import UtilitiesPlugin

/// Long random sequences of the desk's work, in-process: whatever happens, what the daemon says
/// the desk holds is what came in minus what went out, to the fen, and every card is where its
/// request's status says. Run one seed again with `UTILITIES_PROPERTY_SEED=<seed>`.
@Suite("utilities rules: cash on hand is the sum of every cash movement (property)")
struct CashOnHandPropertyTests {
    /// The seeds run by default; each runs ``steps`` operations.
    static let seeds: [UInt64] =
        ProcessInfo.processInfo.environment["UTILITIES_PROPERTY_SEED"].flatMap(UInt64.init)
        .map { [$0] } ?? [1, 2, 3, 4, 20_261_205]
    /// Operations per seed.
    static let steps = 600

    @Test(
        "Random requests, cancels, batches, returns, collections and refused operations keep the books balanced",
        arguments: seeds)
    func balancedAfterEveryStep(seed: UInt64) throws {
        var walk = try CashWalk(seed: seed)
        for step in 1...Self.steps {
            let operation: String
            do {
                operation = try walk.step()
            } catch {
                Issue.record("seed \(seed), step \(step): \(error)")
                return
            }
            let problems = try walk.check()
            #expect(problems.isEmpty, "seed \(seed), step \(step) (\(operation)): \(problems.joined(separator: "; "))")
            if !problems.isEmpty { return }
        }
        // A final full comparison with the register, every request.
        let problems = try walk.checkRegister()
        #expect(problems.isEmpty, "seed \(seed), at the end: \(problems.joined(separator: "; "))")
        #expect(walk.counts.values.reduce(0, +) == Self.steps, "seed \(seed)")
        for kind in ["request", "cancel", "batch", "return", "collect", "refused"] {
            #expect((walk.counts[kind] ?? 0) > 0, "seed \(seed): no \(kind) in \(walk.counts)")
        }
    }
}
