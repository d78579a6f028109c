import Foundation

/// A seeded pseudo-random generator (SplitMix64), so a failing fuzz input or kill moment can be
/// replayed: every case prints its seed, and `RECEPTIOND_FAULT_SEED=<n>` sets it.
struct SeededRandom: RandomNumberGenerator {
    /// The environment variable that fixes the seed.
    static let seedVariable = "RECEPTIOND_FAULT_SEED"

    /// The seed of this run: from the environment, else fresh.
    static var runSeed: UInt64 {
        ProcessInfo.processInfo.environment[seedVariable].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
    }

    private var state: UInt64

    /// A generator starting at `seed`.
    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A directory of the test's own (a state directory the daemon is restarted on), removed when
/// the value goes away.
final class ScratchDirectory {
    /// The directory.
    let path: String

    /// Creates a fresh directory under the temporary directory; `prefix` keeps paths short.
    init(prefix: String = "fs") throws {
        path =
            FileManager.default.temporaryDirectory.path + "/\(prefix)-"
            + String(UUID().uuidString.prefix(8)).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
