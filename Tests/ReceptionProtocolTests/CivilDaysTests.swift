import Foundation
import ReceptionProtocol
import Testing

/// `CivilDays`: the one day-count calendar behind timestamps, log lines and department dates.
@Suite("Civil days")
struct CivilDaysTests {
    @Test("Known dates: the epoch, leap days, century years, before 1970")
    func knownDates() {
        #expect(CivilDays.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDays.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilDays.days(year: 1969, month: 12, day: 31) == -1)
        #expect(CivilDays.civil(fromDays: 20_418) == (2025, 11, 26))
        #expect(CivilDays.civil(fromDays: -719_162) == (1, 1, 1))
        #expect(CivilDays.daysIn(month: 2, year: 2024) == 29)
        #expect(CivilDays.daysIn(month: 2, year: 1900) == 28)
        #expect(CivilDays.daysIn(month: 2, year: 2000) == 29)
        #expect(CivilDays.floorDivide(-1, 86_400) == -1)
    }

    @Test("Every day from year 1 to 9999 converts to its date and back, and agrees with Calendar")
    func roundTripsAndAgreesWithCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let first = CivilDays.days(year: 1, month: 1, day: 1)
        let last = CivilDays.days(year: 9999, month: 12, day: 31)
        var previous = CivilDays.civil(fromDays: first - 1)
        for days in first...last {
            let date = CivilDays.civil(fromDays: days)
            #expect(CivilDays.days(year: date.year, month: date.month, day: date.day) == days)
            // The next day: same month and one more, or the first of the next month.
            let advanced =
                (date.year == previous.year && date.month == previous.month && date.day == previous.day + 1)
                || (date.day == 1 && previous.day == CivilDays.daysIn(month: previous.month, year: previous.year))
            if !advanced { Issue.record("day \(days): \(previous) then \(date)") }
            previous = date
        }
        // Calendar agrees wherever it uses the Gregorian rules (from 1583 on).
        for days in stride(from: CivilDays.days(year: 1583, month: 1, day: 1), through: last, by: 997) {
            let parts = calendar.dateComponents(
                [.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            let date = CivilDays.civil(fromDays: days)
            #expect(parts.year == date.year && parts.month == date.month && parts.day == date.day)
        }
    }
}
