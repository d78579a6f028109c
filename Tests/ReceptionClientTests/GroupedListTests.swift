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
