import Foundation
import ReceptionProtocol
import ReceptionTestSupport

/// Makes the protocol fuzzer's lines from a seed and the daemon's own method list
/// (`daemon.methods`, each method's params schema): wrong types for every method/param pair,
/// plausible and implausible calls, batches, truncated lines, invalid UTF-8, deep nesting, huge
/// numbers, random bytes and lines over `max_line_bytes`. The same seed and method list give the same lines.
struct FuzzGenerator {
    /// One method as `daemon.methods` lists it.
    struct MethodShape: Sendable {
        let name: String
        /// Each param's schema, by name.
        let properties: [(name: String, schema: JSONValue)]
        let required: Set<String>
    }

    /// One method/param pair given a value of a type its schema does not allow.
    struct WrongType: Sendable {
        let method: MethodShape
        let param: String
        let value: JSONValue
    }

    let methods: [MethodShape]
    /// ``everyWrongType()``, computed once.
    private let wrongTypes: [WrongType]
    private(set) var random: SeededRandom
    private var nextID: Int64 = 0

    /// Methods whose plausible calls would reach outside the daemon's own state: `admin.backup`
    /// writes a file where its `path` says. They get wrong types only.
    static let wrongTypesOnly: Set<String> = ["admin.backup"]

    /// A generator over `methods`, seeded.
    init(methods: [MethodShape], seed: UInt64) {
        self.methods = methods.sorted { $0.name < $1.name }
        wrongTypes = Self.everyWrongType(of: self.methods)
        random = SeededRandom(seed: seed)
    }

