import ReceptionClient
import Testing

/// "Did you mean" hints: the names closest to one that does not exist.
@Suite("Did you mean: the closest names")
struct NameSuggesterTests {
    @Test("one letter off names that one option only, not every option within two letters")
    func oneLetterOff() {
        #expect(NameSuggester.suggestions(for: "jsn", among: ["json", "csv", "socket"], separator: "-") == ["json"])
        #expect(NameSuggester.suggestions(for: "csc", among: ["json", "csv"], separator: "-") == ["csv"])
    }

    @Test("farther off, every name within the distance is offered, closest first, ties by name")
    func fartherOff() {
        #expect(
            NameSuggester.suggestions(for: "damage-nte", among: ["damage-note", "damage", "note"], separator: "-")
                == ["damage-note"])
        #expect(NameSuggester.suggestions(for: "jsx", among: ["json", "csv"], separator: "-") == ["csv", "json"])
    }
}
