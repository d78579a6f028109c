import ReceptionProtocol

/// Checks params against a method's JSON schema before the method runs, so every plugin
/// rejects wrong types, missing and unknown fields the same way: `-32602` naming the field.
///
/// It understands the subset of JSON Schema the SDK's ``Schema`` builders produce: `type`,
/// `properties`, `required`, `additionalProperties: false`, `enum`, `maxLength` (in Unicode
/// scalars, see ``TextMeasure``), `minimum`, `maximum`, `items`, `maxItems`. Beyond the schema,
/// every string must be stream-safe (at most 30 combining marks in a row) and every `integer`
/// must fit in 64 bits: nothing is dropped or rounded silently.
public enum ParamsValidator {
    /// Checks `value` against `schema`; the error is `-32602` naming the first offending field
    /// (members in name order), as the daemon answers before a method runs.
    public static func validate(_ value: JSONValue, against schema: JSONValue, path: String = "") throws(RPCError) {
        let name = path.isEmpty ? "params" : path
        if let type = schema["type"]?.stringValue, !matches(value, type: type) {
            throw RPCError.invalidParams(
                field: path.isEmpty ? nil : path, "\(name) must be \(article(type)), got \(value.typeName)"
            ).localized("zh", "\(name) 应为\(chineseType(type))，收到的是 \(value.typeName)")
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            let list = allowed.map { $0.serialized() }.joined(separator: ", ")
            throw RPCError.invalidParams(field: path, "\(name) must be one of \(list), got \(value.serialized())")
                .localized("zh", "\(name) 只能是 \(list) 之一，收到的是 \(value.serialized())")
        }
        switch value {
        case .string(let text):
            // Every string, with or without a maxLength, is checked here on the event loop, so
            // pathological text never reaches a plugin's normalization on the writer.
            let max = schema["maxLength"]?.intValue.map { Int(clamping: $0) }
            switch TextMeasure.check(text, maxScalars: max) {
            case .fits: break
            case .tooLong(let scalars):
                throw RPCError.invalidParams(
                    field: path, TextMeasure.tooLongMessage(field: name, scalars: scalars, limit: max ?? 0)
                ).localized("zh", "\(name) 有 \(scalars) 个字符，最多 \(max ?? 0) 个")
            case .notStreamSafe:
                throw RPCError.invalidParams(field: path, TextMeasure.notStreamSafeMessage(field: name))
            }
        case .int, .double:
            if schema["type"]?.stringValue == "integer" {
                try checkInteger(value, against: schema, name: name, path: path)
                break
            }
            let number =
                value.intValue.map(Double.init) ?? { if case .double(let d) = value { return d } else { return 0 } }()
            if let min = schema["minimum"]?.intValue, number < Double(min) {
                throw RPCError.invalidParams(field: path, "\(name) must be at least \(min), got \(value.serialized())")
                    .localized("zh", "\(name) 不能小于 \(min)，收到的是 \(value.serialized())")
            }
            if let max = schema["maximum"]?.intValue, number > Double(max) {
                throw RPCError.invalidParams(field: path, "\(name) must be at most \(max), got \(value.serialized())")
                    .localized("zh", "\(name) 不能大于 \(max)，收到的是 \(value.serialized())")
            }
        case .array(let elements):
            if let max = schema["maxItems"]?.intValue, elements.count > max {
                throw RPCError.invalidParams(field: path, "\(name) has \(elements.count) items; at most \(max) allowed")
                    .localized("zh", "\(name) 有 \(elements.count) 项，最多 \(max) 项")
            }
            if let items = schema["items"] {
                for (index, element) in elements.enumerated() {
                    try validate(element, against: items, path: "\(path)[\(index)]")
                }
            }
        case .object(let members):
            let properties = schema["properties"]?.objectValue ?? [:]
            for required in schema["required"]?.arrayValue ?? [] {
                guard let key = required.stringValue else { continue }
                if members[key] == nil || members[key] == .null {
                    let field = path.isEmpty ? key : "\(path).\(key)"
                    throw RPCError.invalidParams(field: field, "\(field) is required").localized(
                        "zh", "缺少 \(field)（必填）")
                }
            }
            let closed = schema["additionalProperties"]?.boolValue == false
            for key in members.keys.sorted() {
                let field = path.isEmpty ? key : "\(path).\(key)"
                guard let propertySchema = properties[key] else {
                    if closed {
                        let known = properties.keys.sorted().joined(separator: ", ")
                        throw RPCError.invalidParams(
                            field: field, "unknown field \(field) (allowed: \(known.isEmpty ? "none" : known))"
                        ).localized("zh", "没有 \(field) 这一项（可用：\(known.isEmpty ? "无" : known)）")
                    }
                    continue
                }
                guard let member = members[key], member != .null else { continue }
                try validate(member, against: propertySchema, path: field)
            }
        default:
            break
        }
    }

    /// An `integer` param must be an integer that fits in 64 bits (`1e300` is integral but does
    /// not), then within the schema's `minimum`/`maximum`, compared exactly.
    private static func checkInteger(_ value: JSONValue, against schema: JSONValue, name: String, path: String)
        throws(RPCError)
    {
        guard let integer = value.intValue else {
            throw RPCError.invalidParams(
                field: path,
                "\(name) must be an integer from \(Int64.min) to \(Int64.max), got \(value.serialized())")
        }
        if let min = schema["minimum"]?.intValue, integer < min {
            throw RPCError.invalidParams(field: path, "\(name) must be at least \(min), got \(value.serialized())")
                .localized("zh", "\(name) 不能小于 \(min)，收到的是 \(value.serialized())")
        }
        if let max = schema["maximum"]?.intValue, integer > max {
            throw RPCError.invalidParams(field: path, "\(name) must be at most \(max), got \(value.serialized())")
                .localized("zh", "\(name) 不能大于 \(max)，收到的是 \(value.serialized())")
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null):
            return true
        case ("integer", .int): return true
        case ("integer", .double(let number)): return number.rounded() == number
        case ("number", .int), ("number", .double): return true
        default: return false
        }
    }

    private static func chineseType(_ type: String) -> String {
        switch type {
        case "object": return "对象"
        case "array": return "列表"
        case "integer": return "整数"
        case "number": return "数字"
        case "boolean": return "是/否"
        default: return "文字"
        }
    }

    private static func article(_ type: String) -> String {
        switch type {
        case "object", "array", "integer": return "an \(type)"
        default: return "a \(type)"
        }
    }
}
