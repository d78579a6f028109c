import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The database's file modes follow the stricter of the daemon's own mask (027) and the one it
/// was started with: the unit's `UMask=0077` makes them owner-only, as the unit says.
@Suite("File modes")
struct FileModesTests {
    /// Starts receptiond through `sh -c 'umask <mask>; exec receptiond …'`, writes once, stops it;
    /// the mode of the database file.
    func databaseMode(umask mask: String) throws -> Int {
        let directory = FileManager.default.temporaryDirectory.path + "/rd-um-" + String(UUID().uuidString.prefix(6))
        try FileManager.default.createDirectory(atPath: directory + "/plugins", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/plugins/libreceptiond-example.so",
            withDestinationPath: TestDaemon.productsDirectory + "/libreceptiond-example.so")
        let socket = directory + "/s.sock"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c",
            "umask \(mask) && exec \"$0\" --socket \"$1\" --state-dir \"$2\" --plugin-dir \"$3\"",
            TestDaemon.productsDirectory + "/receptiond", socket, directory + "/state", directory + "/plugins",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var client: RPCConnection?
        for _ in 0..<300 where client == nil {
            client = try? RPCConnection(socketPath: socket, timeout: .seconds(10))
            if client == nil { usleep(50_000) }
        }
        let connection = try #require(client, "the daemon never listened")
        try connection.call("example.note.add", ["text": "mode check"])
        connection.close()
        process.terminate()
        process.waitUntilExit()
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/state/receptiond.sqlite")
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("started with umask 077 (the unit's UMask=0077), the database is 0600, not group-readable")
    func unitMaskIsKept() throws {
        #expect(try databaseMode(umask: "077") == 0o600)
    }

    @Test("started with a loose umask 022 (a shell), the database is still 0640 at most")
    func looseMaskIsTightened() throws {
        #expect(try databaseMode(umask: "022") == 0o640)
    }
}
