import Glibc
import ReceptionPluginSDK

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
    /// Candidates drawn and checked with one query.
    static let candidatesPerQuery = 16
    /// Queries at one length before trying one character longer.
    static let queriesPerLength = 2
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

    /// A code no held item has: random codes of `length`, checked sixteen at a time with one
    /// query (with most short codes taken, one at a time took several queries per item), then
    /// longer ones.
    ///
    /// Runs on the writer (writes are serialized), so a code found free here is still free at
    /// the INSERT that follows; the UNIQUE index is the backstop.
    static func unused(length: Int, in db: SQLiteConnection) throws -> String {
        let placeholders = Array(repeating: "?", count: candidatesPerQuery).joined(separator: ",")
        // INDEXED BY: with bound values SQLite would rather walk the status index (30,000 held
        // items) than probe the partial code index sixteen times.
        let sql = """
            SELECT code FROM parcels_items INDEXED BY parcels_items_code_held
            WHERE code IN (\(placeholders)) AND status IN ('held','notified')
            """
        for size in length...max(length, maxLength) {
            for _ in 0..<queriesPerLength {
                let candidates = RandomBits.draw(candidatesPerQuery).map { code(length: size, from: $0) }
                let taken = Set(try db.query(sql, candidates).compactMap { $0.string("code") })
                if let free = candidates.first(where: { !taken.contains($0) }) { return free }
            }
        }
        throw RPCError(.conflict, "no free pickup code: too many items are held (collect or return some)")
    }

    /// Whether an item with `code` is still held.
    static func isHeld(_ code: String, in db: SQLiteConnection) throws -> Bool {
        try db.queryOne(
            "SELECT 1 FROM parcels_items WHERE code = ? AND status IN ('held','notified')", [code]) != nil
    }

    /// A code as typed at the counter: trimmed and upper-cased (`k7m3 ` finds `K7M3`).
    static func normalize(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }
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
