import ReceptionProtocol
import Testing

@_spi(Runtime) @testable import ReceptionPluginSDK

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

    /// The issue's input, at its worst: "a" and 150,000 combining marks of two classes (acute
    /// above, 230, and grave below, 220), which NFC must reorder: Foundation's NFC took 6 s for
    /// 100,000 of them, quadratic in the run (4.7 ms once the run is broken every 30 marks).
    static let flood = "a" + String(repeating: "\u{301}\u{316}", count: 75_000)

    @Test("required and checked refuse more than 30 combining marks in a row, naming the field, before normalizing")
    func refusesWhatIsNotStreamSafe() throws {
        expectStreamSafeRefusal { () throws(RPCError) in try DeskText.required(Self.flood, field: "recipient") }
        expectStreamSafeRefusal { () throws(RPCError) in try DeskText.checked(Self.flood, field: "recipient") }
        // Thirty marks in a row is the most stream-safe text has, and passes.
        let thirty = "a" + String(repeating: "\u{301}", count: 30)
        #expect(try DeskText.checked(thirty, field: "recipient") == DeskText.normalize(thirty))
    }

    /// Expects `body` to throw the stream-safe validation error for the field `recipient`.
    private func expectStreamSafeRefusal(
        _ body: () throws(RPCError) -> String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            let value = try body()
            Issue.record("accepted \(value.unicodeScalars.count) scalars", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == .validation, sourceLocation: sourceLocation)
            #expect(error.field == "recipient", sourceLocation: sourceLocation)
            #expect(error.message.contains("30 combining marks"), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    @Test(
        "normalize makes any text stream-safe before NFC, so NFC never reorders a run longer than 30: the bound that keeps it linear"
    )
    func normalizeBoundsTheWork() {
        let safe = DeskText.streamSafe(Self.flood)
        #expect(TextMeasure.isStreamSafe(safe))
        // One COMBINING GRAPHEME JOINER after every 30 marks, and nothing else added or lost.
        let joiners = safe.unicodeScalars.filter { $0 == DeskText.graphemeJoiner }.count
        #expect(joiners == (150_000 - 1) / 30)
        #expect(safe.unicodeScalars.count == 150_001 + joiners)
        #expect(Array(safe.unicodeScalars.filter { $0 != DeskText.graphemeJoiner }) == Array(Self.flood.unicodeScalars))
        // Stream-safe text comes back untouched.
        let text = "Jose\u{301} 3-2-1201"
        #expect(DeskText.streamSafe(text) == text)
        // The flood normalizes, composing the first accent onto the "a".
        let normalized = DeskText.normalize(Self.flood)
        #expect(normalized.unicodeScalars.first == "\u{E1}")
        #expect(TextMeasure.isStreamSafe(normalized))
    }

    @Test("A letter or digit of any script is one; a combining mark, a space or punctuation is not")
    func lettersAndDigits() {
        for scalar: Unicode.Scalar in ["a", "Z", "7", "é", "李", "٣", "Ⅻ"] { #expect(DeskText.isLetterOrDigit(scalar)) }
        for scalar: Unicode.Scalar in ["\u{301}", " ", "*", "-", "\u{34F}"] {
            #expect(!DeskText.isLetterOrDigit(scalar))
        }
    }
}
