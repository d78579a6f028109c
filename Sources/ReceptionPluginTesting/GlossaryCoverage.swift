import ReceptionPluginSDK

/// Whether a department says every member it publishes in both languages (issue 12: the clerks
/// read Chinese), for any manifest: every department's tests call it.
///
/// "Untitled" lists name where the member is (`parcels.pickup params: codes`), so a failing
/// test says which glossary entry to add.
public enum GlossaryCoverage {
    /// The members of every method's params and result schemas, at any depth, whose property
    /// carries no English and Chinese title in `x-i18n`, or whose name the glossary lacks.
    public static func untitledMembers(of manifest: PluginManifest) -> [String] {
        var untitled: [String] = []
        for method in manifest.methods {
            var schemas = [("params", method.params)]
            if let result = method.result { schemas.append(("result", result)) }
            for (part, schema) in schemas {
                for (name, property) in properties(of: schema) where !isTitled(name, property, manifest.labels) {
                    untitled.append("\(method.name) \(part): \(name)")
                }
            }
        }
        return untitled.sorted()
    }

    /// The member names of `reply` (what a method really answered), at any depth, that the
    /// glossary does not title in both languages: members written by hand (`daysWaiting`,
    /// `total`, `nextCursor`) are in no schema, yet a client shows them too.
    public static func untitledMembers(of reply: JSONValue, method: String, in manifest: PluginManifest) -> [String] {
        var names: Set<String> = []
        collectNames(reply, into: &names)
        return names.filter { !hasBothTitles(manifest.labels.glossary[$0]) }.sorted().map { "\(method) reply: \($0)" }
    }

    /// The methods with no Chinese description.
    public static func methodsWithoutChinese(in manifest: PluginManifest) -> [String] {
        manifest.methods.filter { ($0.i18n?["zh"]?["description"]?.stringValue ?? "").isEmpty }.map(\.name)
    }

    /// Whether `text` has a CJK ideograph: Chinese, not English copied over.
    public static func isChinese(_ text: String?) -> Bool {
        text?.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } ?? false
    }

    /// (name, property) of every object property in `schema`, nested objects and array
    /// elements included.
    public static func properties(of schema: JSONValue) -> [(String, JSONValue)] {
        var found: [(String, JSONValue)] = []
        for (name, property) in schema["properties"]?.objectValue ?? [:] {
            found.append((name, property))
            found.append(contentsOf: properties(of: property))
        }
        if let items = schema["items"] { found.append(contentsOf: properties(of: items)) }
        return found
    }

    private static func isTitled(_ name: String, _ property: JSONValue, _ labels: PluginLabels) -> Bool {
        let i18n = property["x-i18n"]
        return hasBothTitles(labels.glossary[name]) && !(i18n?["en"]?["title"]?.stringValue ?? "").isEmpty
            && isChinese(i18n?["zh"]?["title"]?.stringValue)
    }

    private static func hasBothTitles(_ term: PluginLabels.Term?) -> Bool {
        guard let term else { return false }
        return !(term.title["en"] ?? "").isEmpty && isChinese(term.title["zh"])
    }

    private static func collectNames(_ value: JSONValue, into names: inout Set<String>) {
        if let members = value.objectValue {
            for (name, member) in members {
                names.insert(name)
                collectNames(member, into: &names)
            }
        } else if let elements = value.arrayValue {
            for element in elements { collectNames(element, into: &names) }
        }
    }
}
