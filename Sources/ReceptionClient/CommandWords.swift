/// The words a person types for a method: each segment of its dotted name in kebab case
/// (`parcels.receiveBatch` is `parcels receive-batch`, `access.badges.reportLost` is
/// `access badges report-lost`). The camelCase spelling is accepted too, so a word matches a
/// segment when both read the same in kebab case.
public enum CommandWords {
    /// `receiveBatch` → `receive-batch`, `room_number` → `room-number`; already-kebab words and
    /// words without capitals come back as they are (lower-cased).
    public static func kebab(_ word: String) -> String {
        var out = ""
        for character in word {
            if character == "_" {
                out.append("-")
            } else if character.isUppercase, !out.isEmpty, out.last != "-" {
                out.append("-")
                out.append(contentsOf: character.lowercased())
            } else {
                out.append(contentsOf: character.lowercased())
            }
        }
        return out
    }

    /// Whether a typed word names a method segment: `receive-batch`, `receiveBatch` and
    /// `receive_batch` all name `receiveBatch`.
    public static func word(_ typed: String, names segment: String) -> Bool {
        typed == segment || kebab(typed) == kebab(segment)
    }

    /// The typed words with every leading word that names a segment of some method (given the
    /// words before it) replaced by that segment's wire spelling, so the dotted join is the
    /// method's name: `["parcels", "receive-batch"]` → `["parcels", "receiveBatch"]`. Words past
    /// the method's name (positional values such as pickup codes) are left as typed.
    public static func resolve(_ typed: [String], in methods: [MethodInfo]) -> [String] {
        var resolved: [String] = []
        var candidates = methods.map { $0.name.split(separator: ".").map(String.init) }
        for (index, word) in typed.enumerated() {
            let matching = candidates.filter { $0.count > index && Self.word(word, names: $0[index]) }
            guard let segment = matching.first(where: { $0[index] == word })?[index] ?? matching.first?[index] else {
                resolved += typed[index...]
                break
            }
            resolved.append(segment)
            candidates = matching.filter { $0[index] == segment }
        }
        return resolved
    }
}
