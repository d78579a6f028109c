import Foundation
import ReceptionClient
import ReceptionProtocol
import Testing

/// How `receptionctl` reads the dates and times a clerk types: in the daemon's zone, at a fixed "now".
@Suite("receptionctl: dates and times typed by people")
struct DateInputTests {
    /// 2026-12-06 22:30 in Shanghai (14:30 UTC): "tomorrow" there is already the 7th in New York's evening.
    static let now = Date(timeIntervalSince1970: 1_796_567_400)
    static func reader(_ zone: String) throws -> DateInput {
        DateInput(timeZone: try #require(TimeZone(identifier: zone)), now: now)
    }

    @Test("Each form becomes ISO 8601 with the zone's offset; a plain date is that day's start")
    func dateTimeForms() throws {
        let shanghai = try Self.reader("Asia/Shanghai")
        #expect(shanghai.dateTime("2026-12-06 18:00") == .success("2026-12-06T18:00:00.000+08:00"))
        #expect(shanghai.dateTime("2026-12-06T18:00") == .success("2026-12-06T18:00:00.000+08:00"))
        #expect(shanghai.dateTime("18:00") == .success("2026-12-06T18:00:00.000+08:00"))
        #expect(shanghai.dateTime("9:05") == .success("2026-12-06T09:05:00.000+08:00"))
        #expect(shanghai.dateTime("tomorrow 18:00") == .success("2026-12-07T18:00:00.000+08:00"))
        #expect(shanghai.dateTime("Today  7:00:30") == .success("2026-12-06T07:00:30.000+08:00"))
        #expect(shanghai.dateTime("2026-12-06") == .success("2026-12-06T00:00:00.000+08:00"))
        #expect(shanghai.dateTime("２０２６-１２-０６ １８：００") == .success("2026-12-06T18:00:00.000+08:00"))
        #expect(shanghai.dateTime("2026-12-06T18:00:00-05:00") == .success("2026-12-06T18:00:00-05:00"))
        #expect(shanghai.dateTime("2026-12-06T18:00-05:00") == .success("2026-12-06T18:00:00-05:00"), "no seconds")
        #expect(shanghai.dateTime("2026-12-06 18:00:30Z") == .success("2026-12-06T18:00:30Z"), "a space for the T")
        let newYork = try Self.reader("America/New_York")
        #expect(newYork.dateTime("18:00") == .success("2026-12-06T18:00:00.000-05:00"), "today is the zone's today")
        #expect(newYork.dateTime("2026-07-01 09:00") == .success("2026-07-01T09:00:00.000-04:00"), "summer time")
    }

    @Test("Dates take YYYY-MM-DD, today and tomorrow, counted in the zone")
    func dateForms() throws {
        let shanghai = try Self.reader("Asia/Shanghai")
        #expect(shanghai.date("2027-5-31") == .success("2027-05-31"))
        #expect(shanghai.date("today") == .success("2026-12-06"))
        #expect(shanghai.date("tomorrow") == .success("2026-12-07"))
        #expect(try Self.reader("Pacific/Kiritimati").date("today") == .success("2026-12-07"), "UTC+14 is a day ahead")
        #expect(shanghai.date("18:00") == .failure(.notRecognised), "a time is not a date")
    }

    @Test("Anything else is refused, telling a form that is wrong from a day that does not exist")
    func refusals() throws {
        let reader = try Self.reader("Asia/Shanghai")
        for typed in ["18h", "2026/12/06", "six", "", "18:00:00:00", "tomorrow 18", "2026-12-06 18"] {
            #expect(reader.dateTime(typed) == .failure(.notRecognised), "\(typed)")
        }
        for typed in ["2026-02-30", "2026-13-01 10:00", "24:00", "12:60"] {
            #expect(reader.dateTime(typed) == .failure(.noSuchDateOrTime), "\(typed)")
        }
    }

    @Test("ParamsBuilder sends a date-time option in the daemon's zone and names the option when it is wrong")
    func throughParamsBuilder() throws {
        let method = MethodInfo(
            name: "access.keys.checkout",
            params: [
                ParamSpec(name: "dueBack", kind: .string, required: true, format: "date-time"),
                ParamSpec(name: "validUntil", kind: .string, format: "date"),
            ])
        let shanghai = try Self.reader("Asia/Shanghai")
        let built = try ParamsBuilder.build(
            options: ["--due-back", "tomorrow 12:00", "--valid-until", "2027-05-31"], for: method, dates: shanghai)
        #expect(built == ["dueBack": "2026-12-07T12:00:00.000+08:00", "validUntil": "2027-05-31"])
        #expect(throws: UsageError.self) { try ParamsBuilder.build(options: ["--due-back", "noon"], for: method) }
        do {
            _ = try ParamsBuilder.build(options: ["--due-back", "noon"], for: method, dates: shanghai)
        } catch {
            #expect(error.option == "--due-back")
            #expect(error.message.hasPrefix("--due-back needs a time written YYYY-MM-DD HH:MM"), "\(error.message)")
        }
    }
}
