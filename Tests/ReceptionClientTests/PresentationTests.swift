import Foundation
import ReceptionClient
import ReceptionProtocol
import Testing

/// What a clerk reads instead of the wire: records as blocks, lists fitted to the terminal,
/// money in yuan, times short in the daemon's zone, colour only when asked for.
@Suite("Results for people: blocks, tables, times, colour, labels")
struct PresentationTests {
    /// 2026-12-06 10:00 in Shanghai.
    static let now = Date(timeIntervalSince1970: 1_764_986_400 + 365 * 86_400)
    static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? .current

    static func presentation(
        width: Int? = nil, colour: Bool = false, language: String = "en", currency: Currency = .cny
    ) -> Presentation {
        Presentation(
            currency: currency, times: TimeDisplay(timeZone: shanghai, now: now, language: language), width: width,
            palette: Palette(enabled: colour))
    }

    static let itemDisplay = ResultDisplay(
        title: "code", list: "items", columns: ["code", "kind", "recipient", "unit", "shelf", "status", "receivedAt"],
        schema: [
            "type": "object",
            "properties": [
                "kind": ["type": "string", "x-labels": ["letter": "信件", "parcel": "包裹"]],
                "receivedAt": ["type": "string", "format": "date-time"],
                "code": ["type": "string", "x-i18n": ["en": ["title": "Pickup code"], "zh": ["title": "取件码"]]],
            ],
        ])

    static let item: JSONValue = [
        "code": "A9F9", "kind": "letter", "recipient": "陈静", "unit": "3-2-1201", "shelf": nil, "status": "held",
        "receivedAt": "2026-12-06T07:04:53.215+08:00", "carrier": nil, "tracking": "", "note": "fragile",
        "notifyCount": 0, "id": 12, "collectedBy": nil,
    ]

