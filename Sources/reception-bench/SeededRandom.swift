/// A small, fast, seedable generator (SplitMix64), so that `seed --seed 42` writes the same
/// rows every time and every connection of a run draws its own repeatable sequence.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator starting from `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random index below `count` (which must be positive).
    mutating func index(_ count: Int) -> Int {
        Int(next(upperBound: UInt64(count)))
    }

    /// Whether an event of probability `percent` / 100 happens.
    mutating func chance(_ percent: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 * 100 < percent
    }
}
