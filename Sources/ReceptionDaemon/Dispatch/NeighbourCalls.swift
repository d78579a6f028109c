import Foundation
import Logging
import ReceptionPluginHost
import ReceptionProtocol
import ReceptionStore

/// Calls between departments: a plugin's `context.call("access.keys.register", …)` from inside
/// one of its own calls (the host table's `call`).
///
/// The called method runs on the running call's connection, as the same caller (its role and
/// params are checked as for a request), and, inside a write, in a savepoint of the writer's
/// transaction: what it changes and emits commits with the outer call or not at all, and a
/// failure undoes only its own changes before its error goes back to the caller. A read may call
/// only reads. The audit record is the outer call's.
extension Dispatcher {
    /// How deep calls between departments may nest (a calls b calls c...).
    static let maxNeighbourDepth = 4

    /// The `call` handler for a call running with `parent` (which holds it: the parent is held
    /// weakly, and the caller clears the handler when its call returns, see ``run(_:with:)``).
    func neighbourCalls(
        connection: ConnectionState, caller: CallerRecord, db: OpaquePointer, writable: Bool, parent: CallContext,
        depth: Int, logger: @escaping @Sendable () -> Logger
    ) -> (String, [UInt8]) -> Result<String, RPCError> {
        { [self, weak parent] method, params in
            guard let parent else {
                return .failure(RPCError(.unavailable, "\(method): the calling request has ended"))
            }
            return neighbourCall(
                method, params, connection: connection, caller: caller, db: db, writable: writable, parent: parent,
                depth: depth, logger: logger)
        }
    }

    /// Runs `body` (a plugin call with `context`), then takes `context`'s `call` handler away: a
    /// plugin that kept its context cannot call another department after its call returned.
    static func run<T>(_ context: CallContext, _ body: () -> T) -> T {
        defer { context.neighbour = nil }
        return body()
    }

    private func neighbourCall(
        _ method: String, _ paramsBytes: [UInt8], connection: ConnectionState, caller: CallerRecord, db: OpaquePointer,
        writable: Bool, parent: CallContext, depth: Int, logger: @escaping @Sendable () -> Logger
    ) -> Result<String, RPCError> {
        let department = method.split(separator: ".").first.map(String.init) ?? method
        guard let (record, descriptor) = registry.route(method), descriptor.role != .system,
            descriptor.access != .connection
        else {
            if let record = registry.failedOwner(of: method) { return .failure(unavailable(record)) }
            return .failure(
                RPCError(
                    .unavailable, "the \(department) department is not loaded: nothing serves \(method)",
                    details: ["plugin": .string(department), "method": .string(method)]))
        }
        guard record.isLoaded, let library = record.library else { return .failure(unavailable(record)) }
        guard depth < Self.maxNeighbourDepth else {
            return .failure(.internalError("calls between departments nest deeper than \(Self.maxNeighbourDepth)"))
        }
        if descriptor.access == .write, !writable {
            return .failure(.internalError("\(method) changes data: a read cannot call it"))
        }
        guard let params = try? JSONValue.parse(paramsBytes) else {
            return .failure(.invalidParams(field: nil, "params must be an object of named members"))
        }
        if let refusal = CallAdmission.refusal(
            descriptor, params: params, role: connection.role, uid: Int(connection.peer.uid),
            adminGroup: settings.adminGroup)
        {
            return .failure(refusal)
        }
        let child = CallContext(logger: logger(), allowedTopics: writable ? record.topics : [])
        child.neighbour = neighbourCalls(
            connection: connection, caller: caller, db: db, writable: writable, parent: child, depth: depth + 1,
            logger: logger)
        // The params as checked, not the bytes as sent (a duplicate key reads one way only).
        let checked = params.serializedBytes()
        let run: () -> Result<String, RPCError> = {
            var result = Dispatcher.run(child) {
                library.call(
                    method: method, params: checked, caller: caller, db: db, writable: writable, context: child)
            }
            if case .success = result, let bad = child.badTopic {
                result = .failure(.internalError("plugin emitted undeclared event topic \(bad)"))
            }
            return result
        }
        let result = writable ? Savepoint.run(db, name: "neighbour_\(depth)", run) : run()
        switch result {
        case .success:
            parent.adopt(child.events)
        case .failure(let error) where writable && Savepoint.transactionEnded(db):
            // Some errors (a full disk, I/O) end the whole transaction, not only the savepoint:
            // whatever the calling plugin makes of the error, its request fails.
            parent.poison(RPCError(.storage, "the change was not saved: \(error.message)"))
        case .failure:
            break
        }
        return result
    }
}
