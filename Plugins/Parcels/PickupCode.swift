import Glibc
import ReceptionPluginSDK
import Synchronization

/// Pickup codes: short, read aloud at the counter and written on a label.
///
/// Letters and digits alternate, starting with a letter (`K7M3`), so a code never reads as a
/// word or a number. The characters that look or sound alike are left out: no `0`/`O`, no
/// `1`/`I`. Four characters give 24 × 8 × 24 × 8 = 36,864 codes; a code is unique among the
/// items still held (`held` or `notified`), enforced by a partial UNIQUE index, and reused once
/// its item is collected or returned.
enum PickupCode {
    /// The letters used: A–Z without I and O.
    static let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
    /// The digits used: 2–9.
    static let digits = Array("23456789")
    /// The default number of characters.
    static let defaultLength = 4
    /// Random draws at one length before trying one character longer.
    static let attemptsPerLength = 24
    /// The longest code ever made (when every shorter one is taken).
    static let maxLength = 10
    /// The longest code a caller may type (`maxLength` in the schemas).
    static let maxInputLength = 16

    /// A random code of `length` characters.
    static func random(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return code(length: length, from: generator.next())
    }

    /// The code of `length` characters that the random bits `bits` pick (64 bits cover the
    /// 10 characters of the longest code, about 46 bits, with a negligible bias).
    static func code(length: Int, from bits: UInt64) -> String {
        var remaining = bits
        var code = ""
        code.reserveCapacity(length)
        for position in 0..<length {
            let alphabet = position.isMultiple(of: 2) ? letters : digits
            let count = UInt64(alphabet.count)
            code.append(alphabet[Int(remaining % count)])
            remaining /= count
        }
        return code
    }

    /// A code no held item has: random codes of `length` (twenty-four draws), then longer ones.
    ///
    /// Each draw is one probe of the partial unique index of held codes, which answers alone
    /// (no table row is read); with a fraction `p` of the codes taken a receive makes 1/(1−p)
    /// probes on average. (Checking sixteen candidates with one `IN` query cost more: sixteen
    /// probes and a table row for each taken code, every time.)
    ///
    /// Runs on the writer (writes are serialized), so a code found free here is still free at
    /// the INSERT that follows; the UNIQUE index is the backstop.
    ///
    /// When nearly every code of the configured length is held (the 36,864 four-character codes
    /// run out at a very busy desk), each receive would first spend its twenty-four draws there:
    /// the length that worked last is remembered, and every 64th receive tries the configured
    /// length again, so codes get short again once items are collected.
    static func unused(length: Int, memory: CodeLengthMemory, in db: SQLiteConnection) throws -> String {
        let remembered = memory.lengthInUse.load(ordering: .relaxed)
        let retryShort = memory.draws.wrappingAdd(1, ordering: .relaxed).oldValue % 64 == 0
        let start = retryShort ? length : min(max(length, remembered), maxLength)
        for size in start...max(start, maxLength) {
            for bits in RandomBits.draw(attemptsPerLength) {
                let candidate = code(length: size, from: bits)
                if try !isHeld(candidate, in: db) {
                    memory.lengthInUse.store(size, ordering: .relaxed)
                    return candidate
                }
            }
        }
        throw RPCError(.conflict, "no free pickup code: too many items are held (collect or return some)")
            .localized("zh", "取件码用完了：在柜的件太多（请先发放或退回一些）")
    }

    /// Whether an item with `code` is still held.
    static func isHeld(_ code: String, in db: SQLiteConnection) throws -> Bool {
        // One equality on the unique partial index of held codes: SQLite's planner takes it (checked
        // with EXPLAIN QUERY PLAN), so no INDEXED BY, which PostgreSQL does not have.
        try db.queryOne(
            """
            SELECT 1 FROM parcels_items
            WHERE code = ? AND status IN ('held','notified')
            """, [code]) != nil
    }
}

/// The code length the last receive ended up with, and how many receives there were: owned by
/// one configured plugin instance, so a reload with another `code_length` starts afresh.
final class CodeLengthMemory: Sendable {
    /// The length that worked last (0: none yet).
    let lengthInUse = Atomic<Int>(0)
    /// Receives so far, to retry the configured length now and then.
    let draws = Atomic<Int>(0)
}

/// Random 64-bit values, many per call (the standard generator makes one `getrandom` system
/// call per value).
enum RandomBits {
    /// `count` random values.
    static func draw(_ count: Int) -> [UInt64] {
        var values = [UInt64](repeating: 0, count: count)
        // glibc's arc4random_buf: a ChaCha20 generator seeded (and reseeded) from getrandom.
        values.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { arc4random_buf(base, buffer.count) }
        }
        return values
    }
}
