/// The event topics a plugin emits, declared as a type so that emitting an unknown topic does
/// not compile:
///
/// ```swift
/// enum Topic: String, EventTopic {
///     case noted = "example.noted"
///     case purged = "example.purged"
/// }
/// try context.emit(.noted, note.json)
/// ```
///
/// The daemon also refuses, at run time, a topic the manifest did not declare; the manifest's
/// list is `allCases`.
///
/// Each topic may say how a person reads its events (``line``), in both languages:
///
/// ```swift
/// var line: EventLine {
///     switch self {
///     case .noted: EventLine("note {id} by {author}", zh: "{author} 写了便条 {id}")
///     case .purged: EventLine("{count} notes purged", zh: "清除了 {count} 条便条")
///     }
/// }
/// ```
public protocol EventTopic: RawRepresentable<String>, CaseIterable, Sendable {
    /// The line `receptionctl watch` prints for an event on this topic (see ``EventLine``);
    /// ``EventLine/none`` by default.
    var line: EventLine { get }
}

extension EventTopic {
    /// No readable line: clients show the event's data.
    public var line: EventLine { .none }

    /// The declared lines by topic, as the manifest carries them.
    static var declaredLines: [String: EventLine] {
        var lines: [String: EventLine] = [:]
        for topic in allCases where !topic.line.isEmpty { lines[topic.rawValue] = topic.line }
        return lines
    }
}

/// The topics of a plugin that emits none.
public enum NoTopics: String, EventTopic {
    /// Never used: a plugin without topics cannot emit.
    case none = ""

    /// No topics at all.
    public static var allCases: [NoTopics] { [] }
}
