/// Command-line annotations on a params property, read by `receptionctl` (the daemon ignores them).
///
/// ```swift
/// "codes": Schema.annotate(Schema.array("Pickup codes", items: Schema.string("A code", maxLength: 12), maxItems: 50), positional: true),
/// "collectedBy": Schema.annotate(Schema.string("Who collected", maxLength: 100), aliases: ["by"]),
/// ```
///
/// - `"x-positional": true`: the bare words after the method's words fill this property
///   (`receptionctl parcels pickup K7M3 P2Q4`); for an array property, all of them. At most one
///   property of a method should be positional.
/// - `"x-aliases": ["by"]`: further option names for the property (`--by` for `collectedBy`),
///   besides its own name and its kebab-case spelling.
extension Schema {
    /// `schema` (a property schema from the other builders) with the command-line annotations added.
    /// With the defaults it is returned unchanged.
    public static func annotate(_ schema: JSONValue, positional: Bool = false, aliases: [String] = []) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        if positional { members["x-positional"] = true }
        if !aliases.isEmpty { members["x-aliases"] = .array(aliases.map { .string($0) }) }
        return .object(members)
    }
}
