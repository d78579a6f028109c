import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The property's currency, published so clients show money in major units (issue 12). The wire
/// keeps integer minor units.
@Suite("currency")
struct CurrencyTests {
    @Test("by default the daemon says CNY, ¥, 2 decimals in daemon.hello and daemon.status")
    func defaultCurrency() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        let hello = try client.call("daemon.hello", ["workstation": "desk-1", "operator": "li.na"])
        #expect(hello["currency"] == ["code": "CNY", "symbol": "¥", "decimals": 2])
        #expect(hello["operator"] == "li.na")
        #expect(try client.call("daemon.status")["currency"]?["code"] == "CNY")
        #expect(try daemon.stop() == 0)
    }

    @Test("[daemon] currency sets the code with its usual symbol and decimals; both can be overridden")
    func configuredCurrency() throws {
        let daemon = try TestDaemon(config: "[daemon]\ncurrency = \"HKD\"\ncurrency_decimals = 1\n")
        try daemon.start()
        let client = try daemon.connect()
        #expect(try client.call("daemon.hello")["currency"] == ["code": "HKD", "symbol": "HK$", "decimals": 1])
        #expect(try daemon.stop() == 0)
    }

    @Test("a currency that is not a three-letter code stops the daemon at start with a message naming the key")
    func badCurrency() throws {
        let daemon = try TestDaemon(config: "[daemon]\ncurrency = \"yuan\"\n")
        try daemon.launch()
        let status = try daemon.waitForExit()
        #expect(status == 78)
        #expect(daemon.log.contains("currency"), "\(daemon.log)")
        #expect(daemon.log.contains("ISO 4217"), "\(daemon.log)")
    }
}
