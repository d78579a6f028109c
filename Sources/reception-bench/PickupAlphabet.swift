/// The characters of the parcels plugin's pickup codes, as the seeder and the floor write them:
/// letters and digits taking turns, none that look alike (no `0`/`O`, no `1`/`I`).
enum PickupAlphabet {
    /// The letters: A–Z without I and O.
    static let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
    /// The digits: 2–9.
    static let digits = Array("23456789")

    /// The alphabet of the character at `position` (from 0): letters at even positions.
    static func alphabet(at position: Int) -> [Character] {
        position.isMultiple(of: 2) ? letters : digits
    }

    /// A random code of `length` characters.
    static func random(length: Int, using generator: inout some RandomNumberGenerator) -> String {
        String(
            (0..<length).map { position in
                let alphabet = alphabet(at: position)
                return alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
            })
    }
}
