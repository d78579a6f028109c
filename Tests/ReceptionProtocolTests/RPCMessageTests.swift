import Foundation
import ReceptionProtocol
import Testing

/// The JSON-RPC envelope: request validation, response framing, and errors on the wire.
@Suite("JSON-RPC requests, responses and errors")
struct RPCMessageTests {
    static func request(_ text: String) throws -> Result<RPCRequest, RPCRequestError> {
        RPCRequest.from(try JSONValue.parse(text))
    }

    static func failure(_ text: String) throws -> RPCRequestError? {
        if case .failure(let failure) = try request(text) { return failure }
        return nil
    }

    @Test("A full request is accepted with its id, method and params")
    func validRequest() throws {
        let parsed = try Self.request(#"{"jsonrpc":"2.0","id":1,"method":"example.note.add","params":{"text":"hi"}}"#)
            .get()
        #expect(parsed.id == .int(1))
        #expect(parsed.method == "example.note.add")
        #expect(parsed.params == ["text": "hi"])
        #expect(!parsed.isNotification)
    }

    @Test("Absent params read as an empty object; array params are allowed")
    func paramsForms() throws {
        #expect(try Self.request(#"{"jsonrpc":"2.0","id":"a","method":"daemon.ping"}"#).get().params == .object([:]))
        #expect(try Self.request(#"{"jsonrpc":"2.0","id":2,"method":"m","params":[1,2]}"#).get().params == [1, 2])
    }

    @Test("Ids may be strings, integers or null; a missing id makes a notification")
    func ids() throws {
        #expect(try Self.request(#"{"jsonrpc":"2.0","id":"x-1","method":"m"}"#).get().id == .string("x-1"))
        #expect(try Self.request(#"{"jsonrpc":"2.0","id":25,"method":"m"}"#).get().id == .int(25))
        let nullID = try Self.request(#"{"jsonrpc":"2.0","id":null,"method":"m"}"#).get()
        #expect(nullID.id == .null)
        #expect(!nullID.isNotification)
        let notification = try Self.request(#"{"jsonrpc":"2.0","method":"m"}"#).get()
        #expect(notification.id == nil)
        #expect(notification.isNotification)
        #expect(RPCID(json: true) == nil)
        #expect(RPCID(json: [1]) == nil)
    }

    @Test(
        "A numeric id that would not come back exactly as it was written is refused with -32600 and id null, naming what is accepted",
        arguments: ["1e-400", "-0.0", "-0", "0.5", "2.5", "1e300", "9223372036854775808", "-1e-7"])
    func inexactNumericIDsAreRefused(id: String) throws {
        let failure = try #require(try Self.failure(#"{"jsonrpc":"2.0","id":\#(id),"method":"m"}"#), "\(id)")
        #expect(failure.id == .null)
        #expect(failure.error.code == -32600)
        #expect(failure.error.message.contains("integer"), "\(failure.error.message)")
    }

    @Test(
        "Integer ids are echoed as the same integer",
        arguments: ["0", "7", "-7", "9223372036854775807", "-9223372036854775808"])
    func integerIDsAreEchoed(id: String) throws {
        let request = try Self.request(#"{"jsonrpc":"2.0","id":\#(id),"method":"m"}"#).get()
        let reply = RPCResponse.success(id: try #require(request.id), result: true)
        #expect(reply == #"{"jsonrpc":"2.0","id":\#(id),"result":true}"#)
    }

    @Test("A request that is not an object is refused with id null and -32600")
    func notAnObject() throws {
        for text in ["5", #""text""#, "[1]", "null"] {
            let failure = try #require(try Self.failure(text), "\(text)")
            #expect(failure.id == .null)
            #expect(failure.error.kind == .invalidRequest)
            #expect(failure.error.code == -32600)
        }
    }

    @Test("Each broken member is refused with a message naming it, answered with the request's id when readable")
    func brokenMembers() throws {
        let badID = try #require(try Self.failure(#"{"jsonrpc":"2.0","id":{"a":1},"method":"m"}"#))
        #expect(badID.id == .null)
        #expect(badID.error.message.contains("\"id\""))

        let version = try #require(try Self.failure(#"{"jsonrpc":"1.0","id":7,"method":"m"}"#))
        #expect(version.id == .int(7))
        #expect(version.error.message.contains("jsonrpc"))

        let missingVersion = try #require(try Self.failure(#"{"id":7,"method":"m"}"#))
        #expect(missingVersion.error.kind == .invalidRequest)

        let method = try #require(try Self.failure(#"{"jsonrpc":"2.0","id":"q","method":5}"#))
        #expect(method.id == .string("q"))
        #expect(method.error.message.contains("method"))

        let missingMethod = try #require(try Self.failure(#"{"jsonrpc":"2.0","id":1}"#))
        #expect(missingMethod.error.message.contains("method"))

        let params = try #require(try Self.failure(#"{"jsonrpc":"2.0","id":1,"method":"m","params":"x"}"#))
        #expect(params.error.message.contains("params"))
        #expect(params.error.code == -32600)

        let extra = try #require(try Self.failure(#"{"jsonrpc":"2.0","id":1,"method":"m","extra":true}"#))
        #expect(extra.error.message.contains("extra"))

        let notificationError = try #require(try Self.failure(#"{"jsonrpc":"2.0","method":"m","params":3}"#))
        #expect(notificationError.id == .null)
    }

    @Test("A serialized request reads back as the same request")
    func requestRoundTrip() throws {
        let request = RPCRequest(id: .string("r1"), method: "example.note.add", params: ["text": "你好\n"])
        let line = request.serialized()
        #expect(line == #"{"id":"r1","jsonrpc":"2.0","method":"example.note.add","params":{"text":"你好\n"}}"#)
        let back = try RPCRequest.from(try JSONValue.parse(line)).get()
        #expect(back.id == request.id)
        #expect(back.method == request.method)
        #expect(back.params == request.params)
        let notification = RPCRequest(id: nil, method: "m").serialized()
        #expect(!notification.contains("\"id\""))
    }

    @Test("Responses are framed exactly: jsonrpc, id, then result or error; never a raw newline")
    func responseFraming() throws {
        #expect(
            RPCResponse.success(id: .int(7), result: ["b": 1, "a": "x\ny"])
                == #"{"jsonrpc":"2.0","id":7,"result":{"a":"x\ny","b":1}}"#)
        #expect(
            RPCResponse.success(id: .string("s"), rawResult: #"{"z":1}"#)
                == #"{"jsonrpc":"2.0","id":"s","result":{"z":1}}"#)
        #expect(
            RPCResponse.failure(id: .string("x"), error: RPCError(.notFound, "no such parcel"))
                == #"{"jsonrpc":"2.0","id":"x","error":{"code":-32001,"data":{"kind":"not_found"},"message":"no such parcel"}}"#
        )
        #expect(
            RPCResponse.failure(id: .null, error: .parseError("bad"))
                == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"data":{"kind":"parse"},"message":"parse error: bad"}}"#
        )
        #expect(
            RPCResponse.notification(method: "event", params: ["seq": 3])
                == #"{"jsonrpc":"2.0","method":"event","params":{"seq":3}}"#)
        let lines = [
            RPCResponse.success(id: .int(1), result: .string("line1\nline2")),
            RPCResponse.failure(id: .int(1), error: RPCError(.validation, "bad\nvalue", field: "a\nb")),
            RPCResponse.notification(method: "event", params: ["text": "multi\nline"]),
        ]
        for line in lines {
            #expect(!line.contains("\n"))
            let parsed = try JSONValue.parse(line)
            #expect(parsed["jsonrpc"] == "2.0")
        }
    }

    @Test("Every error kind maps to its JSON-RPC code; unknown kinds get -32000")
    func kindCodes() {
        let expected: [(ErrorKind, Int)] = [
            (.parse, -32700), (.invalidRequest, -32600), (.methodNotFound, -32601), (.internal, -32603),
            (.notFound, -32001), (.conflict, -32002), (.invalidState, -32003), (.forbidden, -32004),
            (.unavailable, -32005), (.storage, -32006), (.validation, -32007), (.limit, -32008),
            (ErrorKind(rawValue: "something_new"), -32000),
        ]
        for (kind, code) in expected { #expect(kind.code == code, "\(kind)") }
        #expect(RPCError.invalidParams(field: "a", "x").code == -32602)
        #expect(RPCError.invalidParams(field: "a", "x").kind == .validation)
    }

    @Test("RPCError survives its wire form: kind, message, field, details and code override")
    func errorRoundTrip() throws {
        let errors = [
            RPCError(.conflict, "key K1 is already lent", details: ["code": "K1", "since": 3]),
            RPCError.invalidParams(field: "items[2].unit", "items[2].unit must be a string"),
            RPCError.validation(field: "text", "text must not be empty"),
            RPCError(ErrorKind(rawValue: "future_kind"), "from a newer daemon"),
            RPCError.methodNotFound("no.such"),
            RPCError(.internal, "boom", code: -32099),
        ]
        for error in errors {
            let back = try #require(RPCError(json: error.jsonValue))
            #expect(back == error)
            // And through text, as it really travels.
            let reparsed = try #require(RPCError(json: try JSONValue.parse(error.jsonValue.serialized())))
            #expect(reparsed == error)
        }
        let wire = RPCError.invalidParams(field: "items[2].unit", "bad").jsonValue
        #expect(wire["code"] == -32602)
        #expect(wire["data"]?["kind"] == "validation")
        #expect(wire["data"]?["field"] == "items[2].unit")
    }

    @Test("RPCError(json:) reads foreign errors leniently and rejects ones without a message")
    func foreignErrors() throws {
        let noKind = try #require(RPCError(json: ["code": -32000, "message": "server error"]))
        #expect(noKind.kind == .internal)
        #expect(noKind.code == -32000)
        #expect(RPCError(json: ["code": 1]) == nil)
        #expect(RPCError(json: "message") == nil)
        #expect(RPCError(.validation, "bad", field: "a.b").description == "validation: a.b: bad")
        #expect(RPCError(.forbidden, "no").description == "forbidden: no")
    }
}
