import Foundation
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// One daemon per state directory: a second receptiond on the same directory would number its
/// own events, run its own checkpoints and background work, and answer other clients about the
/// same rows. It is refused at start, naming the one that runs.
@Suite("one daemon per state directory", .timeLimit(.minutes(2)))
struct StateDirectoryLockTests {
    @Test("a second daemon on the same state directory exits 1 naming the first one's pid; the first keeps serving")
    func secondDaemonRefused() throws {
        let first = try TestDaemon()
        try first.start()
        let firstPID = try #require(try first.connect().call("daemon.status")["pid"]?.intValue)

        let second = try TestDaemon(arguments: ["--state-dir", first.stateDirectory])
        try second.launch()
        #expect(try second.waitForExit() == 1)
        #expect(second.log.contains("another receptiond (pid \(firstPID)) is already using the state directory"), "\(second.log)")
        #expect(!FileManager.default.fileExists(atPath: second.socketPath), "it never listened")

        let client = try first.connect()
        #expect(try client.call("daemon.ping")["pong"] == true)
        #expect(try first.stop() == 0)

        // Once the first has stopped, the directory is free again.
        let third = try TestDaemon(arguments: ["--state-dir", first.stateDirectory])
        try third.start()
        #expect(try third.connect().call("daemon.ping")["pong"] == true)
        #expect(try third.stop() == 0)
    }
}
