/// A strict RFC 8259 parser from UTF-8 bytes straight to ``JSONValue``.
///
/// Recursive descent over a contiguous byte buffer, index based: no Foundation, no per-character
/// allocation. Strings without escapes become one `String` made from their slice; strings with
/// escapes are decoded into one reused scratch buffer.
///
/// Semantics kept from the earlier `JSONDecoder`-based parse:
/// - a number whose exact value is an integer that fits in `Int64` is ``JSONValue/int(_:)``
///   (`1`, `0`, `1.0`, `1e2`, `12.30e1`); any other number is a correctly rounded
///   ``JSONValue/double(_:)`` (integers beyond `Int64` included); a number too large for a
///   `Double` is refused; a zero written with a minus sign (`-0`, `-0.0`) is `.double(-0.0)`,
///   so that a request id `-0.0` can be told from `0` and refused rather than echoed as `0`;
/// - when an object repeats a member name, the first occurrence wins;
/// - a leading UTF-8 byte order mark is ignored; top-level scalars are accepted;
/// - nesting deeper than ``maxDepth`` is refused.
struct JSONParser {
    /// Nesting of arrays and objects deeper than this is refused rather than risking the stack.
    static let maxDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    /// Reused for strings that contain escapes.
    private var scratch: [UInt8] = []
    /// Elements of the arrays being parsed, innermost last: each array is built once, at its exact size.
    private var elementStack: [JSONValue] = []
    /// Members of the objects being parsed, innermost last: each dictionary is built once, at its size.
    private var memberStack: [(String, JSONValue)] = []
    /// Whether to note where the values of the top-level object's members are written.
    private let recordsMembers: Bool
    /// Byte ranges of the values of the top-level object's members (first occurrence of a name).
    private var memberRanges: [String: Range<Int>] = [:]
    /// Whether to note where the top-level object's `params` member is written (a request line).
    private let recordsParams: Bool
    /// The byte range of the top-level object's first `params` member.
    private var paramsRange: Range<Int>?

    private init(bytes: UnsafeBufferPointer<UInt8>, recordsMembers: Bool = false, recordsParams: Bool = false) {
        self.bytes = bytes
        self.recordsMembers = recordsMembers
        self.recordsParams = recordsParams
    }

    /// Parses the whole buffer as one JSON text and, when it is an object with a `params`
    /// member, notes the byte range of that member's value (the first, the one the parse keeps):
    /// the daemon hands a request's params on as they were written, without writing them again.
    static func parseRecordingParams(
        _ bytes: UnsafeBufferPointer<UInt8>
    ) -> Result<(value: JSONValue, paramsRange: Range<Int>?), JSONParseError> {
        var parser = JSONParser(bytes: bytes, recordsParams: true)
        do throws(JSONParseError) {
            let value = try parser.parseDocument()
            return .success((value, parser.paramsRange))
        } catch {
            return .failure(error)
        }
    }

    /// Parses the whole buffer as one JSON text.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        var parser = JSONParser(bytes: bytes)
        do throws(JSONParseError) {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }

    /// Parses the whole buffer as one JSON text and, when it is an object, notes the byte range
    /// of each member's value.
    static func parseRecordingMembers(
        _ bytes: UnsafeBufferPointer<UInt8>
    ) -> Result<(value: JSONValue, memberRanges: [String: Range<Int>]), JSONParseError> {
        var parser = JSONParser(bytes: bytes, recordsMembers: true)
        do throws(JSONParseError) {
            let value = try parser.parseDocument()
            return .success((value, parser.memberRanges))
        } catch {
            return .failure(error)
        }
    }

    // MARK: Bytes

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let comma = UInt8(ascii: ",")
    private static let colon = UInt8(ascii: ":")
    private static let openBracket = UInt8(ascii: "[")
    private static let closeBracket = UInt8(ascii: "]")
    private static let openBrace = UInt8(ascii: "{")
    private static let closeBrace = UInt8(ascii: "}")
    private static let minus = UInt8(ascii: "-")
    private static let plus = UInt8(ascii: "+")
    private static let dot = UInt8(ascii: ".")
    private static let zero = UInt8(ascii: "0")
    private static let nine = UInt8(ascii: "9")

