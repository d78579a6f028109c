import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// What crosses the plugin boundary (ABI version 2): the caller as a fixed binary record, and a
/// request's params as the bytes the client wrote, which the plugin parses by the daemon's rules.
@Suite("what a plugin is told about a call (ABI 2)")
struct PluginBoundaryTests {
    @Test("the caller record reaches the plugin whole: credentials, role, workstation, operator, request id, time")
    func callerCrossesWhole() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        let hello = try client.call("daemon.hello", ["workstation": "desk-3", "operator": "王芳"])
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let echo = try client.call("example.echo", ["x": 1])
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        let caller = try #require(echo["caller"], "\(echo)")
        #expect(caller["uid"] == hello["uid"])
        #expect(caller["gid"] == hello["gid"])
        #expect(caller["pid"] == hello["pid"])
        #expect(caller["role"] == hello["role"])
        #expect(caller["workstation"] == "desk-3")
        #expect(caller["operator"] == "王芳")
        let requestID = caller["requestId"]?.stringValue ?? ""
        #expect(!requestID.isEmpty, "\(caller)")
        let now = caller["now"]?.intValue ?? 0
        #expect(now >= before - 1 && now <= after + 1, "\(now) not in [\(before), \(after)]")

        // Before daemon.hello there is no workstation or operator: absent, not empty.
        let anonymous = try daemon.connect()
        let unnamed = try #require(try anonymous.call("example.echo")["caller"])
        #expect(unnamed["workstation"] == .null)
        #expect(unnamed["operator"] == .null)
        #expect(unnamed["requestId"]?.stringValue != requestID)
        #expect(try daemon.stop() == 0)
    }

    @Test("params reach the plugin as written and read as the daemon checked them: spacing, escapes, a repeated name")
    func paramsAsWritten() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        // White space, an escaped name and value, nested values, and "x" twice (the first wins,
        // in the daemon's check and in the plugin alike).
        let line =
            #"{"jsonrpc":"2.0","id":7,"method":"example.echo","params": { "x" : 1 , "n\u0061me":"\u674e\u5a1c\n", "deep":{"list":[1,2.5,"三",null,true]}, "x": 2 }}"#
        let reply = try client.exchangeLine(line)
        let params = try #require(reply["result"]?["params"], "\(reply)")
        #expect(params == ["x": 1, "name": "李娜\n", "deep": ["list": [1, 2.5, "三", .null, true]]])

        // Params before the method, and no params at all: an empty object.
        let first = try client.exchangeLine(#"{"params":{"k":"v"},"id":8,"method":"example.echo","jsonrpc":"2.0"}"#)
        #expect(first["result"]?["params"] == ["k": "v"])
        let none = try client.exchangeLine(#"{"jsonrpc":"2.0","id":9,"method":"example.echo"}"#)
        #expect(none["result"]?["params"] == [:])

        // A schema-checked method still refuses what its schema refuses, whatever the spacing.
        let refused = try client.exchangeLine(
            #"{"jsonrpc":"2.0","id":10,"method":"example.note.add","params":{ "text" : 5 }}"#)
        #expect(refused["error"]?["data"]?["field"] == "text", "\(refused)")
        #expect(try daemon.stop() == 0)
    }
}
