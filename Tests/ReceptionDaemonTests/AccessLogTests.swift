import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// At the shipped level (`info`), every committed write a client makes is logged with who made
/// it and where (the journal's WORKSTATION, OPERATOR, METHOD fields): an access log of changes.
/// Reads and the daemon's own background writes stay at debug.
@Suite("The access log of changes")
struct AccessLogTests {
    @Test("at info: a write is logged with its method, workstation and operator; a read and background work are not")
    func writesAtInfo() throws {
        let daemon = try TestDaemon(logLevel: "info")
        try daemon.start()
        let clerk = try daemon.counter(desk: "desk-3", operator: "zhao.lei")
        let note = try clerk.call("example.note.add", ["text": "钥匙 12 借出"])
        try clerk.call("example.note.list")
        // The note's stamp is background work (example.note.stamp, role system): wait for it.
        for _ in 0..<200 {
            let notes = try clerk.call("example.note.list")["notes"]?.arrayValue ?? []
            if notes.first?["stampedAt"]?.stringValue != nil { break }
            usleep(20_000)
        }
        try daemon.stop()
        let lines = daemon.log.split(separator: "\n")
        let writes = lines.filter { $0.contains("example.note.add committed") }
        #expect(writes.count == 1, "\(daemon.log)")
        let line = String(writes.first ?? "")
        #expect(line.contains("desk-3") && line.contains("zhao.lei"), "who and where: \(line)")
        #expect(line.contains("request_id"), "\(line)")
        #expect(!daemon.log.contains("example.note.list"), "reads are not logged at info")
        #expect(!daemon.log.contains("example.note.stamp committed"), "background work is not logged at info")
        #expect(note["id"] != nil)
    }
}
