import Logging
import ReceptionSystemd
import Testing

@Suite struct JournalFieldMappingTests {
    @Test(arguments: [
        ("plugin", "PLUGIN"), ("method", "METHOD"), ("request_id", "REQUEST_ID"),
        ("workstation", "WORKSTATION"), ("operator", "OPERATOR"), ("peer_uid", "PEER_UID"),
    ])
    func daemonMetadataKeys(key: String, expected: String) {
        #expect(JournaldLogHandler.fieldName(forMetadataKey: key) == expected)
    }

    @Test(arguments: [
        ("request-id", "REQUEST_ID"), ("a.b c", "A_B_C"), ("Mixed9Case", "MIXED9CASE"),
        ("_private", "PRIVATE"), ("__cursor", "CURSOR"), ("1abc", "ABC"), ("9_1x", "X"),
        ("héllo", "H_LLO"), ("👍x", "X"), ("x👍", "X_"), ("already_UPPER", "ALREADY_UPPER"),
    ])
    func invalidCharactersAndLeadingJunk(key: String, expected: String) {
        #expect(JournaldLogHandler.fieldName(forMetadataKey: key) == expected)
    }

    @Test(arguments: ["", "_", "___", "42", "_1_2", "-", "."])
    func keysWithNothingLeftAreDropped(key: String) {
        #expect(JournaldLogHandler.fieldName(forMetadataKey: key) == nil)
    }

    @Test func handlerOwnedFieldsCannotBeOverridden() {
        #expect(JournaldLogHandler.fieldName(forMetadataKey: "message") == "META_MESSAGE")
        #expect(JournaldLogHandler.fieldName(forMetadataKey: "priority") == "META_PRIORITY")
        #expect(JournaldLogHandler.fieldName(forMetadataKey: "code_line") == "META_CODE_LINE")
        #expect(JournaldLogHandler.fieldName(forMetadataKey: "syslog-identifier") == "META_SYSLOG_IDENTIFIER")
        #expect(JournaldLogHandler.fieldName(forMetadataKey: "message_id") == "MESSAGE_ID")
    }

    @Test func longNamesAreCutTo64Characters() {
        let name = JournaldLogHandler.fieldName(forMetadataKey: String(repeating: "k", count: 200))
        #expect(name == String(repeating: "K", count: 64))
    }

    @Test func everyMappedNameIsValidForJournald() {
        let keys = ["a", "ä", "x y z", "\n", "z\0z", "0x", "_A_", String(repeating: "_a", count: 50), "🙂🙂a", "MESSAGE"]
        for key in keys {
            guard let name = JournaldLogHandler.fieldName(forMetadataKey: key) else { continue }
            #expect(!name.isEmpty && name.utf8.count <= 64)
            #expect(name.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F })
            #expect(name.utf8.first.map { $0 >= 0x41 && $0 <= 0x5A } == true)
            #expect(!JournaldLogHandler.reservedFieldNames.contains(name))
        }
    }

    @Test func priorities() {
        let expected: [Logger.Level: Int] = [
            .trace: 7, .debug: 7, .info: 6, .notice: 5, .warning: 4, .error: 3, .critical: 2,
        ]
        for level in Logger.Level.allCases {
            #expect(JournaldLogHandler.syslogPriority(for: level) == expected[level])
        }
    }
}
