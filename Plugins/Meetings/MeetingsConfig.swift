import Foundation
import ReceptionPluginSDK

/// The `[plugins.meetings]` config section, read strictly (an unknown key stops the plugin from
/// loading with a message naming it).
///
/// ```toml
/// [plugins.meetings]
/// tea_refill_minutes = 20          # tea refilled this often while a meeting with `tea` runs (5-120)
/// max_series = 60                  # most bookings one repeat makes
///
/// [plugins.meetings.templates]     # the tasks each class of meeting gets (AV tasks only with av)
/// routine = ["tea", "room_check", "av_sheet", "av_check", "reset"]
/// major = ["materials", "setup", "tea", "room_check", "av_sheet", "av_check", "staff_on_site", "reset"]
/// ad_hoc = ["staff_on_site", "tea", "room_check", "av_sheet", "av_check", "reset"]
///
/// [plugins.meetings.teams]         # which team does each kind of task
/// tea = "front_desk"
/// av_check = "av"
/// reset = "facilities"
/// ```
struct MeetingsConfig: Sendable {
    /// The kinds of task a class's template may list (when each is due: ``TaskPlan``).
    static let templateKinds = [
        "tea", "room_check", "av_sheet", "av_check", "materials", "setup", "staff_on_site", "reset",
    ]

    /// Every kind of task the desk knows: the template kinds, `tea_refill` (made while a meeting
    /// whose template has `tea` runs, see ``TeaRefills``) and the day's `open_rooms`.
    static let kinds = templateKinds + ["tea_refill", "open_rooms"]

    /// The tasks of each class when none are configured.
    static let defaultTemplates: [MeetingClass: [String]] = [
        .routine: ["tea", "room_check", "av_sheet", "av_check", "reset"],
        .major: ["materials", "setup", "tea", "room_check", "av_sheet", "av_check", "staff_on_site", "reset"],
        .adHoc: ["staff_on_site", "tea", "room_check", "av_sheet", "av_check", "reset"],
    ]

    /// The team of each kind when none is configured.
    static let defaultTeams = [
        "tea": "front_desk", "room_check": "facilities", "av_sheet": "front_desk", "av_check": "av",
        "materials": "front_desk", "setup": "facilities", "staff_on_site": "front_desk", "reset": "facilities",
        "tea_refill": "front_desk", "open_rooms": "front_desk",
    ]

    /// Task kinds by class.
    let templates: [MeetingClass: [String]]
    /// Team by task kind.
    let teams: [String: String]
    /// Minutes after a meeting starts, and after each refill, that the next tea refill is due.
    let teaRefillMinutes: Int
    /// Most bookings one repeat makes.
    let maxSeries: Int
    /// The property's zone.
    let local: LocalTime

    /// Reads the section; a bad value or an unknown key is a validation error naming it.
    init(_ config: PluginConfig) throws(RPCError) {
        teaRefillMinutes = Int(try config.int("tea_refill_minutes", default: 20, in: 5...120))
        maxSeries = Int(try config.int("max_series", default: 60, in: 2...366))
        local = LocalTime(zone: config.timeZone)
        var templates = Self.defaultTemplates
        if let table = try config.table("templates") {
            for meetingClass in MeetingClass.allCases {
                guard let raw = table.raw(meetingClass.rawValue) else { continue }
                let field = "[plugins.meetings.templates].\(meetingClass.rawValue)"
                guard let kinds = raw.arrayValue?.compactMap(\.stringValue), kinds.count == raw.arrayValue?.count,
                    kinds.allSatisfy(Self.templateKinds.contains)
                else {
                    throw RPCError.validation(
                        field: field,
                        "\(field) must be a list of task kinds: \(Self.templateKinds.joined(separator: ", "))")
                }
                templates[meetingClass] = kinds
            }
            try table.finish()
        }
        self.templates = templates
        var teams = Self.defaultTeams
        if let table = try config.table("teams") {
            for kind in Self.kinds {
                if let team = try table.optionalString(kind) {
                    guard !team.isEmpty, team.count <= 32 else {
                        throw RPCError.validation(
                            field: "[plugins.meetings.teams].\(kind)", "a team's name is 1 to 32 characters")
                    }
                    teams[kind] = team
                }
            }
            try table.finish()
        }
        self.teams = teams
        try config.finish()
    }
}
