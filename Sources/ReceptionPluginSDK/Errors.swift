/// Constructors for the errors plugin handlers throw. Each maps to one `error.data.kind`.
extension RPCError {
    /// The thing named does not exist.
    public static func notFound(_ message: String, details: [String: JSONValue] = [:]) -> RPCError {
        RPCError(.notFound, message, details: details)
    }
    /// The change clashes with existing state.
    public static func conflict(_ message: String, details: [String: JSONValue] = [:]) -> RPCError {
        RPCError(.conflict, message, details: details)
    }
    /// The current state does not allow this; say what the state is.
    public static func invalidState(_ message: String, details: [String: JSONValue] = [:]) -> RPCError {
        RPCError(.invalidState, message, details: details)
    }
    /// The caller's role may not do this.
    public static func forbidden(_ message: String) -> RPCError {
        RPCError(.forbidden, message)
    }
}
