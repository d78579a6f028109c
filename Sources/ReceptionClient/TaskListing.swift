/// The departments the daemon serves and their tasks, as the words a person types: the part of
/// `receptionctl --help` after the built-in commands, and the help of one department
/// (`receptionctl help parcels`, `receptionctl parcels --help`).
public enum TaskListing {
    /// Plugins whose methods the built-in commands cover (`status`, `watch`, `call`), not departments.
    public static let builtInPlugins: Set<String> = ["daemon", "events"]

    /// The departments in the order the daemon lists them, each with its methods.
    public static func departments(_ methods: [MethodInfo]) -> [(name: String, methods: [MethodInfo])] {
        var order: [String] = []
        var byName: [String: [MethodInfo]] = [:]
        for method in methods {
            guard let department = method.words.first, !builtInPlugins.contains(method.plugin),
                !builtInPlugins.contains(department)
            else { continue }
            if byName[department] == nil { order.append(department) }
            byName[department, default: []].append(method)
        }
        return order.map { ($0, byName[$0] ?? []) }
    }

    /// One line per department, its tasks after it (wrapped to `width` under a hanging indent):
    ///
    /// ```
    /// Departments and their tasks (receptionctl <department> <task> --help explains one):
    ///   parcels  receive, receive-batch, get, pending, list, overdue, notify, remind, pickup,
    ///            return, amend, stats
    /// ```
    public static func departmentsText(_ methods: [MethodInfo], width: Int = 80) -> String {
        let departments = departments(methods)
        guard !departments.isEmpty else { return "DEPARTMENTS:\n  (the daemon serves none)" }
        let nameWidth = departments.map { DisplayWidth.of($0.name) }.max() ?? 0
        var lines = ["DEPARTMENTS (receptionctl <department> <task> [options]; add --help to either):"]
        for department in departments {
            let tasks = department.methods.map { $0.words.dropFirst().joined(separator: " ") }
            let lead = "  " + DisplayWidth.pad(department.name, to: nameWidth) + "  "
            let indent = String(repeating: " ", count: DisplayWidth.of(lead))
            lines.append(
                lead
                    + TextWrap.wrap(tasks.joined(separator: ", "), width: width - DisplayWidth.of(lead))
                    .split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + indent))
        }
        return lines.joined(separator: "\n")
    }

    /// The tasks under `words` (a department, or a department and a noun): the words to type
    /// after them and a one-line description each.
    ///
    /// ```
    /// Tasks of parcels (receptionctl parcels <task> [options]):
    ///
    ///   receive        Signs for one item and gives it a pickup code.
    ///   receive-batch  Signs for several items at once: all or none.
    /// ```
    public static func groupText(_ words: [String], methods group: [MethodInfo]) -> String {
        let typed = words.joined(separator: " ")
        let rows = group.map { method -> (String, String) in
            let task = method.words.dropFirst(words.count).joined(separator: " ")
            var notes: [String] = []
            if !method.available { notes.append(Phrase("[unavailable]", "[不可用]")()) }
            if method.role == "admin" { notes.append(Phrase("[admin]", "[仅管理员]")()) }
            notes.append(method.description(in: .current))
            return (task, notes.joined(separator: " "))
        }
        let width = rows.map { DisplayWidth.of($0.0) }.max() ?? 0
        var lines = [
            Phrase(
                "Tasks of \(typed) (receptionctl \(typed) <task> [options]):",
                "\(typed) 的任务（receptionctl \(typed) <任务> [选项]）：")(),
            "",
        ]
        for (task, description) in rows {
            lines.append(
                TableRenderer.trimTrailingSpaces("  " + DisplayWidth.pad(task, to: width) + "  " + description))
        }
        lines.append("")
        lines.append(
            Phrase(
                "Run `receptionctl \(typed) <task> --help` for a task's options and what it replies.",
                "`receptionctl \(typed) <任务> --help` 说明一项任务的选项和答复内容。")())
        return lines.joined(separator: "\n")
    }
}
