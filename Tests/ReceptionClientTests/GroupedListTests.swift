import Foundation
import ReceptionClient
import ReceptionProtocol
import Testing

/// A list of groups (the meetings agenda: rooms, each with its bookings) read as one table: a
/// row per booking with its room alongside, an empty room still listed.
@Suite("Results for people: a list of groups is one table")
struct GroupedListTests {
    static let display = ResultDisplay(
        title: "room", list: "rooms", columns: ["room", "name", "booking", "start", "end", "title"],
        schema: [
            "type": "object",
            "properties": [
                "start": ["type": "string", "format": "date-time"], "end": ["type": "string", "format": "date-time"],
            ],
        ])

    @Test("an agenda: each booking a row under its room's id and name, in order; an empty room is one row")
    func agenda() {
        let agenda: JSONValue = [
            "date": "2026-12-07",
            "rooms": [
                [
                    "room": "R301", "name": "301 董事会议室",
                    "bookings": [
                        [
                            "booking": "MT20261206-0001", "room": "R301", "title": "年度战略发布会",
                            "start": "2026-12-07T14:00:00.000+08:00", "end": "2026-12-07T16:00:00.000+08:00",
                        ],
                        [
                            "booking": "MT20261206-0002", "room": "R301", "title": "周例会",
                            "start": "2026-12-07T16:00:00.000+08:00", "end": "2026-12-07T17:00:00.000+08:00",
                        ],
                    ],
                ],
                ["room": "R502", "name": "502 小会议室", "bookings": []],
            ],
        ]
        let text = ResultFormatter.present(
            agenda, display: Self.display, presentation: PresentationTests.presentation(width: 120))
        let lines = text.split(separator: "\n").map(String.init)
        let first = lines.firstIndex { $0.contains("MT20261206-0001") }
        let second = lines.firstIndex { $0.contains("MT20261206-0002") }
        let empty = lines.firstIndex { $0.contains("R502") }
        #expect(first != nil && second != nil && empty != nil, "\(text)")
        if let first, let second, let empty { #expect(first < second && second < empty, "\(text)") }
        #expect(lines.first { $0.contains("MT20261206-0001") }?.contains("301 董事会议室") == true, "\(text)")
        #expect(lines.first { $0.contains("MT20261206-0002") }?.contains("16:00") == true, "\(text)")
        #expect(!text.contains("{") && !text.contains("+08:00"), "no JSON, no raw times:\n\(text)")
        #expect(text.contains("2026-12-07"), "the date, below the table:\n\(text)")
    }

    @Test("rows whose arrays are not lists of records (a room's equipment) are left as they are")
    func notGroups() {
        let rooms: JSONValue = [
            "rooms": [["room": "R301", "equipment": ["projector"]], ["room": "R502", "equipment": []]]
        ]
        let text = ResultFormatter.present(
            rooms, display: ResultDisplay(list: "rooms", columns: ["room", "equipment"]),
            presentation: PresentationTests.presentation(width: 120))
        #expect(
            text.split(separator: "\n").filter { $0.hasPrefix("R301") || $0.hasPrefix("R502") }.count == 2, "\(text)")
    }
}

/// A record that holds a list of records of its own (a visit and its attempts to reach the host)
/// is one block, the inner records nested under it, not a table of the inner ones; in a list of
/// such records each is one row.
@Suite("Results for people: a record's own list stays with the record")
struct RecordWithListTests {
    @Test("a visit with its contacts: titled by its number and status, its members, then each contact nested")
    func visitWithContacts() {
        let visit: JSONValue = [
            "visit": "V20261206-0002", "name": "赵强", "hostUnit": "5-1-302", "status": "waiting",
            "contacts": [
                ["channel": "intercom", "result": "no_answer", "by": "li.na", "at": "2026-12-06T20:41:00.000+08:00"],
                ["channel": "flat_phone", "result": "no_answer", "by": "li.na", "at": "2026-12-06T20:42:00.000+08:00"],
            ],
        ]
        let display = ResultDisplay(title: "visit", columns: ["visit", "name", "hostUnit", "status"])
        let text = ResultFormatter.present(
            visit, display: display, presentation: PresentationTests.presentation(width: 120))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("V20261206-0002") == true, "the title line first:\n\(text)")
        #expect(lines.contains { $0.contains("赵强") } && lines.contains { $0.contains("5-1-302") }, "\(text)")
        #expect(lines.filter { $0.contains("no_answer") || $0.contains("no answer") }.count == 2, "\(text)")
        #expect(lines.contains { $0.contains("flat_phone") || $0.contains("flat phone") }, "\(text)")
        // In a list of visits, a visit is one row: the columns show the visit, not its contacts.
        let listed = ResultFormatter.present(
            ["visits": [visit]], display: ResultDisplay(title: "visit", list: "visits", columns: ["visit", "name"]),
            presentation: PresentationTests.presentation(width: 120))
        #expect(listed.split(separator: "\n").count == 3, "a header, a rule, one row:\n\(listed)")
        #expect(!listed.contains("no_answer") && !listed.contains("no answer"), "\(listed)")
    }
}
