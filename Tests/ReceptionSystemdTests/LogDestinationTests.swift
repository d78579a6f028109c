import Logging
import ReceptionSystemd
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension ProcessEnvironmentTests {
    @Suite struct LogDestinationTests {
        private func stderrIdentity() throws -> String {
            var info = stat()
            try #require(fstat(STDERR_FILENO, &info) == 0)
            return "\(info.st_dev):\(info.st_ino)"
        }

        @Test func matchingJournalStreamMeansJournal() throws {
            let identity = try stderrIdentity()
            withEnvironment("JOURNAL_STREAM", identity) {
                #expect(LogDestination.connectedToJournal())
                let handler = LogDestination.makeHandler(label: "l", identifier: "receptiond", level: .notice)
                #expect(handler is JournaldLogHandler)
                #expect(handler.logLevel == .notice)
            }
        }

        @Test func otherValuesMeanStderr() throws {
            let identity = try stderrIdentity()
            for value in [nil, "", "1:2", "garbage", identity + ":0", identity + "1", ":" + identity] as [String?] {
                withEnvironment("JOURNAL_STREAM", value) {
                    #expect(!LogDestination.connectedToJournal(), "JOURNAL_STREAM=\(value ?? "<unset>")")
                }
            }
            withEnvironment("JOURNAL_STREAM", nil) {
                var handler = LogDestination.makeHandler(label: "l", identifier: "receptiond", level: .debug)
                #expect(handler is StderrLogHandler)
                #expect(handler.logLevel == .debug)
                handler.logLevel = .error
                #expect(handler.logLevel == .error)
            }
        }
    }
}