    // MARK: Errors (kept out of line so the hot paths stay small)

    @inline(never)
    private static func error(_ reason: String, at offset: Int) -> JSONParseError {
        JSONParseError(reason: "\(reason) at byte \(offset)")
    }

    @inline(never)
    private func unexpected(expecting: String? = nil) -> JSONParseError {
        guard index < bytes.count else {
            return Self.error("unexpected end of input" + (expecting.map { ", expected \($0)," } ?? ""), at: index)
        }
        let found = "unexpected character \(Self.describe(bytes[index]))"
        return Self.error(found + (expecting.map { ", expected \($0)," } ?? ""), at: index)
    }

    /// `'x'` for printable ASCII, `0x0a` otherwise.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16)
        return "0x" + (hex.count < 2 ? "0" + hex : hex)
    }

    // MARK: Structure

    private mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if bytes.isEmpty { throw JSONParseError(reason: "empty input") }
        // A UTF-8 byte order mark may be ignored (RFC 8259 section 8.1); the old parser did.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else {
            throw Self.error("unexpected text after the JSON value: \(Self.describe(bytes[index]))", at: index)
        }
        return value
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw unexpected(expecting: "a value") }
        switch bytes[index] {
        case Self.openBrace: return try parseObject()
        case Self.openBracket: return try parseArray()
        case Self.quote: return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case Self.minus, Self.zero...Self.nine:
            return try parseNumber()
        default:
            throw unexpected()
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        for offset in 0..<count {
            guard index + offset < bytes.count else {
                throw Self.error("unexpected end of input in the literal '\(literal)'", at: index + offset)
            }
            guard bytes[index + offset] == start[offset] else {
                let found = Self.describe(bytes[index + offset])
                throw Self.error(
                    "invalid literal, expected '\(literal)': unexpected character \(found)", at: index + offset)
            }
        }
        index += count
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > Self.maxDepth {
            throw Self.error("arrays and objects nested deeper than \(Self.maxDepth) levels", at: index)
        }
    }

    @inline(never)
    private static func trailingComma(at offset: Int) -> JSONParseError {
        error("trailing comma before a closing bracket", at: offset)
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1  // [
        skipWhitespace()
        if index < bytes.count, bytes[index] == Self.closeBracket {
            index += 1
            depth -= 1
            return .array([])
        }
        if elementStack.capacity == 0 { elementStack.reserveCapacity(16) }
        let base = elementStack.count
        while true {
            elementStack.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw unexpected(expecting: "',' or ']' in an array") }
            let byte = bytes[index]
            if byte == Self.comma {
                let comma = index
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == Self.closeBracket { throw Self.trailingComma(at: comma) }
                continue
            }
            if byte == Self.closeBracket {
                index += 1
                depth -= 1
                let elements = Array(elementStack[base...])
                elementStack.removeSubrange(base...)
                return .array(elements)
            }
            throw unexpected(expecting: "',' or ']' in an array")
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1  // {
        skipWhitespace()
        if index < bytes.count, bytes[index] == Self.closeBrace {
            index += 1
            depth -= 1
            return .object([:])
        }
        if memberStack.capacity == 0 { memberStack.reserveCapacity(16) }
        let base = memberStack.count
        while true {
            guard index < bytes.count, bytes[index] == Self.quote else {
                throw unexpected(expecting: "a member name in double quotes")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == Self.colon else {
                throw unexpected(expecting: "':' after a member name")
            }
            index += 1
            skipWhitespace()
            let valueStart = index
            memberStack.append((key, try parseValue()))
            if recordsMembers, depth == 1, memberRanges[key] == nil { memberRanges[key] = valueStart..<index }
            if recordsParams, depth == 1, paramsRange == nil, key == "params" { paramsRange = valueStart..<index }
            skipWhitespace()
            guard index < bytes.count else { throw unexpected(expecting: "',' or '}' in an object") }
            let byte = bytes[index]
            if byte == Self.comma {
                let comma = index
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == Self.closeBrace { throw Self.trailingComma(at: comma) }
                continue
            }
            if byte == Self.closeBrace {
                index += 1
                depth -= 1
                // The first occurrence of a repeated name wins, as it did with JSONDecoder.
                let members = Dictionary(memberStack[base...], uniquingKeysWith: { first, _ in first })
                memberStack.removeSubrange(base...)
                return .object(members)
            }
            throw unexpected(expecting: "',' or '}' in an object")
        }
    }

    // MARK: Strings

    @inline(never)
    private static func unterminated(from start: Int) -> JSONParseError {
        JSONParseError(reason: "unterminated string starting at byte \(start)")
    }

    @inline(never)
    private static func controlCharacter(_ byte: UInt8, at offset: Int) -> JSONParseError {
        error("unescaped control character \(describe(byte)) in a string", at: offset)
    }

    @inline(never)
    private static func invalidUTF8(from start: Int) -> JSONParseError {
        JSONParseError(reason: "invalid UTF-8 in the string starting at byte \(start)")
    }

    /// Parses a string literal; `index` is at its opening quote.
    private mutating func parseString() throws(JSONParseError) -> String {
        let opening = index
        index += 1
        let start = index
        var ascii: UInt8 = 0
        // Fast path: no escapes, one String made from the slice.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.quote {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if ascii < 0x80 { return String(decoding: slice, as: UTF8.self) }
                guard let text = String(validating: slice, as: UTF8.self) else {
                    throw Self.invalidUTF8(from: opening)
                }
                return text
            }
            if byte == Self.backslash { break }
            if byte < 0x20 { throw Self.controlCharacter(byte, at: index) }
            ascii |= byte
            index += 1
        }
        guard index < bytes.count else { throw Self.unterminated(from: opening) }
        return try parseEscapedString(opening: opening, start: start)
    }

    /// The rest of a string that has escapes: `index` is at the first backslash.
    private mutating func parseEscapedString(opening: Int, start: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case Self.quote:
                index += 1
                guard let text = String(validating: scratch, as: UTF8.self) else {
                    throw Self.invalidUTF8(from: opening)
                }
                return text
            case Self.backslash:
                let escapeStart = index
                index += 1
                guard index < bytes.count else { throw Self.unterminated(from: opening) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case Self.quote, Self.backslash, UInt8(ascii: "/"): scratch.append(escape)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try parseUnicodeEscape(escapeStart: escapeStart)
                    UTF8.encode(scalar) { scratch.append($0) }
                default:
                    throw Self.error("invalid escape: \\\(Self.describe(escape)) after a backslash", at: escapeStart)
                }
            default:
                if byte < 0x20 { throw Self.controlCharacter(byte, at: index) }
                scratch.append(byte)
                index += 1
            }
        }
        throw Self.unterminated(from: opening)
    }

    /// Reads the four hex digits after `\u`, and the low surrogate escape that must follow a high one.
    private mutating func parseUnicodeEscape(escapeStart: Int) throws(JSONParseError) -> Unicode.Scalar {
        let unit = try parseHex4(escapeStart: escapeStart)
        switch unit {
        case 0xD800...0xDBFF:
            let lowStart = index
            guard index + 1 < bytes.count, bytes[index] == Self.backslash, bytes[index + 1] == UInt8(ascii: "u")
            else {
                throw Self.error(
                    "high surrogate \\u\(Self.hex4(unit)) not followed by a low surrogate", at: escapeStart)
            }
            index += 2
            let low = try parseHex4(escapeStart: lowStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw Self.error(
                    "high surrogate \\u\(Self.hex4(unit)) not followed by a low surrogate", at: escapeStart)
            }
            let value = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else {
                throw Self.error("invalid surrogate pair", at: escapeStart)
            }
            return scalar
        case 0xDC00...0xDFFF:
            throw Self.error("lone low surrogate \\u\(Self.hex4(unit))", at: escapeStart)
        default:
            guard let scalar = Unicode.Scalar(unit) else {
                throw Self.error("invalid \\u escape", at: escapeStart)
            }
            return scalar
        }
    }

    private static func hex4(_ unit: UInt32) -> String {
        let hex = String(unit, radix: 16)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Four hex digits at `index`.
    private mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw Self.error("truncated \\u escape", at: escapeStart) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case Self.zero...Self.nine: digit = byte &- Self.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: throw Self.error("invalid hex digit \(Self.describe(byte)) in a \\u escape", at: index)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    // MARK: Numbers

    @inline(__always)
    private func isDigit(_ position: Int) -> Bool {
        position < bytes.count && bytes[position] >= Self.zero && bytes[position] <= Self.nine
    }

    /// Parses a number; `index` is at its `-` or first digit.
    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        let negative = bytes[index] == Self.minus
        if negative { index += 1 }
        guard isDigit(index) else {
            throw Self.error("invalid number: a digit must follow '-'", at: index)
        }
        let integerStart = index
        if bytes[index] == Self.zero {
            index += 1
            if isDigit(index) { throw Self.error("invalid number: leading zero", at: integerStart) }
        } else {
            while isDigit(index) { index += 1 }
        }
        let integerEnd = index
        var fractionEnd = index
        var hasFraction = false
        if index < bytes.count, bytes[index] == Self.dot {
            hasFraction = true
            index += 1
            guard isDigit(index) else { throw Self.error("invalid number: a digit must follow '.'", at: index) }
            while isDigit(index) { index += 1 }
            fractionEnd = index
        }
        var exponent = 0
        var hasExponent = false
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            hasExponent = true
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == Self.plus || bytes[index] == Self.minus {
                exponentNegative = bytes[index] == Self.minus
                index += 1
            }
            guard isDigit(index) else {
                throw Self.error("invalid number: a digit must follow the exponent marker", at: index)
            }
            while isDigit(index) {
                // Clamped: anything this large over- or underflows whatever the digits are.
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[index] &- Self.zero) }
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }

        if !hasFraction && !hasExponent {
            // Plain integer: at most 19 digits cannot overflow UInt64.
            if integerEnd - integerStart <= 19 {
                var magnitude: UInt64 = 0
                for position in integerStart..<integerEnd {
                    magnitude = magnitude &* 10 &+ UInt64(bytes[position] &- Self.zero)
                }
                if let value = Self.int64(magnitude: magnitude, negative: negative) {
                    return value == 0 && negative ? .double(-0.0) : .int(value)
                }
            }
        } else if let value = exactInteger(
            negative: negative, integer: integerStart..<integerEnd,
            fraction: hasFraction ? (integerEnd + 1)..<fractionEnd : integerEnd..<integerEnd, exponent: exponent)
        {
            return value == 0 && negative ? .double(-0.0) : .int(value)
        }
        return try double(from: start)
    }

    /// `magnitude` with a sign, when it fits in `Int64`.
    @inline(__always)
    private static func int64(magnitude: UInt64, negative: Bool) -> Int64? {
        if negative {
            if magnitude <= UInt64(Int64.max) { return -Int64(magnitude) }
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// The value of a number with a fraction or an exponent when it is exactly an integer that
    /// fits in `Int64` (`1.0`, `1e2`, `-0.0`, `12.30e1`), else `nil`.
    private func exactInteger(negative: Bool, integer: Range<Int>, fraction: Range<Int>, exponent: Int) -> Int64? {
        // The digits are integer ++ fraction; the value is digits × 10^(exponent − fraction.count).
        func digit(_ position: Int) -> UInt8 {
            position < integer.count
                ? bytes[integer.lowerBound + position] &- Self.zero
                : bytes[fraction.lowerBound + position - integer.count] &- Self.zero
        }
        let count = integer.count + fraction.count
        var first = 0
        while first < count, digit(first) == 0 { first += 1 }
        if first == count { return 0 }  // zero, however written
        var last = count - 1
        while digit(last) == 0 { last -= 1 }
        let scale = exponent - fraction.count + (count - 1 - last)
        let significant = last - first + 1
        guard scale >= 0, significant + scale <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for position in first...last { magnitude = magnitude * 10 + UInt64(digit(position)) }
        for _ in 0..<scale {
            let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            magnitude = product
        }
        return Self.int64(magnitude: magnitude, negative: negative)
    }

    /// The validated number text from `start` to `index`, correctly rounded to a `Double`.
    private func double(from start: Int) throws(JSONParseError) -> JSONValue {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw Self.error("number out of range for a double", at: start)
        }
        return .double(value)
    }
}
