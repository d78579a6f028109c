import ReceptionClient
import ReceptionProtocol
import Testing

/// How receptionctl words a daemon's error for the person who typed the options.
@Suite("OptionWording: daemon errors in the options a person typed")
struct OptionWordingTests {
    /// `parcels.receive`, `parcels.receiveBatch` and `parcels.pickup` as `daemon.methods` describes them (trimmed).
    static let receive = MethodInfo(
        name: "parcels.receive",
        params: [
            ParamSpec(name: "kind", kind: .string, required: true),
            ParamSpec(name: "condition", kind: .string, choices: ["intact", "damaged"]),
            ParamSpec(name: "damageNote", kind: .string),
            ParamSpec(name: "tracking", kind: .string),
        ])
    static let batch = MethodInfo(
        name: "parcels.receiveBatch", params: [ParamSpec(name: "items", kind: .array(items: .object), required: true)])
    static let pickup = MethodInfo(
        name: "parcels.pickup",
        params: [
            ParamSpec(name: "codes", kind: .array(items: .string), required: true, positional: true),
            ParamSpec(name: "collectedBy", kind: .string, required: true, aliases: ["by"]),
            ParamSpec(name: "idType", kind: .string, required: true),
            ParamSpec(name: "idLast4", kind: .string, required: true),
        ])

    @Test("A camelCase field becomes its kebab-case option, and the [kind] tag drops the wire name")
    func kebabCaseOption() {
        let wording = OptionWording(method: Self.receive, spellings: ["condition": "--condition"])
        let error = RPCError.validation(field: "damageNote", "damageNote is required when condition is damaged")
        #expect(wording.describe(error) == "--damage-note is required when condition is damaged [validation]")
    }

    @Test("The alias the person typed is the one named: --by, not --collected-by")
    func aliasAsTyped() {
        let typed = OptionWording(method: Self.pickup, spellings: ["collectedBy": "--by", "codes": ""])
        let error = RPCError.validation(field: "collectedBy", "collectedBy must not be empty")
        #expect(typed.describe(error) == "--by must not be empty [validation]")
        let untyped = OptionWording(method: Self.pickup)
        #expect(untyped.describe(error) == "--collected-by must not be empty [validation]")
    }

    @Test("Other camelCase params in the message are named as options too; plain words stay words")
    func otherParamsInTheMessage() {
        let wording = OptionWording(method: Self.pickup)
        let error = RPCError.validation(field: "idLast4", "idLast4 is required with idType")
        #expect(wording.describe(error) == "--id-last4 is required with --id-type [validation]")
    }

    @Test("A field inside a list is counted from 1: items[2].unit is item 3's --unit")
    func batchItemsCountFromOne() {
        let wording = OptionWording(method: Self.batch)
        #expect(
            wording.label(forField: "items[2].unit") == OptionWording.FieldLabel(element: "item 3", option: "--unit"))
        let required = RPCError.invalidParams(field: "items[2].damageNote", "items[2].damageNote is required")
        #expect(wording.describe(required) == "item 3: --damage-note is required [validation]")
        let twice = RPCError(
            .conflict, "SF SF1 is listed twice in this batch: items[0] and items[1] (scanned twice?)",
            field: "items[1].tracking")
        #expect(
            wording.describe(twice)
                == "item 2, --tracking: SF SF1 is listed twice in this batch: item 1 and item 2 (scanned twice?) [conflict]"
        )
    }

    @Test("An element of a positional list is named by its place: codes[1] is code 2")
    func positionalListElement() {
        let wording = OptionWording(method: Self.pickup, spellings: ["codes": ""])
        let error = RPCError.validation(field: "codes[1]", "codes[1]: K7M3 is listed twice")
        #expect(wording.describe(error) == "code 2: K7M3 is listed twice [validation]")
    }

    @Test("A validation error whose message does not name its field is prefixed with the option")
    func unnamedFieldIsPrefixed() {
        let wording = OptionWording(method: Self.pickup)
        let error = RPCError.validation(field: "idType", "must be one of id_card, passport")
        #expect(wording.describe(error) == "--id-type: must be one of id_card, passport [validation]")
    }

    @Test("A field that is not a param of the method keeps the wire form [kind, field]")
    func unknownFieldKeepsWireForm() {
        let wording = OptionWording(method: Self.receive)
        let error = RPCError.validation(field: "[plugins.parcels].notifier", "unknown notifier")
        #expect(wording.describe(error) == "unknown notifier [validation, [plugins.parcels].notifier]")
        #expect(wording.describe(RPCError(.notFound, "no item Z9Z9")) == "no item Z9Z9 [not_found]")
    }

    @Test("A longer word that starts like a param is left alone: damageNotes is not --damage-note")
    func wholeWordsOnly() {
        let wording = OptionWording(method: Self.receive)
        let error = RPCError.validation(field: "damageNote", "damageNotes are short; damageNote is too long")
        #expect(wording.describe(error) == "damageNotes are short; --damage-note is too long [validation]")
    }
}

/// "Did you mean" for options, and the record of how each option was typed.
@Suite("ParamsBuilder: misspelled options and typed spellings")
struct ParamsBuilderSuggestionTests {
    @Test("A misspelled option suggests the closest ones, params and receptionctl's own")
    func suggestsCloseOptions() {
        let method = OptionWordingTests.receive
        #expect(
            throws: UsageError(
                "unknown option --damage-nte for parcels.receive; did you mean --damage-note?", option: "--damage-nte",
                suggestions: ["--damage-note"], isUnknownOption: true)
        ) {
            try ParamsBuilder.parse(options: ["--kind", "letter", "--damage-nte", "x"], for: method)
        }
        #expect(
            throws: UsageError(
                "unknown option --jsn for parcels.receive; did you mean --json?", option: "--jsn",
                suggestions: ["--json"], isUnknownOption: true)
        ) {
            try ParamsBuilder.parse(options: ["--kind", "letter", "--jsn"], for: method, alsoAccepted: ["json"])
        }
        // The start of a name continues it: --damage → --damage-note.
        #expect(ParamsBuilder.suggestedOptions(for: "damage", in: method, alsoAccepted: []) == ["--damage-note"])
        // Nothing close: no suggestion, and the message says only what was wrong.
        #expect(
            throws: UsageError(
                "unknown option --zzzzzz for parcels.receive", option: "--zzzzzz", isUnknownOption: true)
        ) {
            try ParamsBuilder.parse(options: ["--zzzzzz", "1"], for: method)
        }
    }

    @Test("Each param records the option it was given by: alias, kebab or wire name, or bare words")
    func recordsSpellings() throws {
        let built = try ParamsBuilder.parse(
            options: ["K7M3", "--by", "李娜", "--idType", "id_card", "--id-last4", "071X"],
            for: OptionWordingTests.pickup)
        #expect(built.spellings == ["codes": "", "collectedBy": "--by", "idType": "--idType", "idLast4": "--id-last4"])
        #expect(built.params["collectedBy"] == "李娜")
    }
}
