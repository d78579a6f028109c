import Foundation

/// How wide help text may be: `COLUMNS` when the shell exports it, else 80.
enum HelpWidth {
    /// The width in terminal columns (at least 40).
    static var columns: Int {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let value = Int(text), value > 0 {
            return max(40, value)
        }
        return 80
    }
}
