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
}