    /// Reads the method list from a `daemon.methods` result.
    static func shapes(from result: JSONValue) -> [MethodShape] {
        (result["methods"]?.arrayValue ?? []).compactMap { method in
            guard let name = method["name"]?.stringValue else { return nil }
            let properties = (method["params"]?["properties"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
            let required = Set((method["params"]?["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            return MethodShape(
                name: name, properties: properties.map { (name: $0.key, schema: $0.value) }, required: required)
        }
    }

    /// Every method/param pair with every value its schema refuses: a wrong JSON type (or a
    /// fraction for an integer; `null` only where the param is required, since `null` reads as absent).
    func everyWrongType() -> [WrongType] {
        wrongTypes
    }

    private static func everyWrongType(of methods: [MethodShape]) -> [WrongType] {
        var pairs: [WrongType] = []
        for method in methods {
            for (param, schema) in method.properties {
                for value in Self.wrongValues(for: schema, required: method.required.contains(param)) {
                    pairs.append(WrongType(method: method, param: param, value: value))
                }
            }
        }
        return pairs
    }

    /// Values of a type `schema` does not allow.
    static func wrongValues(for schema: JSONValue, required: Bool) -> [JSONValue] {
        guard let type = schema["type"]?.stringValue else { return [] }
        var candidates: [JSONValue] = [
            .string("7"), .int(7), .double(1.5), .bool(true), .array([.int(1)]), .object(["a": .int(1)]),
        ]
        if required { candidates.append(.null) }
        return candidates.filter { value in
            switch (type, value) {
            case ("string", .string), ("boolean", .bool), ("array", .array), ("object", .object): return false
            case ("integer", .int), ("number", .int), ("number", .double): return false
            default: return true
            }
        }
    }

    // MARK: Lines

    /// The line calling `pair.method` with its wrong-typed param: a `validation` error, never a result.
    mutating func line(for pair: WrongType) -> FuzzInput {
        var params: [String: JSONValue] = [:]
        for name in pair.method.required where name != pair.param { params[name] = plausible(pair.method.schema(name)) }
        params[pair.param] = pair.value
        let id = freshID()
        let request: JSONValue = .object([
            "jsonrpc": "2.0", "id": id, "method": .string(pair.method.name), "params": .object(params),
        ])
        // A fractional id may be refused (-32600, id null) before the params are looked at.
        let expect: FuzzInput.Expectation =
            if case .double = id { .reply(.exactlyOrNull(id), .anyError) } else { .reply(.exactly(id), .error(-32602)) }
        return FuzzInput(family: "wrong-type", bytes: Array(request.serialized().utf8), expect: expect)
    }

    /// A random line from one of the families.
    mutating func next() -> FuzzInput {
        if Int.random(in: 0..<1000, using: &random) == 0 { return overlong() }
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<18: return wrongTypeAtRandom()
        case 18..<40: return plausibleCall()
        case 40..<52: return batch()
        case 52..<60: return mangledEnvelope()
        case 60..<68: return truncated()
        case 68..<76: return invalidUTF8()
        case 76..<82: return deepNesting()
        case 82..<90: return hugeNumbers()
        default: return randomBytes()
        }
    }

    private mutating func wrongTypeAtRandom() -> FuzzInput {
        let pairs = everyWrongType()
        guard let pair = pairs.randomElement(using: &random) else { return randomBytes() }
        return line(for: pair)
    }

    /// A request id: a number, a string (Unicode, escapes, empty), a fraction or null.
    private mutating func freshID() -> JSONValue {
        nextID += 1
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<5: return .int(nextID)
        case 5: return .int(-nextID)
        case 6: return .string("fz-\(nextID)-\u{00e9}\u{4e2d}\"\\\n\t")
        case 7: return .string(nextID % 7 == 0 ? "" : "fz-\(nextID)")
        case 8: return .double(Double(nextID) + 0.5)
        default: return .null
        }
    }

    /// A request object (an id unless `notification`).
    private mutating func request(_ method: String, _ params: JSONValue?, notification: Bool = false) -> JSONValue {
        var members: [String: JSONValue] = ["jsonrpc": "2.0", "method": .string(method)]
        if !notification { members["id"] = freshID() }
        if let params { members["params"] = params }
        return .object(members)
    }

    /// A call of a listed method with params built from its schema: some right, some a little
    /// off (too long, out of range, unknown members, missing required ones).
    private mutating func plausibleCall(notification: Bool = false) -> FuzzInput {
        let callable = methods.filter { !Self.wrongTypesOnly.contains($0.name) }
        guard let method = callable.randomElement(using: &random) else { return randomBytes() }
        var params: [String: JSONValue] = [:]
        for (name, schema) in method.properties
        where method.required.contains(name) || Bool.random(using: &random) {
            params[name] = plausible(schema)
        }
        switch Int.random(in: 0..<10, using: &random) {
        case 0: params["unknownMember\(Int.random(in: 0..<9, using: &random))"] = .int(1)
        case 1: if let name = method.required.randomElement(using: &random) { params.removeValue(forKey: name) }
        default: break
        }
        let value = request(method.name, .object(params), notification: notification)
        return FuzzInput(
            family: "plausible", bytes: Array(value.serialized().utf8), expect: RequestRules.expectation(for: value))
    }

    /// A value for `schema`, mostly valid: enum members, strings up to and a little past
    /// `maxLength` (Unicode, control characters), numbers around the bounds.
    private mutating func plausible(_ schema: JSONValue?) -> JSONValue {
        guard let schema else { return .string("x") }
        if let options = schema["enum"]?.arrayValue, let pick = options.randomElement(using: &random),
            Int.random(in: 0..<8, using: &random) != 0
        {
            return pick
        }
        switch schema["type"]?.stringValue {
        case "string":
            let limit = Int(schema["maxLength"]?.intValue ?? 64)
            let length = Int.random(in: 0...min(limit + 2, 400), using: &random)
            return .string(text(length))
        case "integer", "number":
            let low = schema["minimum"]?.intValue ?? -5
            let high = schema["maximum"]?.intValue ?? 1000
            switch Int.random(in: 0..<6, using: &random) {
            case 0: return .int(low - 1)
            case 1: return .int(high + 1)
            case 2: return .int(Int64.max)
            default: return .int(Int64.random(in: low...max(low, high), using: &random))
            }
        case "boolean": return .bool(Bool.random(using: &random))
        case "array":
            let count = Int.random(in: 0...3, using: &random)
            return .array((0..<count).map { _ in plausible(schema["items"]) })
        case "object":
            var members: [String: JSONValue] = [:]
            for (key, property) in (schema["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key })
            where Bool.random(using: &random) {
                members[key] = plausible(property)
            }
            return .object(members)
        default: return .string(text(8))
        }
    }

    /// Text of `length` characters from a mix of scripts, combining marks, controls and emoji.
    private mutating func text(_ length: Int) -> String {
        let pieces: [String] = [
            "a", "Z", "7", " ", "-", "李", "娜", "栋", "\u{3000}", "é", "e\u{0301}", "\u{0301}", "👩‍👩‍👧", "🇨🇳",
            "\u{0000}", "\u{001f}", "\t", "\n", "\"", "\\", "/", "\u{FEFF}", "\u{202E}", "'; DROP TABLE x; --", "%s",
        ]
        var result = ""
        for _ in 0..<length { result += pieces.randomElement(using: &random) ?? "a" }
        return result
    }

    /// A batch of requests, notifications and broken elements; rarely empty or over `max_batch`.
    private mutating func batch() -> FuzzInput {
        let roll = Int.random(in: 0..<40, using: &random)
        if roll == 0 {
            return FuzzInput(family: "batch", bytes: Array("[]".utf8), expect: .reply(.null, .error(-32600)))
        }
        let count = roll == 1 ? 1001 : Int.random(in: 1...20, using: &random)
        var elements: [JSONValue] = []
        for _ in 0..<count {
            switch Int.random(in: 0..<6, using: &random) {
            case 0: elements.append(request("daemon.ping", nil))
            case 1: elements.append(request("daemon.ping", nil, notification: true))
            case 2:
                let call = plausibleCall(notification: Bool.random(using: &random))
                elements.append((try? JSONValue.parse(call.bytes)) ?? .null)
            case 3: elements.append(brokenEnvelope())
            case 4:
                elements.append([.int(1), .string("x"), .null, .bool(false)].randomElement(using: &random) ?? .null)
            default: elements.append(request("no.such.method", .object([:])))
            }
        }
        let value = JSONValue.array(elements)
        return FuzzInput(
            family: "batch", bytes: Array(value.serialized().utf8), expect: RequestRules.expectation(for: value))
    }

    /// A request object with one envelope member wrong.
    private mutating func brokenEnvelope() -> JSONValue {
        var members: [String: JSONValue] = ["jsonrpc": "2.0", "method": "daemon.ping"]
        if Bool.random(using: &random) { members["id"] = freshID() }
        switch Int.random(in: 0..<8, using: &random) {
        case 0: members["jsonrpc"] = "1.0"
        case 1: members["jsonrpc"] = .int(2)
        case 2: members.removeValue(forKey: "jsonrpc")
        case 3: members["method"] = .int(5)
        case 4: members.removeValue(forKey: "method")
        case 5: members["params"] = .string("x")
        case 6: members["extra"] = .bool(true)
        default: members["id"] = [.object([:]), .array([]), .bool(true)].randomElement(using: &random) ?? .bool(true)
        }
        return .object(members)
    }

    private mutating func mangledEnvelope() -> FuzzInput {
        let value = brokenEnvelope()
        return FuzzInput(
            family: "envelope", bytes: Array(value.serialized().utf8), expect: RequestRules.expectation(for: value))
    }

    /// A valid request cut short: not JSON, so `parse` with a null id.
    private mutating func truncated() -> FuzzInput {
        let whole = Array(plausibleCall().bytes)
        let cut = Int.random(in: 1..<max(2, whole.count), using: &random)
        return FuzzInput(family: "truncated", bytes: Array(whole.prefix(cut)), expect: .reply(.null, .error(-32700)))
    }

    /// A request with bytes that are not UTF-8 inside a string (method name or a param) or
    /// between tokens.
    private mutating func invalidUTF8() -> FuzzInput {
        let bad: [[UInt8]] = [
            [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80],
        ]
        let junk = bad.randomElement(using: &random) ?? [0xFF]
        let id = freshID()
        let head = Array("{\"jsonrpc\":\"2.0\",\"id\":\(id.serialized()),\"method\":\"".utf8)
        var bytes: [UInt8]
        switch Int.random(in: 0..<3, using: &random) {
        case 0: bytes = head + Array("example.".utf8) + junk + Array("echo\"}".utf8)
        case 1:
            bytes = head + Array("example.note.add\",\"params\":{\"text\":\"ok ".utf8) + junk + Array(" ok\"}}".utf8)
        default: bytes = head + Array("daemon.ping\"".utf8) + junk + Array("}".utf8)
        }
        return FuzzInput(family: "invalid-utf8", bytes: bytes, expect: .reply(.exactlyOrNull(id)))
    }

    /// Arrays or objects nested up to 10,000 deep (100,000 in a soak), bare or inside params.
    private mutating func deepNesting() -> FuzzInput {
        let depths = SuiteMode.current.pick(
            short: [2, 100, 511, 512, 513, 1000, 10_000], soak: [2, 100, 511, 512, 513, 1000, 10_000, 100_000])
        let depth = depths.randomElement(using: &random) ?? 100
        let objects = Bool.random(using: &random)
        let open = Array((objects ? "{\"a\":" : "[").utf8)
        let close = Array((objects ? "}" : "]").utf8)
        var nest: [UInt8] = []
        nest.reserveCapacity(depth * (open.count + 1) + 1)
        for _ in 0..<depth { nest += open }
        nest += Array("1".utf8)
        for _ in 0..<depth { nest += close }
        if Bool.random(using: &random) {
            // Bare: an array is a batch of arrays, an object a request without members.
            return FuzzInput(family: "deep-nesting", bytes: nest, expect: .objectOrBatch)
        }
        let id = freshID()
        let bytes =
            Array("{\"jsonrpc\":\"2.0\",\"id\":\(id.serialized()),\"method\":\"example.echo\",\"params\":{\"x\":".utf8)
            + nest + Array("}}".utf8)
        return FuzzInput(family: "deep-nesting", bytes: bytes, expect: .reply(.exactlyOrNull(id)))
    }

    /// Numbers no 64-bit type holds, as params of numeric and other fields.
    private mutating func hugeNumbers() -> FuzzInput {
        let numbers = [
            "1e999", "-1e999", "123456789012345678901234567890", "9223372036854775808", "-9223372036854775809",
            "1.7976931348623157e309", "4.9e-325", "0.000000000000000000000000000000000000001", "1E400", "-0",
            String(repeating: "9", count: 5000), "1" + String(repeating: "0", count: 400) + ".5",
        ]
        let number = numbers.randomElement(using: &random) ?? "1e999"
        let numeric = methods.flatMap { method in
            method.properties.filter { ["integer", "number"].contains($0.schema["type"]?.stringValue ?? "") }.map {
                (method, $0.name)
            }
        }
        let id = freshID()
        let target = numeric.randomElement(using: &random)
        let method = target?.0.name ?? "example.note.list"
        let param = target?.1 ?? "limit"
        let text =
            "{\"jsonrpc\":\"2.0\",\"id\":\(id.serialized()),\"method\":\"\(method)\",\"params\":{\"\(param)\":\(number)}}"
        return FuzzInput(family: "huge-number", bytes: Array(text.utf8), expect: .reply(.exactlyOrNull(id)))
    }

    /// A request longer than `max_line_bytes` (1 MiB): discarded, answered with `limit` and id null.
    private mutating func overlong() -> FuzzInput {
        let id = freshID()
        let head =
            "{\"jsonrpc\":\"2.0\",\"id\":\(id.serialized()),\"method\":\"example.note.add\",\"params\":{\"text\":\""
        let filler = [UInt8](repeating: UInt8(ascii: "a"), count: 1_048_576 + Int.random(in: 1...4096, using: &random))
        return FuzzInput(
            family: "overlong", bytes: Array(head.utf8) + filler + Array("\"}}".utf8),
            expect: .reply(.null, .error(-32008)))
    }

    /// Random bytes (no `\n`), from a few to 64 KiB.
    private mutating func randomBytes() -> FuzzInput {
        let length = Int.random(in: 1...(Bool.random(using: &random) ? 64 : 65_536), using: &random)
        var bytes = [UInt8](repeating: 0, count: length)
        // Eight bytes per draw: a debug build spends seconds on a soak's bytes one draw at a time.
        var word: UInt64 = 0
        for index in 0..<length {
            if index % 8 == 0 { word = random.next() }
            let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt64(index % 8)))
            bytes[index] = byte == 0x0A ? 0x0B : byte
        }
        return FuzzInput(family: "random-bytes", bytes: bytes, expect: .atMostOne)
    }
}

extension FuzzGenerator.MethodShape {
    /// The schema of param `name`.
    func schema(_ name: String) -> JSONValue? {
        properties.first { $0.name == name }?.schema
    }
}
