import Foundation
import ReceptionPluginSDK

/// The `[plugins.visitors]` config section, read strictly (an unknown key stops the plugin from
/// loading with a message naming it).
///
/// ```toml
/// [plugins.visitors]
/// curfew = "23:00"                 # visitors leave by then (a wall time in [daemon] time_zone)
///
/// # The identity documents the desk accepts, each with its Chinese label; `overnight = true`
/// # marks the state-issued ones that count for a night's stay. Given, the table replaces the
/// # whole default list below.
/// [plugins.visitors.documents]
/// passport = { zh = "护照", overnight = true }
/// id_card = { zh = "身份证", overnight = true }
/// home_return_permit = { zh = "回乡证", overnight = true }
/// taiwan_permit = { zh = "台胞证", overnight = true }
/// residence_permit = { zh = "居住证" }
/// driving_licence = { zh = "驾驶证" }
/// ```
struct VisitorsConfig: Sendable {
    /// The documents accepted when none are configured: the four state-issued ones count for the
    /// night, a residence permit and a driving licence by day only. Their Chinese labels are the
    /// desk's short words (身份证 for 居民身份证, 回乡证 for 港澳居民来往内地通行证, 台胞证 for
    /// 台湾居民来往大陆通行证), because receptionctl takes a label as the typed value: what the
    /// help and the error list is what the clerk can type.
    static let defaultDocuments = [
        DocumentType(name: "passport", en: "passport", zh: "护照", overnight: true),
        DocumentType(name: "id_card", en: "identity card", zh: "身份证", overnight: true),
        DocumentType(
            name: "home_return_permit", en: "Home Return Permit", zh: "回乡证", overnight: true),
        DocumentType(name: "taiwan_permit", en: "Taiwan Compatriot Permit", zh: "台胞证", overnight: true),
        DocumentType(name: "residence_permit", en: "residence permit", zh: "居住证", overnight: false),
        DocumentType(name: "driving_licence", en: "driving licence", zh: "驾驶证", overnight: false),
    ]

    /// Minutes after local midnight by which visitors leave (23:00 → 1380).
    let curfew: Int
    /// `23:00`, as configured.
    let curfewText: String
    /// The accepted documents, in the configured order.
    let documents: [DocumentType]

    /// Reads the section; a bad value or an unknown key is a validation error naming it.
    init(_ config: PluginConfig) throws(RPCError) {
        curfewText = try config.string("curfew", default: "23:00")
        guard let minutes = LocalTime.minutes(curfewText), (12 * 60..<24 * 60).contains(minutes) else {
            throw RPCError.validation(
                field: "[plugins.visitors].curfew",
                "[plugins.visitors] curfew must be a time between 12:00 and 23:59 (HH:MM), got \"\(curfewText)\"")
        }
        curfew = minutes
        if let table = try config.table("documents") {
            var documents: [DocumentType] = []
            for name in table.keys.sorted() {
                documents.append(try DocumentType(name: name, table: table))
            }
            guard !documents.isEmpty, documents.count <= 32 else {
                throw RPCError.validation(
                    field: "[plugins.visitors.documents]", "[plugins.visitors.documents] lists 1 to 32 document types")
            }
            self.documents = documents
        } else {
            documents = Self.defaultDocuments
        }
        try config.finish()
    }

    /// The accepted document `name`, or a validation error naming `field` and listing the accepted ones.
    func document(_ name: String, field: String = "idType") throws(RPCError) -> DocumentType {
        guard let found = documents.first(where: { $0.name == name }) else {
            throw RPCError(
                .validation,
                "\(field) must be one of \(documents.map(\.name).joined(separator: ", ")), got \"\(name)\"",
                field: field,
                details: ["rule": "document_accepted", "accepted": .array(documents.map { .string($0.name) })]
            ).localized("zh", "不受理“\(name)”这种证件，可用的有：" + documents.map(\.zh).joined(separator: "、"))
        }
        return found
    }
}

/// One kind of identity document the desk accepts.
struct DocumentType: Sendable {
    /// The wire value (`passport`).
    let name: String
    /// How English messages name it.
    let en: String
    /// How Chinese messages name it (护照).
    let zh: String
    /// Whether it is state-issued and counts for registering a night's stay.
    let overnight: Bool

    /// A document type.
    init(name: String, en: String, zh: String, overnight: Bool) {
        self.name = name
        self.en = en
        self.zh = zh
        self.overnight = overnight
    }

    /// Reads `[plugins.visitors.documents].<name>`: `{ zh = "…", en = "…"?, overnight = false? }`.
    init(name: String, table: PluginConfig) throws(RPCError) {
        let field = "[plugins.visitors.documents].\(name)"
        guard (1...32).contains(name.count), name.allSatisfy({ ($0.isASCII && $0.isLowercase) || $0 == "_" }) else {
            throw RPCError.validation(field: field, "\(field): a document type is 1 to 32 lowercase letters or _")
        }
        guard let members = table.raw(name)?.objectValue else {
            throw RPCError.validation(field: field, "\(field) must be a table: { zh = \"…\", overnight = true }")
        }
        let entry = PluginConfig(members, section: field)
        guard let zh = try entry.optionalString("zh"), !zh.isEmpty, zh.count <= 40 else {
            throw RPCError.validation(field: "\(field).zh", "\(field) needs its Chinese label zh (1 to 40 characters)")
        }
        let en = try entry.string("en", default: name.replacingOccurrences(of: "_", with: " "))
        let overnight = try entry.bool("overnight", default: false)
        try entry.finish()
        self.init(name: name, en: en, zh: zh, overnight: overnight)
    }

    /// The document as the wire lists it (`visitors.documents`).
    var json: JSONValue {
        ["idType": .string(name), "en": .string(en), "zh": .string(zh), "overnight": .bool(overnight)]
    }
}
