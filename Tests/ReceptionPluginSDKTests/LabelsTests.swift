import ReceptionPluginContract
import ReceptionProtocol
import Testing

@testable import ReceptionPluginSDK

/// Words in two languages, declared once in a plugin's glossary and published in its schemas.
@Suite("labels in two languages")
struct LabelsTests {
    enum Shelf: String, ParamChoice {
        case top, bottom_row

        var label: String { self == .top ? "上层" : "底层" }
    }

    @Test("a glossary term is written into every property of that name, at any depth, keeping a param's own words")
    func glossaryAnnotatesSchemas() throws {
        let glossary = ["shelf": Words("Shelf", "货架", choices: Shelf.self).term]
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "shelf": ["type": "string", "x-i18n": ["zh": ["description": "放在哪一层"]]],
                "items": ["type": "array", "items": ["type": "object", "properties": ["shelf": ["type": "string"]]]],
                "other": ["type": "string"],
            ],
        ]
        let annotated = GlossaryAnnotation.annotate(schema, with: glossary)
        let top = annotated["properties"]?["shelf"]?["x-i18n"]
        #expect(top?["zh"]?["title"] == "货架")
        #expect(top?["zh"]?["description"] == "放在哪一层")
        #expect(top?["en"]?["title"] == "Shelf")
        #expect(top?["zh"]?["labels"]?["bottom_row"] == "底层")
        #expect(top?["en"]?["labels"]?["bottom_row"] == "bottom row")
        #expect(
            annotated["properties"]?["items"]?["items"]?["properties"]?["shelf"]?["x-i18n"]?["zh"]?["title"] == "货架")
        #expect(annotated["properties"]?["other"]?["x-i18n"] == nil)
        try SchemaSubset.check(annotated)
    }

    @Test("the schema check refuses an x-i18n member it does not know, naming it")
    func schemaCheckRefusesUnknownMembers() {
        let schema: JSONValue = ["type": "string", "x-i18n": ["zh": ["tooltip": "…"]]]
        #expect(throws: SchemaSubset.Violation.self) { try SchemaSubset.check(schema) }
        do {
            try SchemaSubset.check(schema)
        } catch {
            #expect(error.message.contains("tooltip"))
        }
    }

    @Test("a plugin's words survive the trip through the manifest")
    func manifestRoundTrip() throws {
        let labels = PluginLabels(
            title: ["en": "Mail", "zh": "邮件"], summary: ["zh": "签收邮件"],
            glossary: ["shelf": Words("Shelf", "货架", choices: Shelf.self).term])
        let manifest = PluginManifest(
            name: "mail", version: "1", summary: "Mail", topics: [], methods: [], migrations: [], labels: labels)
        let read = try PluginManifest(json: manifest.jsonValue)
        #expect(read.labels == labels)
    }

    @Test("an error's translation is sent only to a connection that asked for that language")
    func presentedErrors() {
        let error = RPCError.validation(field: "shelf", "shelf is full").localized("zh", "货架已满")
        #expect(error.presented(in: nil).message == "shelf is full")
        #expect(error.presented(in: nil).jsonValue["data"]?["i18n"] == nil)
        let chinese = error.presented(in: "zh")
        #expect(chinese.message == "货架已满")
        #expect(chinese.details["messageEn"] == "shelf is full")
        // Across the plugin ABI the translation travels in data.i18n.
        #expect(RPCError(json: error.jsonValue)?.translations == ["zh": "货架已满"])
    }
}
