import Foundation
import ReceptionPluginSDK

/// When a visit must end: the curfew of the day it arrives on. A visitor who arrives after the
/// curfew, or in the small hours before the visiting day starts (06:00), is past it already.
enum Curfew {
    /// 06:00: a visit that arrives earlier belongs to the night before.
    static let dayStarts = 6 * 60

    /// The instant by which a visitor arriving at `arrival` leaves.
    static func leaveBy(arrival: Date, curfew: Int, clock: LocalTime) -> Date {
        let minutes = clock.wallMinutes(arrival)
        if minutes < dayStarts || minutes >= curfew { return arrival }
        return clock.instant(clock.day(of: arrival), minutes: curfew)
    }
}
