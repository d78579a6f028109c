import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Many clients at once: every acknowledged write is stored exactly once, and reads keep
/// answering while another connection floods the writer.
///
/// Each client runs on its own thread with its own connection, as the front-desk workstations do.
@Suite("Concurrent clients", .timeLimit(.minutes(3)))
struct ConcurrencyTests {
    @Test("8 connections adding 50 notes each at once: all 400 acknowledged, and the list holds exactly those 400")
    func noLostUpdates() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let socket = daemon.socketPath
        let outcomes = runOnThreads(8) { worker -> [Int64] in
            let client = try RPCConnection(socketPath: socket, timeout: .seconds(30))
            defer { client.close() }
            try client.call("daemon.hello", ["workstation": .string("desk-\(worker)")])
            var ids: [Int64] = []
            for n in 0..<50 {
                let note = try client.call("example.note.add", ["text": .string("w\(worker)-n\(n)")])
                guard note["text"] == .string("w\(worker)-n\(n)"), let id = note["id"]?.intValue else {
                    throw TestDaemonError("worker \(worker) note \(n): unexpected reply \(note.serialized())")
                }
                ids.append(id)
            }
            return ids
        }
        var acknowledged: [Int64] = []
        for (worker, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(let ids):
                #expect(ids.count == 50)
                // One connection waits for each reply before the next add: its ids only grow.
                #expect(ids == ids.sorted(), "worker \(worker)'s notes were stored out of order: \(ids)")
                acknowledged += ids
            case .failure(let error):
                Issue.record("worker \(worker) failed: \(error)")
            }
        }
        #expect(acknowledged.count == 400)
        #expect(Set(acknowledged).count == 400, "two acknowledged adds got the same id")

        let client = try daemon.connect()
        let notes = try #require(try client.call("example.note.list", ["limit": 1000])["notes"]?.arrayValue)
        #expect(notes.count == 400)
        let stored = Set(notes.compactMap { $0["id"]?.intValue })
        #expect(stored.count == 400)
        #expect(stored == Set(acknowledged), "stored ids differ from acknowledged ids")
        let texts = Set(notes.compactMap { $0["text"]?.stringValue })
        #expect(texts == Set((0..<8).flatMap { w in (0..<50).map { "w\(w)-n\($0)" } }))
        try daemon.stop()
    }

    @Test("Reads on one connection keep answering while another connection pipelines 500 writes")
    func readsDuringWriteFlood() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let socket = daemon.socketPath
        let flooding = DispatchSemaphore(value: 0)

        let outcomes = runOnThreads(2) { role -> Int in
            let client = try RPCConnection(socketPath: socket, timeout: .seconds(30))
            defer { client.close() }
            if role == 0 {
                // The writer: 500 adds in one write, then their 500 replies, in order.
                var text = ""
                for id in 1...500 {
                    text +=
                        requestLine(id: .int(Int64(id)), "example.note.add", ["text": .string("flood \(id)")]) + "\n"
                }
                try client.send(bytes: Array(text.utf8))
                flooding.signal()
                for id in 1...500 {
                    let reply = try client.readJSONLine(timeout: .seconds(30))
                    guard reply["id"] == .int(Int64(id)), reply["result"]?["text"] == .string("flood \(id)") else {
                        throw TestDaemonError("write reply \(id) wrong or out of order: \(reply.serialized())")
                    }
                }
                return 500
            } else {
                // The reader: starts once the flood is on the wire, alternates ping and list.
                _ = flooding.wait(timeout: .now() + 30)
                for round in 1...60 {
                    if round % 2 == 0 {
                        let pong = try client.call("daemon.ping")
                        guard pong["pong"] == true else { throw TestDaemonError("bad ping reply \(pong.serialized())") }
                    } else {
                        let notes = try client.call("example.note.list", ["limit": 5])["notes"]?.arrayValue
                        guard let notes, notes.count <= 5 else { throw TestDaemonError("bad list reply") }
                        // Whatever the reader sees is committed, well-formed notes.
                        for note in notes where note["text"]?.stringValue?.hasPrefix("flood ") != true {
                            throw TestDaemonError("unexpected note \(note.serialized())")
                        }
                    }
                }
                return 60
            }
        }
        #expect(throws: Never.self) { try outcomes[0].get() }
        #expect(throws: Never.self) { try outcomes[1].get() }
        #expect((try? outcomes[0].get()) == 500)
        #expect((try? outcomes[1].get()) == 60)

        let client = try daemon.connect()
        let notes = try client.call("example.note.list", ["limit": 1000])["notes"]?.arrayValue ?? []
        #expect(notes.count == 500)
        #expect(Set(notes.compactMap { $0["text"]?.stringValue }).count == 500)
        try daemon.stop()
    }
}
