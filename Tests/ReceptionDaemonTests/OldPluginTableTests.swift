import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The plugin table is append-only: a plugin built before a member was appended keeps working,
/// and does not harm the plugins built after it. (The Swift runtime uniques an imported C
/// struct's metadata by name across every loaded library, so the first plugin's view of
/// `rcp_plugin` becomes everyone's: the SDK writes its table member by member for that reason.)
@Suite("a plugin built against an older ABI header")
struct OldPluginTableTests {
    @Test("loaded before today's plugins: all serve, and the daemon stops cleanly through their stop hooks")
    func oldTableBesideNewOnes() throws {
        let daemon = try TestDaemon(plugins: [
            "example": .product("libreceptiond-example.so"),
            // Named to load first: the first library to use the struct decides its size for everyone.
            "aaa-oldtable": .product("libfixture-oldtable.so"),
            "parcels": .product("libreceptiond-parcels.so"),
        ])
        try daemon.start()
        let client = try daemon.counter()
        #expect(try client.call("oldtable.ping") == ["pong": "old"])
        #expect(try client.call("example.note.add", ["text": "after the old plugin"])["text"] == "after the old plugin")
        let item = try client.call(
            "parcels.receive", ["kind": "letter", "recipient": "李娜", "unit": "3-2-1201"])
        #expect(item["status"] == "held")
        client.close()
        #expect(try daemon.stop() == 0, "\(daemon.log)")
        #expect(daemon.log.contains("stopped cleanly"))
    }

    @Test("a plugin built for ABI version 1 is refused, saying which versions and to rebuild it; the others serve")
    func versionOnePluginIsRefused() throws {
        let daemon = try TestDaemon(
            plugins: [
                "aaa-oldtable": .product("libfixture-oldtable.so"),
                "example": .product("libreceptiond-example.so"),
            ], environment: ["FIXTURE_OLDTABLE_ABI": "1"])
        try daemon.start()
        let client = try daemon.counter()
        let status = try client.call("daemon.status")
        let record = try #require(
            status["plugins"]?.arrayValue?.first { $0["name"]?.stringValue == "aaa-oldtable" }, "\(status)")
        #expect(record["state"] == "failed")
        let error = record["error"]?.stringValue ?? ""
        #expect(error.contains("built for plugin ABI version 1"), "\(error)")
        #expect(error.contains("this daemon speaks version 2"), "\(error)")
        #expect(error.contains("Rebuild it against the matching ReceptionPluginSDK"), "\(error)")
        #expect(
            try client.call("example.note.add", ["text": "beside a refused plugin"])["text"]
                == "beside a refused plugin")
        client.close()
        #expect(try daemon.stop() == 0, "\(daemon.log)")
    }
}
