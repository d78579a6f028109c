import Foundation
import ReceptionProtocol
import Testing

@testable import ReceptionPluginSDK

/// `JSONValueDecoder` against Foundation's `JSONDecoder`, which it replaces for params: the
/// same values decode to the same results, and the same mistakes fail with the same kind of
/// error at the same field.
@Suite("SDK params decoder")
struct JSONValueDecoderTests {
    struct Item: Decodable, Equatable {
        let unit: String
        let quantity: Int?
        let tags: [String]?
    }

    struct Params: Decodable, Equatable {
        let name: String
        let count: Int
        let ratio: Double?
        let flag: Bool?
        let small: Int8?
        let unsigned: UInt32?
        let big: Int64?
        let level: Float?
        let items: [Item]?
        let map: [String: Int]?
        let extra: JSONValue?
        let link: URL?
        let blob: Data?
        let nested: [[Int]]?
    }

    /// What a decode came to: the value, or the error's kind and rendered field path.
    enum Outcome: Equatable {
        case value(Params)
        case failure(kind: String, field: String)

        init(_ body: () throws -> Params) {
            do {
                self = .value(try body())
            } catch let error as DecodingError {
                switch error {
                case .keyNotFound(let key, let context):
                    self = .failure(kind: "keyNotFound", field: FieldPath.render(context.codingPath + [key]))
                case .typeMismatch(_, let context):
                    self = .failure(kind: "typeMismatch", field: FieldPath.render(context.codingPath))
                case .valueNotFound(_, let context):
                    self = .failure(kind: "valueNotFound", field: FieldPath.render(context.codingPath))
                case .dataCorrupted(let context):
                    self = .failure(kind: "dataCorrupted", field: FieldPath.render(context.codingPath))
                @unknown default:
                    self = .failure(kind: "unknown", field: "")
                }
            } catch {
                self = .failure(kind: "other \(error)", field: "")
            }
        }
    }

    static let inputs: [String] = [
        #"{"name":"李娜","count":3}"#,
        #"{"name":"a","count":-7,"ratio":0.25,"flag":true,"small":-128,"unsigned":4294967295,"big":-9223372036854775808}"#,
        #"{"name":"a","count":2,"ratio":2,"level":1.5,"extra":{"k":[1,"two",null,{"x":false}]}}"#,
        #"{"name":"a","count":1,"items":[{"unit":"3-2-1201"},{"unit":"4栋","quantity":2,"tags":["x","y"]}]}"#,
        #"{"name":"a","count":1,"map":{"one":1,"two":2},"nested":[[1,2],[],[3]]}"#,
        #"{"name":"a","count":1,"link":"https://example.com/a?b=c","blob":"aGVsbG8="}"#,
        #"{"name":"a","count":1,"ratio":null,"flag":null,"items":null,"extra":null}"#,
        #"{"name":"a","count":1,"unknown":"ignored"}"#,
        // Mistakes: the field and the kind must match JSONDecoder's.
        #"{"count":1}"#,
        #"{"name":null,"count":1}"#,
        #"{"name":5,"count":1}"#,
        #"{"name":"a","count":"1"}"#,
        #"{"name":"a","count":1.5}"#,
        #"{"name":"a","count":1,"small":128}"#,
        #"{"name":"a","count":1,"unsigned":-1}"#,
        #"{"name":"a","count":1,"flag":"yes"}"#,
        #"{"name":"a","count":1,"items":[{"unit":"x"},{"quantity":1}]}"#,
        #"{"name":"a","count":1,"items":[{"unit":"x","tags":["a",3]}]}"#,
        #"{"name":"a","count":1,"items":{"unit":"x"}}"#,
        #"{"name":"a","count":1,"map":{"one":"1"}}"#,
        #"{"name":"a","count":1,"nested":[[1],[2,"3"]]}"#,
        #"{"name":"a","count":1,"items":[null]}"#,
        #"{"name":"a","count":1,"blob":"not base64!"}"#,
        #"[1,2]"#,
        #""text""#,
        #"null"#,
    ]

    // A number out of range fails at its field here, where JSONDecoder names no field.
    @Test("Every sample decodes as JSONDecoder decodes it, or fails at the same field with the same kind of error")
    func matchesJSONDecoder() throws {
        for input in Self.inputs {
            let foundation = Outcome { try JSONDecoder().decode(Params.self, from: Data(input.utf8)) }
            let ours = Outcome { try JSONValueDecoder(try JSONValue.parse(Array(input.utf8))).decode(Params.self) }
            if case .failure("dataCorrupted", "") = foundation {
                // A number that does not fit: JSONDecoder loses the path here, this decoder names the field.
                guard case .failure("dataCorrupted", let field) = ours else {
                    Issue.record("\(input): \(ours), JSONDecoder: \(foundation)")
                    continue
                }
                #expect(!field.isEmpty, "\(input)")
            } else {
                #expect(ours == foundation, "\(input)")
            }
        }
    }

    @Test("A JSONValue member is handed over as parsed, and whole params decode as JSONValue")
    func jsonValueAsIs() throws {
        let value = try JSONValue.parse(Array(#"{"name":"a","count":1,"extra":[1.5,"x",{"y":null}]}"#.utf8))
        let params = try JSONValueDecoder(value).decode(Params.self)
        #expect(params.extra == value["extra"])
        #expect(try JSONValueDecoder(value).decode(JSONValue.self) == value)
    }

    @Test("Params errors name the field: a wrong type, a missing member, a null")
    func rpcErrors() throws {
        func error(_ input: String) -> RPCError? {
            do {
                let _: Params = try ParamsDecoder.decode(Array(input.utf8))
                return nil
            } catch {
                return error
            }
        }
        #expect(error(#"{"name":"a","count":1,"items":[{"unit":7}]}"#)?.message == "items[0].unit must be a string")
        #expect(error(#"{"count":1}"#)?.message == "name is required")
        #expect(error(#"{"name":null,"count":1}"#)?.message == "name must be a string, not null")
        #expect(error(#"{"name":"a","count":1"#)?.message.hasPrefix("params could not be read") == true)
        #expect(error(#"{"name":"a","count":1}"#) == nil)
    }
}
