import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `max_in_flight_per_connection` is a hard limit: lines read beyond it wait, in order, instead
/// of being dispatched.
@Suite("In-flight limit")
struct InFlightLimitTests {
    @Test(
        "with max_in_flight_per_connection = 1, 200 pipelined writes are committed one at a time, all answered in order"
    )
    func oneAtATime() throws {
        let daemon = try TestDaemon(config: "[daemon]\nmax_in_flight_per_connection = 1\n")
        try daemon.start()
        let client = try daemon.connect()
        let before = try client.call("daemon.status")["writer"]?["commits"]?.intValue ?? 0
        var lines = ""
        for id in 1...200 {
            lines +=
                RPCRequest(id: .int(Int64(id)), method: "example.note.add", params: ["text": .string("n\(id)")])
                .serialized() + "\n"
        }
        try client.send(bytes: Array(lines.utf8))
        for id in 1...200 {
            let line = try #require(try client.readLine(timeout: .seconds(30)))
            let reply = try JSONValue.parse(line)
            #expect(reply["id"]?.intValue == Int64(id))
            #expect(reply["result"]?["text"]?.stringValue == "n\(id)")
        }
        let after = try client.call("daemon.status")["writer"]?["commits"]?.intValue ?? 0
        // One request in flight at a time means no two of these writes can share a commit.
        #expect(after - before >= 200, "only \(after - before) commits for 200 writes")
        try daemon.stop()
    }
}
