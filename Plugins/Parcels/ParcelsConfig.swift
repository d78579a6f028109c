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
///
/// [plugins.parcels.id_types]             # identity documents accepted at pickup, with labels
/// id_card = "身份证"                      # (this table replaces the default list)
/// passport = "护照"
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
    /// The identity documents accepted at pickup, (value, label), in order.
    let idTypes: [(value: String, label: String)]

    /// The documents a desk accepts unless configured otherwise.
    static let defaultIDTypes: [(value: String, label: String)] = [
        ("id_card", "身份证"), ("passport", "护照"), ("residence_permit", "居住证"), ("driving_licence", "驾驶证"),
        ("hk_macao_permit", "港澳居民来往内地通行证"), ("taiwan_permit", "台湾居民来往大陆通行证"),
        ("foreign_permanent_resident_card", "外国人永久居留身份证"), ("other", "其他证件"),
    ]

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
        if let table = try config.table("id_types") {
            var types: [(String, String)] = []
            for value in table.keys.sorted() {
                guard value.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }),
                    !value.isEmpty, value.count <= 32
                else {
                    throw RPCError.validation(
                        field: "[plugins.parcels.id_types].\(value)",
                        "[plugins.parcels.id_types] \(value): a document type is lowercase letters, digits and _")
                }
                types.append((value, try table.string(value, default: value)))
            }
            try table.finish()
            guard !types.isEmpty else {
                throw RPCError.validation(
                    field: "[plugins.parcels.id_types]", "[plugins.parcels.id_types] must name at least one document type")
            }
            idTypes = types
        } else {
            idTypes = Self.defaultIDTypes
        }
        try config.finish()
    }

    /// The document type `typed` names (its value, any case, or its label); `nil` when unknown.
    func idType(_ typed: String) -> String? {
        let lowered = typed.lowercased()
        return idTypes.first { $0.value == lowered || $0.label == typed }?.value
    }

    /// `received_ms` before which a held item is overdue at `now`.
    func overdueCutoff(now: Date, days: Int? = nil) -> Int64 {
        EpochMillis.of(now) - Int64(days ?? overdueDays) * 86_400_000
    }
}