    @Test("a record is a title line (its code, kind and status) then its non-empty members, the plugin's columns first")
    func recordBlock() {
        let text = ResultFormatter.present(Self.item, display: Self.itemDisplay, presentation: Self.presentation())
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "A9F9  letter · held", "\(text)")
        #expect(lines.count == 5, "recipient, unit, received at, note; nothing empty:\n\(text)")
        #expect(lines[1] == "  Recipient    陈静", "\(text)")
        #expect(lines[3] == "  Received at  today 07:04", "the plugin's columns come first, in its order:\n\(text)")
        #expect(lines[4] == "  Note         fragile", "\(text)")
        for absent in ["Shelf", "Carrier", "Tracking", "Collected", "Notify count", "Id"] {
            #expect(!text.contains(absent), "\(absent) is empty or says nothing:\n\(text)")
        }
    }

    @Test("a record with a list of records inside (a visit's contacts) is one block, not a table of the inner list")
    func recordWithInnerList() {
        let visit: JSONValue = [
            "visit": "V20261206-0001", "name": "王芳", "status": "waiting",
            "contacts": [
                ["channel": "intercom", "result": "no_answer", "by": "li.na", "at": "2026-12-06T09:00:00.000+08:00"]
            ],
        ]
        let display = ResultDisplay(title: "visit", columns: ["visit", "name", "status"])
        let lines = ResultFormatter.present(visit, display: display, presentation: Self.presentation())
            .split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("V20261206-0001") == true)
        #expect(lines.contains { $0.contains("王芳") })
        #expect(lines.contains { $0.contains("intercom") })
        // A reply that is no such record (no title member) is still a list.
        let list = ResultFormatter.present(
            ["visits": [visit]], display: ResultDisplay(title: "visit", list: "visits", columns: ["visit", "name"]),
            presentation: Self.presentation())
        #expect(list.split(separator: "\n").dropFirst().first?.hasPrefix("---") == true, "a table: header, rule, rows")
        #expect(list.contains("V20261206-0001"))
    }

    @Test("labels come from the result schema: x-i18n titles, x-labels choices in Chinese")
    func chineseLabels() {
        let list: JSONValue = ["items": [Self.item]]
        let text = ResultFormatter.present(
            list, display: Self.itemDisplay, presentation: Self.presentation(language: "zh"))
        #expect(text.hasPrefix("取件码"), "\(text)")
        #expect(text.contains("信件"), "\(text)")
        #expect(text.contains("今天 07:04"), "\(text)")
        #expect(Labels.title(of: "daysWaiting", schema: nil, language: "en") == "Days waiting")
        #expect(Labels.title(of: "receivedAt", schema: nil, language: "zh") == "Received at")
        #expect(Labels.choice("id_card", schema: ["x-labels": ["id_card": "身份证"]], language: "en") == "id_card")
        #expect(Labels.choice("id_card", schema: ["x-labels": ["id_card": "身份证"]], language: "zh") == "身份证")
        #expect(Labels.language(environment: ["LANG": "zh_CN.UTF-8"]) == "zh")
        #expect(Labels.language(environment: ["LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"]) == "en")
        #expect(Labels.language(environment: [:], configured: "zh_CN") == "zh")
        #expect(Labels.language(environment: [:]) == "en")
    }

    @Test("a pass and its receipt are two blocks; the receipt ends with the amount due in yuan")
    func badgeAndReceipt() throws {
        let result = try JSONValue.parse(
            #"{"badge":{"authorisationRef":null,"deposit":1000,"fee":500,"holder":"王芳","kind":"tenant","number":"T000001","status":"active","unit":"3-2-1201","validUntil":"2027-05-31"},"receipt":{"badge":"T000001","by":"li.na","date":"2026-12-06","deposit":1000,"fee":500,"forfeited":0,"key":null,"number":"AC20261206-0001","operation":"issue","refund":0,"time":"2026-12-06T09:30:26.664+08:00","total":1500}}"#
        )
        let display = ResultDisplay(title: "number", money: ["deposit", "fee", "total", "refund", "forfeited"])
        let text = ResultFormatter.present(result, display: display, presentation: Self.presentation())
        #expect(!text.contains("{\""), "no JSON: \(text)")
        let blocks = text.components(separatedBy: "\n\n")
        #expect(blocks.count == 2, "\(text)")
        #expect(blocks.first?.hasPrefix("Badge T000001  tenant · active") == true, "\(text)")
        #expect(blocks.last?.hasPrefix("Receipt AC20261206-0001  issue") == true, "\(text)")
        let last = try #require(blocks.last?.split(separator: "\n").last.map(String.init))
        #expect(last == "  Amount due  ¥15.00", "\(text)")
        #expect(!(blocks.last ?? "").contains("Refund"), "a receipt lists only what changed hands: \(text)")
        #expect(text.contains("Valid until  2027-05-31"), "a date stays as given: \(text)")

        let refund = try JSONValue.parse(
            #"{"receipt":{"number":"AC1","operation":"return","refund":1000,"total":-1000},"refund":1000,"badge":{"number":"T1","status":"returned"}}"#
        )
        let back = ResultFormatter.present(refund, display: display, presentation: Self.presentation())
        #expect(back.hasSuffix("  To refund  ¥10.00"), "\(back)")
        #expect(back.hasPrefix("Badge T1  returned"), "\(back)")
    }

    @Test("a list fits the width with CJK text: every line within it, the plugin's column order kept, … not wrap")
    func tableFits() throws {
        var rows: [JSONValue] = []
        for index in 0..<4 {
            rows.append([
                "code": .string("K\(index)M3"), "kind": "parcel", "recipient": .string("欧阳娜娜娜娜娜娜娜娜娜\(index)"),
                "unit": "3栋2单元1201室", "shelf": .string("A-\(index)"), "status": "notified",
                "receivedAt": .string("2025-11-0\(index + 1)T18:00:00.000+08:00"), "note": "not a column",
            ])
        }
        for width in [40, 80, 200] {
            let text = ResultFormatter.present(
                ["items": .array(rows), "nextCursor": nil], display: Self.itemDisplay,
                presentation: Self.presentation(width: width))
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.count == 6, "\(text)")
            for line in lines { #expect(DisplayWidth.of(line) <= width, "wider than \(width): \(line)") }
            #expect(!text.contains("not a column") && !text.contains("more"), "\(text)")
            let header = try #require(lines.first)
            if width >= 80 {
                let order = ["Pickup code", "Kind", "Recipient", "Unit", "Shelf", "Status", "Received at"]
                let positions = order.compactMap { header.range(of: $0)?.lowerBound }
                #expect(positions.count == order.count && positions == positions.sorted(), "\(header)")
            }
            if width == 200 { #expect(text.contains("欧阳娜娜娜娜娜娜娜娜娜0") && !text.contains("…"), "\(text)") }
            if width < 80 { #expect(text.contains("…"), "\(text)") }
        }
        let other = try #require(
            ResultFormatter.present(
                ["items": .array(rows)], display: Self.itemDisplay, presentation: Self.presentation()
            )
            .split(separator: "\n").dropFirst(2).first)
        #expect(other.hasSuffix("2025-11-01 18:00"), "another year's time carries its year: \(other)")
    }

    @Test("more is shown only when there is more: the cursor to pass, or a word on the limit")
    func moreOnlyWhenThereIsMore() {
        let row: JSONValue = ["code": "A9F9", "kind": "letter"]
        let p = Self.presentation()
        let withCursor = ResultFormatter.present(
            ["items": [row], "nextCursor": "XYZ"], display: Self.itemDisplay, presentation: p)
        #expect(withCursor.hasSuffix("\n\nmore: --cursor XYZ"), "\(withCursor)")
        let done = ResultFormatter.present(
            ["items": [row], "nextCursor": nil], display: Self.itemDisplay, presentation: p)
        #expect(!done.contains("more"), "\(done)")
        let cut = ResultFormatter.present(["items": [row], "more": true], display: Self.itemDisplay, presentation: p)
        #expect(cut.contains("more: not all are shown"), "\(cut)")
        let empty = ResultFormatter.present(
            ["items": [], "nextCursor": nil], display: Self.itemDisplay, presentation: p)
        #expect(empty == "(none)")
    }

    @Test(
        "times: today/yesterday/tomorrow HH:MM, MM-DD HH:MM this year, the full date another year, in the daemon's zone"
    )
    func shortTimes() {
        let times = TimeDisplay(timeZone: Self.shanghai, now: Self.now)
        #expect(times.short("2026-12-06T18:00:00.000+08:00") == "today 18:00")
        #expect(times.short("2026-12-06T10:00:00Z") == "today 18:00", "read in the daemon's zone")
        #expect(times.short("2026-12-05T23:04:53.2+08:00") == "yesterday 23:04")
        #expect(times.short("2026-12-07T12:00:00+08:00") == "tomorrow 12:00")
        #expect(times.short("2026-12-04T23:04:53.2+08:00") == "12-04 23:04")
        #expect(times.short("2025-12-06T07:04:00+08:00") == "2025-12-06 07:04")
        #expect(times.short("2026-12-06") == nil, "a date is shown as given")
        #expect(times.short("3-2-1201") == nil)
        #expect(
            TimeDisplay(timeZone: Self.shanghai, now: Self.now, language: "zh").short("2026-12-06T18:00:00+08:00")
                == "今天 18:00")
        #expect(
            TimeDisplay(timeZone: Self.shanghai, now: Self.now, language: "zh").short("2026-12-07T12:00:00+08:00")
                == "明天 12:00")
        // Inside a message, each time is read in the offset it was written with.
        #expect(
            TimeDisplay(timeZone: .gmt, now: Self.now).shortenTimes(
                in:
                    "key K-0012 is already out: lent to 张伟 since 2026-12-06T14:33:15.270+08:00, due back 2026-12-07T12:00:00.000+08:00; code 1234"
            )
                == "key K-0012 is already out: lent to 张伟 since today 14:33, due back tomorrow 12:00; code 1234")
        #expect(TimeDisplay.zone(publishedIn: ["timeZone": "Asia/Tokyo"]).identifier == "Asia/Tokyo")
    }

    @Test("overdue shows the days waited, in red only with colour; no escape codes without")
    func colourOnlyWhenAsked() {
        let overdue = ResultDisplay(title: "code", list: "items", columns: ["code", "daysWaiting", "status"])
        let result: JSONValue = ["items": [["code": "A9F9", "daysWaiting": 9, "status": "held"]]]
        let plain = ResultFormatter.present(result, display: overdue, presentation: Self.presentation())
        #expect(plain.contains("9 days") && !plain.contains("\u{1B}"), "\(plain)")
        let coloured = ResultFormatter.present(result, display: overdue, presentation: Self.presentation(colour: true))
        #expect(coloured.contains("\u{1B}[31m9 days\u{1B}[0m"), "\(coloured)")
        #expect(coloured.contains("\u{1B}[33mheld\u{1B}[0m"), "held is yellow: \(coloured)")
        #expect(Palette.stripped(coloured) == plain)
        #expect(Palette.colour(ofStatus: "collected") == .green)
        #expect(Palette.colour(ofStatus: "lost") == .red)
        #expect(Palette.decide(environment: ["NO_COLOR": "1"], fd: 1) == .plain)
        #expect(Palette.decide(environment: ["TERM": "dumb"], fd: 1) == .plain)
    }

    @Test("the width: COLUMNS when set, else no limit when not a terminal")
    func terminalWidth() {
        #expect(TerminalWidth.resolve(environment: ["COLUMNS": "123"], fd: -1) == 123)
        #expect(TerminalWidth.resolve(environment: ["COLUMNS": "zero"], fd: -1) == nil)
        #expect(TerminalWidth.resolve(environment: [:], fd: -1) == nil)
        #expect(TableRenderer.fit([10, 30, 5], into: 30) == [10, 11, 5])
        #expect(TableRenderer.fit([10, 10, 10], into: 9) == [9], "too many columns: the last ones go")
        #expect(DisplayWidth.truncate("欧阳娜娜", to: 6) == "欧阳…")
        #expect(DisplayWidth.truncate("欧阳娜娜", to: 4) == "欧…")
        #expect(DisplayWidth.truncate("abc", to: 3) == "abc")
    }

    @Test("an event line fills its members; a [part] whose member is empty is left out")
    func eventLineTemplates() throws {
        let methods = try JSONValue.parse(
            #"{"methods":[{"name":"parcels.get","display":{"money":["fee"]},"result":{"properties":{"kind":{"x-labels":{"letter":"信件"}}}}}],"events":[{"topic":"parcels.received","plugin":"parcels","line":{"en":"{code} {kind} for {recipient} received[ at {workstation}][ by {operator}]","zh":"{code} {recipient}的{kind}已签收[，{workstation}][，经办 {operator}]"}}]}"#
        )
        let params: JSONValue = [
            "topic": "parcels.received", "seq": 4, "time": "2026-12-06T07:04:53.215+08:00",
            "workstation": "desk-1", "operator": nil, "data": ["code": "A9F9", "kind": "letter", "recipient": "陈静"],
        ]
        let english = EventLines(methodsResult: methods, language: "en")
        #expect(english.line(for: params, presentation: Self.presentation()) == "A9F9 letter for 陈静 received at desk-1")
        let chinese = EventLines(methodsResult: methods, language: "zh")
        #expect(
            chinese.line(for: params, presentation: Self.presentation(language: "zh")) == "A9F9 陈静的信件已签收，desk-1")
        #expect(english.line(for: ["topic": "parcels.other", "data": [:]], presentation: Self.presentation()) == nil)
        #expect(EventLines.fill("{a.b} and {missing}[ x {missing}]") { $0 == "a.b" ? "1" : nil } == "1 and ?")
    }

    @Test("a result member is labelled like the same-named param of any method of its plugin")
    func siblingChoiceLabels() throws {
        let methods = MethodInfo.list(
            from: try JSONValue.parse(
                #"{"methods":[{"name":"parcels.get","display":{"title":"code"},"result":{"properties":{"kind":{"type":"string"}}}},{"name":"parcels.receive","params":{"properties":{"kind":{"enum":["letter"],"x-labels":{"letter":"信件"}}}}},{"name":"other.get","display":{"title":"code"}}]}"#
            ))
        let item: JSONValue = ["code": "A9F9", "kind": "letter", "status": "held"]
        let get = try #require(methods.first { $0.name == "parcels.get" })
        let text = ResultFormatter.present(item, display: get.display, presentation: Self.presentation(language: "zh"))
        #expect(text.hasPrefix("A9F9  信件 · held"), "\(text)")
        let other = try #require(methods.first { $0.name == "other.get" })
        let elsewhere = ResultFormatter.present(
            item, display: other.display, presentation: Self.presentation(language: "zh"))
        #expect(elsewhere.hasPrefix("A9F9  letter"), "another plugin's labels do not apply: \(elsewhere)")
    }

    @Test("members no schema carries (a list's totals) are titled from the plugin's glossary in daemon.methods")
    func glossaryTitlesLooseMembers() throws {
        let listing: JSONValue = [
            "methods": [
                [
                    "name": "utilities.cashOnHand", "plugin": "utilities", "access": "read", "role": "operator",
                    "params": ["type": "object", "properties": [:]],
                    "display": ["list": "cards", "columns": ["number"], "money": ["cash", "atDesk"]],
                ]
            ],
            "plugins": [
                [
                    "name": "utilities",
                    "i18n": [
                        "glossary": [
                            "atDesk": ["en": "At desk", "zh": "在柜预收款"], "number": ["en": "Number", "zh": "登记编号"],
                            "cash": ["en": "Cash", "zh": "现金"],
                        ]
                    ],
                ]
            ],
        ]
        let method = try #require(MethodInfo.list(from: listing).first)
        let result: JSONValue = ["cards": [["number": "UT20261206-0001"]], "atDesk": 30000, "cash": 30000]
        let chinese = ResultFormatter.present(
            result, display: method.display, presentation: Self.presentation(language: "zh"))
        #expect(chinese.contains("登记编号"), "\(chinese)")
        #expect(chinese.contains("在柜预收款  ¥300.00"), "\(chinese)")
        let english = ResultFormatter.present(result, display: method.display, presentation: Self.presentation())
        #expect(english.contains("At desk  ¥300.00"), "\(english)")
    }
}
