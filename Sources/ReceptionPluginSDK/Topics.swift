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
public protocol EventTopic: RawRepresentable<String>, CaseIterable, Sendable {}

/// The topics of a plugin that emits none.
public enum NoTopics: String, EventTopic {
    /// Never used: a plugin without topics cannot emit.
    case none = ""

    /// No topics at all.
    public static var allCases: [NoTopics] { [] }
}
