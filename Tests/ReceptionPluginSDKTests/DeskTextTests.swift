import Testing

@testable import ReceptionPluginSDK

/// `DeskText`: one normal form for what the desk types, with a fast path for text that is
/// already normal.
@Suite("SDK desk text")
struct DeskTextTests {
    @Test(
        "White space is trimmed and folded, ideographic spaces included; decomposed accents are composed",
        arguments: [
            ("3-2-1201", "3-2-1201"), ("3栋2单元 1201", "3栋2单元 1201"), ("  李娜  ", "李娜"),
            ("3栋\u{3000}2单元   1201", "3栋 2单元 1201"), ("a\tb\nc", "a b c"), ("Jose\u{301}", "José"),
            ("", ""), ("   ", ""), ("a  b", "a b"), ("Ü", "Ü"),
        ])
    func normalizes(input: String, expected: String) {
        #expect(DeskText.normalize(input) == expected)
        #expect(Array(DeskText.normalize(input).unicodeScalars) == Array(expected.unicodeScalars))
    }

    @Test("The fast path gives exactly what the full normalization gives, for many random texts")
    func fastPathAgreesWithFullNormalization() {
        let pieces: [String] = [
            "a", "Z", "0", "-", " ", "  ", "\t", "\n", "\u{3000}", "栋", "单", "元", "李", "娜", "㐀", "é", "e\u{301}",
            "\u{301}", "Å", "Ａ", "😀", "\u{0}",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let count = Int.random(in: 0...8, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            let fast = DeskText.normalize(text)
            let full = DeskText.normalizeFully(text)
            #expect(Array(fast.unicodeScalars) == Array(full.unicodeScalars), "for \(Array(text.unicodeScalars))")
        }
    }
}
