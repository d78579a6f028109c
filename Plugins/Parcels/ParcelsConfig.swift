import Foundation
import ReceptionPluginSDK

/// The `[plugins.parcels]` config section, read strictly (an unknown key stops the plugin from
/// loading with a message naming it).
///
/// ```toml
/// [plugins.parcels]
/// overdue_days = 7                       # held longer than this: parcels.overdue, stats
/// code_length = 4                        # pickup code characters (4-8), e.g. K7M3
/// notifier = "/usr/lib/receptiond/notify-sms"   # run for each notification, item JSON on stdin
/// notifier_timeout_seconds = 10
/// ```
struct ParcelsConfig: Sendable {
    /// Items held longer than this many days are overdue (0: every held item is).
    let overdueDays: Int
    /// Characters in a new pickup code (letters and digits alternating).
    let codeLength: Int
    /// The notifier command, when configured.
    let notifier: NotifierCommand?
    /// The pickup code length in use (this configuration's own).
    let codeLengths = CodeLengthMemory()

    init(_ config: PluginConfig) throws(RPCError) {
        overdueDays = Int(try config.int("overdue_days", default: 7, in: 0...3650))
        codeLength = Int(try config.int("code_length", default: Int64(PickupCode.defaultLength), in: 4...8))
        let timeout = try config.int("notifier_timeout_seconds", default: 10, in: 1...300)
        if let path = try config.optionalString("notifier") {
            guard path.hasPrefix("/") else {
                throw RPCError.validation(
                    field: "[plugins.parcels].notifier",
                    "[plugins.parcels] notifier must be an absolute path, got \"\(path)\"")
            }
            notifier = NotifierCommand(path: path, timeout: .seconds(timeout))
        } else {
            notifier = nil
        }
        try config.finish()
    }

    /// `received_ms` before which a held item is overdue at `now`.
    func overdueCutoff(now: Date, days: Int? = nil) -> Int64 {
        EpochMillis.of(now) - Int64(days ?? overdueDays) * 86_400_000
    }
}
