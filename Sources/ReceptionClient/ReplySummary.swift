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
        let properties = (display.schema?["properties"]?.sortedMembers ?? []).map(\.key)
        let shown = display.columns.isEmpty ? properties : display.columns
        let money = method.moneyMembers
        let symbol = currency.symbol.trimmingCharacters(in: " ")
        let chinese = Language.current == .zh
        func words(_ member: String) -> String {
            chinese
                ? Labels.title(of: member, schema: display.member(member, of: display.schema), language: "zh")
                : Self.words(member)
        }

        var sentence: String
        if let list = display.list {
            sentence = Phrase("Replies with a list of \(words(list))", "答复一个列表（\(words(list))）")()
            if let title = display.title {
                sentence += Phrase(", each named by its \(words(title))", "，每条以\(words(title))为名")()
            }
        } else if let title = display.title {
            sentence = Phrase("Replies with a record named by its \(words(title))", "答复一条记录，以\(words(title))为名")()
        } else if !shown.isEmpty || !money.isEmpty {
            sentence = Phrase("Replies with a record", "答复一条记录")()
        } else {
            return TextWrap.wrap(
                Phrase(
                    "Replies with the daemon's answer; the task does not describe it (--json prints it as it comes).",
                    "答复守护进程的回答；这项任务没有说明其内容（--json 原样输出）。")(),
                width: width)
        }
        if !shown.isEmpty {
            let names = shown.map { words($0) + (money.contains($0) ? " (\(symbol))" : "") }
            sentence += Phrase(": ", "：")() + names.joined(separator: Phrase(", ", "、")())
            let others = Set(properties).subtracting(shown).count
            if others > 0 {
                sentence += Phrase(
                    " (and \(others) more member\(others == 1 ? "" : "s"), all shown with --json)",
                    "（另有 \(others) 项，--json 全部输出）")()
            }
        }
        sentence += Phrase(".", "。")()
        if !money.isSubset(of: Set(shown)) {
            let listed = money.sorted().map(words).joined(separator: Phrase(", ", "、")())
            sentence += Phrase(
                " Amounts (\(listed)) are shown in \(currency.majorUnitName) (\(symbol)); --json keeps minor units.",
                "金额（\(listed)）以元（\(symbol)）显示；--json 仍为分。")()
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
