import ReceptionClient
import ReceptionProtocol
import Testing

@Suite("TableRenderer and ResultFormatter")
struct TableRendererTests {
    @Test func columnsAreTheUnionInFirstSeenOrderEachRowSorted() throws {
        let rows = try JSONValue.parse(#"[{"d":1,"b":2},{"c":3,"a":4},{"e":null}]"#).arrayValue ?? []
        #expect(TableRenderer.columns(of: rows) == ["b", "d", "a", "c", "e"])
    }

    @Test func alignsWideCharacters() throws {
        let rows = try JSONValue.parse(#"[{"guest":"李娜","room":"1203"},{"guest":"Bob","room":"7"}]"#).arrayValue ?? []
        let expected = """
            guest  room
            -----  ----
            李娜   1203
            Bob    7
            """
        #expect(TableRenderer.render(objects: rows) == expected)
    }

    @Test func rightAlignsNumbersAndFormatsCells() throws {
        let rows =
            try JSONValue.parse(
                #"[{"code":"P-1","weight":2.5,"tags":["a"],"note":"two\nlines"},{"code":"P-22","weight":10,"ok":true,"note":null}]"#
            ).arrayValue ?? []
        let expected = """
            code  note       tags   weight  ok
            ----  ---------  -----  ------  ----
            P-1   two lines  ["a"]     2.5
            P-22                        10  true
            """
        #expect(TableRenderer.render(objects: rows) == expected)
    }

    @Test func linesHaveNoTrailingSpaces() {
        let text = TableRenderer.render(headers: ["a", "b"], rows: [["x", ""], ["longer", "y"]])
        #expect(text == "a       b\n------  -\nx\nlonger  y")
    }

    @Test func cellText() {
        #expect(TableRenderer.cellText(nil) == "")
        #expect(TableRenderer.cellText(.null) == "")
        #expect(TableRenderer.cellText(.string("a\tb")) == "a b")
        #expect(TableRenderer.cellText(.int(-3)) == "-3")
        #expect(TableRenderer.cellText(["z": 1, "a": [2, 2.5]]) == #"{"a":[2,2.5],"z":1}"#)
    }

    @Test func objectWithItemsIsATableThenKeyValues() throws {
        let result = try JSONValue.parse(#"{"items":[{"code":"A","n":1}],"total":1,"cursor":"abc"}"#)
        let expected = """
            code  n
            ----  -
            A     1

            cursor: abc
            total:  1
            """
        #expect(ResultFormatter.humanText(result) == expected)
    }

    @Test func severalTablesAreTitled() throws {
        let result = try JSONValue.parse(#"{"a":[{"x":1}],"b":[{"y":2}]}"#)
        #expect(ResultFormatter.humanText(result) == "a:\nx\n-\n1\n\nb:\ny\n-\n2")
    }

    @Test func plainObjectIsAlignedKeyValues() throws {
        let result = try JSONValue.parse(#"{"pong":true,"time":"10:15","empty":[],"nested":{"k":"v"},"note":"a\nb"}"#)
        let expected = """
            empty:  (none)
            nested: {"k":"v"}
            note:   a
                    b
            pong:   true
            time:   10:15
            """
        #expect(ResultFormatter.humanText(result) == expected)
    }

    @Test func otherShapes() throws {
        #expect(ResultFormatter.humanText(.string("plain")) == "plain")
        #expect(ResultFormatter.humanText(.int(7)) == "7")
        #expect(ResultFormatter.humanText(.array([])) == "(none)")
        #expect(ResultFormatter.humanText(try JSONValue.parse(#"["a",1]"#)) == "a\n1")
        #expect(ResultFormatter.humanText(.object([:])) == "")
        #expect(ResultFormatter.humanText(try JSONValue.parse(#"[{"a":1}]"#)) == "a\n-\n1")
    }
}

@Suite("DisplayWidth")
struct DisplayWidthTests {
    @Test(arguments: [
        ("hello", 5),
        ("李娜", 4),
        ("王小明", 6),
        ("한국어", 6),
        ("カタカナ", 8),
        ("ｶﾀｶﾅ", 4),  // half-width katakana
        ("ＡＢ", 4),  // full-width Latin
        ("e\u{301}", 1),  // e + combining acute
        ("café", 4),
        ("👍", 2),
        ("👩‍👩‍👧", 2),
        ("\u{200B}", 0),  // zero-width space
        ("a\u{0007}b", 2),  // control character
        ("", 0),
        ("Room 1203：李娜", 15),
    ])
    func width(text: String, expected: Int) {
        #expect(DisplayWidth.of(text) == expected)
    }

    @Test func padding() {
        #expect(DisplayWidth.pad("李", to: 4) == "李  ")
        #expect(DisplayWidth.pad("7", to: 3, alignRight: true) == "  7")
        #expect(DisplayWidth.pad("toolong", to: 3) == "toolong")
    }
}
