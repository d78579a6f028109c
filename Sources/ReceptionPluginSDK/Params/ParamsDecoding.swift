/// Reads a ``MethodParams`` struct from checked params: the compiler's synthesized
/// `init(from:)` asks for each field by name, and this decoder answers with the field's value,
/// its declaration and its path, which `Param.init(from:)` turns into the typed value.
enum ParamsDecoding {
    /// `type` read from `value` (an object), its cross-field rules checked; errors name fields
    /// under `path` (`items[2].`).
    static func decode<P: MethodParams>(_ type: P.Type, from value: JSONValue, at path: String) throws(RPCError) -> P {
        guard case .object(let members) = value else {
            throw RPCError.invalidParams(
                field: path.isEmpty ? nil : path, "\(path.isEmpty ? "params" : path) must be an object")
        }
        let layout = ParamsLayout.of(type)
        let params: P
        if let access = layout.access as? ParamsAccess<P> {
            params = try access.read(members, at: path)
        } else {
            do {
                params = try P(from: ParamsObjectDecoder(members: members, layout: layout, path: path))
            } catch let error as RPCError {
                throw error
            } catch {
                throw RPCError.internalError("params of \(P.self) could not be read: \(error)")
            }
        }
        do {
            try params.validate()
        } catch {
            throw error.nested(under: path)
        }
        return params
    }
}

extension RPCError {
    /// This error, raised by the rules of a struct at `path`, with its field (and the field's
    /// name where the message starts with it) moved under `path`.
    func nested(under path: String) -> RPCError {
        guard !path.isEmpty, let field else { return self }
        var error = self
        let full = "\(path).\(field)"
        error.field = full
        if message.hasPrefix(field) { error.message = full + message.dropFirst(field.count) }
        return error
    }
}

/// The decoder for one params object.
struct ParamsObjectDecoder: Decoder {
    let members: [String: JSONValue]
    let layout: ParamsLayout
    let path: String
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Container<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw RPCError.internalError("params are an object")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw RPCError.internalError("params are an object")
    }

    struct Container<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: ParamsObjectDecoder
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { decoder.members.keys.compactMap { Key(stringValue: $0) } }

        // Every field is asked for with `decode`: a `@Param` decides itself what absence means.
        func contains(_ key: Key) -> Bool { true }

        func decodeNil(forKey key: Key) throws -> Bool {
            decoder.members[key.stringValue].map { $0 == .null } ?? true
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let name = key.stringValue
            guard let spec = decoder.layout.fields[name] else {
                throw RPCError.internalError("\(name) is not a @Param field")
            }
            let path = decoder.path.isEmpty ? name : "\(decoder.path).\(name)"
            return try T(from: ParamFieldDecoder(value: decoder.members[name], spec: spec, path: path))
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            throw RPCError.internalError("params fields are @Param")
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw RPCError.internalError("params fields are @Param")
        }

        func superDecoder() throws -> any Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
    }
}

/// The decoder `Param.init(from:)` receives: one field's value (absent: `nil`), declaration and path.
final class ParamFieldDecoder: Decoder {
    let value: JSONValue?
    let spec: ParamSpec
    let path: String
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(value: JSONValue?, spec: ParamSpec, path: String) {
        self.value = value
        self.spec = spec
        self.path = path
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw RPCError.internalError("\(path): every params field must be a @Param")
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw RPCError.internalError("\(path): every params field must be a @Param")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw RPCError.internalError("\(path): every params field must be a @Param")
    }
}
