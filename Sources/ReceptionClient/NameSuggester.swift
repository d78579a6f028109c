/// Finds the names closest to one that does not exist, for "did you mean" hints: method names
/// (words joined by `.`) and option names (words joined by `-`).
public enum NameSuggester {
    /// Up to `limit` names from `candidates` worth suggesting for `name`, best first:
    /// names that continue it (`example.note` → `example.note.add`), then names within a small
    /// edit distance, and failing those, the names sharing its first word (the other methods of
    /// the same plugin). `separator` joins the words of a name.
    public static func suggestions(
        for name: String, among candidates: [String], limit: Int = 5, separator: Character = "."
    ) -> [String] {
        let typed = name.lowercased()
        var scored: [(score: Int, name: String)] = []
        let threshold = Swift.max(2, typed.count / 3)
        for candidate in candidates {
            let lowered = candidate.lowercased()
            if lowered.hasPrefix(typed + String(separator)) {
                scored.append((0, candidate))
                continue
            }
            let distance = editDistance(typed, lowered)
            if distance <= threshold { scored.append((distance, candidate)) }
        }
        if scored.isEmpty, let plugin = typed.split(separator: separator).first {
            for candidate in candidates where candidate.lowercased().hasPrefix(plugin + String(separator)) {
                scored.append((100, candidate))
            }
        }
        scored.sort { $0.score != $1.score ? $0.score < $1.score : $0.name < $1.name }
        // One letter off is a typo of that name: farther names would only blur the hint
        // (`--jsn` means `--json`, not `--csv` too).
        if let best = scored.first?.score, best <= 1 { scored = scored.filter { $0.score <= 1 } }
        return Array(scored.prefix(limit).map(\.name))
    }

    /// The Levenshtein distance between `a` and `b`, by characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let left = Array(a)
        let right = Array(b)
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var previous = Array(0...right.count)
        var current = [Int](repeating: 0, count: right.count + 1)
        for i in 1...left.count {
            current[0] = i
            for j in 1...right.count {
                let substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1)
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }
}
