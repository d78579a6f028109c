import ReceptionProtocol

/// The sentence a task's help ends with: what the reply contains, from the method's `result`
/// schema and its `display` hints in `daemon.methods`.
///
/// `Replies with a record named by its code: code, kind, recipient, unit, shelf, status,
/// received at (and 18 more members, all shown with --json).`
public enum ReplySummary {
    /// The sentence, wrapped to `width` columns. A method that publishes neither a result schema
    /// nor display hints gets a sentence saying so.
    public static func text(_ method: MethodInfo, currency: Currency = .cny, width: Int = 80) -> String {
        let display = method.display
        let properties = (method.resultSchema["properties"]?.sortedMembers ?? []).map(\.key)
        let columns = (display["columns"]?.arrayValue ?? []).compactMap(\.stringValue)
        let title = display["title"]?.stringValue
        let list = display["list"]?.stringValue
        let shown = columns.isEmpty ? properties : columns
        let money = method.moneyMembers
        let symbol = currency.symbol.trimmingCharacters(in: " ")

        var sentence: String
        if let list {
            sentence = "Replies with a list of \(words(list))"
            if let title { sentence += ", each named by its \(words(title))" }
        } else if let title {
            sentence = "Replies with a record named by its \(words(title))"
        } else if !shown.isEmpty {
            sentence = "Replies with a record"
        } else if money.isEmpty {
            return TextWrap.wrap(
                "Replies with the daemon's answer; the task does not describe it (--json prints it as it comes).",
                width: width)
        } else {
            sentence = "Replies with a record"
        }
        if !shown.isEmpty {
            let names = shown.map { words($0) + (money.contains($0) ? " (\(symbol))" : "") }
            sentence += ": " + names.joined(separator: ", ")
            let others = Set(properties).subtracting(shown).count
            if others > 0 {
                sentence += " (and \(others) more member\(others == 1 ? "" : "s"), all shown with --json)"
            }
        }
        sentence += "."
        if !money.isSubset(of: Set(shown)) {
            let listed = money.sorted().map(words).joined(separator: ", ")
            sentence +=
                " Amounts (\(listed)) are shown in \(currency.majorUnitName) (\(symbol)); --json keeps minor units."
        }
        return TextWrap.wrap(sentence, width: width)
    }

    /// A member name as words: `receivedAt` → `received at`, `id_type` → `id type`.
    public static func words(_ member: String) -> String {
        CommandWords.kebab(member).replacingDashes(with: " ")
    }
}

/// Word wrapping by display width (CJK characters count two columns).
public enum TextWrap {
    /// `text` broken at spaces, and between wide (CJK) characters, into lines of at most `width`
    /// columns (a longer word stands alone), every line after the first starting with `indent`.
    public static func wrap(_ text: String, width: Int, indent: String = "") -> String {
        var lines: [String] = []
        var line = ""
        for (piece, spaced) in pieces(of: text) {
            let candidate = line.isEmpty ? piece : line + (spaced ? " " : "") + piece
            let prefix = lines.isEmpty ? "" : indent
            if !line.isEmpty, DisplayWidth.of(prefix + candidate) > width {
                lines.append(line)
                line = piece
            } else {
                line = candidate
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines.enumerated().map { $0.offset == 0 ? $0.element : indent + $0.element }.joined(separator: "\n")
    }

    /// The units a line may break between: space-separated words, with each wide character a
    /// unit of its own (Chinese has no spaces); `spaced` says whether a space came before it.
    private static func pieces(of text: String) -> [(String, Bool)] {
        var pieces: [(String, Bool)] = []
        var current = ""
        var spaced = false
        func flush() {
            if !current.isEmpty { pieces.append((current, spaced)) }
            current = ""
            spaced = false
        }
        for character in text {
            if character == " " {
                flush()
                spaced = !pieces.isEmpty
            } else if DisplayWidth.of(character) > 1 {
                let before = spaced
                flush()
                pieces.append((String(character), before))
            } else {
                // A narrow run right after a wide character is a unit of its own, joined without a space.
                current.append(character)
            }
        }
        flush()
        return pieces
    }
}

extension String {
    /// With every `-` replaced by `replacement`.
    fileprivate func replacingDashes(with replacement: String) -> String {
        split(separator: "-", omittingEmptySubsequences: false).joined(separator: replacement)
    }

    /// Without leading and trailing `character`s.
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
