import ReceptionProtocol

/// Checks params against a method's JSON schema before the method runs, so every plugin
/// rejects wrong types, missing and unknown fields the same way: `-32602` naming the field.
///
/// It understands the subset of JSON Schema the SDK's ``Schema`` builders produce: `type`,
/// `properties`, `required`, `additionalProperties: false`, `enum`, `maxLength`, `minimum`,
/// `maximum`, `items`, `maxItems`.
enum ParamsValidator {
    static func validate(_ value: JSONValue, against schema: JSONValue, path: String = "") throws(RPCError) {
        let name = path.isEmpty ? "params" : path
        if let type = schema["type"]?.stringValue, !matches(value, type: type) {
            throw RPCError.invalidParams(
                field: path.isEmpty ? nil : path, "\(name) must be \(article(type)), got \(value.typeName)")
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            let list = allowed.map { $0.serialized() }.joined(separator: ", ")
            throw RPCError.invalidParams(field: path, "\(name) must be one of \(list), got \(value.serialized())")
        }
        switch value {
        case .string(let text):
            if let max = schema["maxLength"]?.intValue, text.count > max {
                throw RPCError.invalidParams(field: path, "\(name) is \(text.count) characters; at most \(max) allowed")
            }
        case .int, .double:
            let number =
                value.intValue.map(Double.init) ?? { if case .double(let d) = value { return d } else { return 0 } }()
            if let min = schema["minimum"]?.intValue, number < Double(min) {
                throw RPCError.invalidParams(field: path, "\(name) must be at least \(min), got \(value.serialized())")
            }
            if let max = schema["maximum"]?.intValue, number > Double(max) {
                throw RPCError.invalidParams(field: path, "\(name) must be at most \(max), got \(value.serialized())")
            }
        case .array(let elements):
            if let max = schema["maxItems"]?.intValue, elements.count > max {
                throw RPCError.invalidParams(field: path, "\(name) has \(elements.count) items; at most \(max) allowed")
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
                    throw RPCError.invalidParams(field: field, "\(field) is required")
                }
            }
            let closed = schema["additionalProperties"]?.boolValue == false
            for key in members.keys.sorted() {
                let field = path.isEmpty ? key : "\(path).\(key)"
                guard let propertySchema = properties[key] else {
                    if closed {
                        let known = properties.keys.sorted().joined(separator: ", ")
                        throw RPCError.invalidParams(
                            field: field, "unknown field \(field) (allowed: \(known.isEmpty ? "none" : known))")
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

    private static func article(_ type: String) -> String {
        switch type {
        case "object", "array", "integer": return "an \(type)"
        default: return "a \(type)"
        }
    }
}
