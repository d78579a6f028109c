import ArgumentParser
import Foundation
import ReceptionClient
import ReceptionProtocol

/// An open connection plus the error reporting every command shares: it prints what went wrong
/// and turns it into the right ``ExitStatus``.
struct DaemonSession {
    let connection: RPCConnection
    let socketPath: String
    let options: Options

    /// Connects, and (when a workstation or operator is known and `identify` is set) says hello
    /// so the daemon's audit log records who is at the desk.
    static func open(_ options: Options, identify: Bool = true) throws -> DaemonSession {
        let path = options.socketPath
        do {
            let connection = try RPCConnection(socketPath: path, timeout: options.timeoutDuration)
            let session = DaemonSession(connection: connection, socketPath: path, options: options)
            if identify { try session.identify() }
            return session
        } catch let error as ClientError {
            throw report(error, socketPath: path, usedDefault: options.socket == nil, json: options.json)
        }
    }

    /// Calls `daemon.hello` when a workstation or operator is known.
    func identify(workstation: String? = nil, operator operatorName: String? = nil) throws {
        var params: [String: JSONValue] = [:]
        if let name = workstation ?? options.resolvedWorkstation { params["workstation"] = .string(name) }
        if let name = operatorName ?? options.resolvedOperator { params["operator"] = .string(name) }
        guard !params.isEmpty else { return }
        _ = try call("daemon.hello", .object(params))
    }

    /// Calls a method; on failure throws the ``CommandFailure`` to print. `wording` rewords a
    /// daemon error's fields as the options typed (task words); without it, wire names stay.
    func call(
        _ method: String, _ params: JSONValue = [:], timeout: Duration? = nil, wording: OptionWording? = nil
    ) throws -> RPCReply {
        do {
            return try connection.callReply(method, params, timeout: timeout ?? connection.defaultTimeout)
        } catch {
            throw Self.report(
                error, socketPath: socketPath, usedDefault: options.socket == nil, json: options.json, wording: wording)
        }
    }

    /// What to print for `error`, worded so a counter clerk can act on it, with its exit status.
    static func report(
        _ error: ClientError, socketPath: String, usedDefault: Bool, json: Bool?, wording: OptionWording? = nil
    ) -> CommandFailure {
        let socket: [String: JSONValue] = ["socket": .string(socketPath)]
        switch error {
        case .cannotConnect(let path, let reason):
            var lines = ["cannot connect to \(path): \(reason)"]
            var data: [String: JSONValue] = ["socket": .string(path), "reason": .string(reason)]
            if usedDefault && path == SocketPath.localPath {
                lines.append("(\(SocketPath.systemPath) does not exist either)")
            }
            if reason.hasPrefix("permission denied") {
                // The daemon runs; this user may not reach it. Say who owns what, and which group to join.
                if let problem = SocketAccess.problem(reaching: path, as: .current) {
                    lines += problem.explanation
                    data.merge(problem.jsonData) { _, new in new }
                } else {
                    lines.append("hint: ask an administrator to add you to the group that owns the socket.")
                }
            } else if !reason.hasPrefix("the socket path") {
                lines.append(
                    "hint: start the daemon (systemctl start receptiond, or run receptiond in this directory), "
                        + "or point --socket or RECEPTIOND_SOCKET at its socket.")
            }
            return .client(
                "cannot_connect", error.description, lines: lines,
                data: data, status: ExitStatus.cannotConnect,
                jsonMode: json)
        case .rpc(let rpcError):
            let text = wording?.describe(rpcError) ?? ClientError.describe(rpcError)
            return CommandFailure(
                status: ExitStatus.failed, lines: ["error: " + text], json: rpcError.jsonValue, jsonMode: json)
        case .timeout:
            return .client(
                "timeout", "the daemon did not answer in time (\(socketPath)); try again or raise --timeout",
                data: socket, status: ExitStatus.failed, jsonMode: json)
        case .closed:
            return .client(
                "closed", "the daemon closed the connection before answering (\(socketPath))", data: socket,
                status: ExitStatus.failed, jsonMode: json)
        case .io:
            return .client("io", error.description, data: socket, status: ExitStatus.failed, jsonMode: json)
        case .protocolError:
            return .client("protocol", error.description, data: socket, status: ExitStatus.failed, jsonMode: json)
        }
    }

    /// Prints a reply: the raw result with `--json` (money in minor units, as on the wire), else
    /// the human-readable form, with the members named in `money` shown in `currency` (`¥15.00`).
    func printResult(_ reply: RPCReply, money: Set<String> = [], currency: Currency = .cny) {
        if options.json {
            Console.out(reply.rawResult)
            return
        }
        let shown = MoneyDisplay.present(reply.result, money: money, currency: currency)
        let text = ResultFormatter.humanText(shown, rightAligned: money)
        Console.out(text.isEmpty ? "ok" : text)
    }

    /// Prints a task's reply: the raw result with `--json` (exactly the wire), else as people read
    /// it (``ResultFormatter/present(_:display:presentation:)``): records as blocks, lists as
    /// tables of the plugin's columns fitted to the terminal, money in the currency and times in
    /// the zone `hello` (a `daemon.hello` result) publishes, colour only on a terminal.
    func printResult(_ reply: RPCReply, method: MethodInfo, hello: JSONValue?) {
        if options.json {
            Console.out(reply.rawResult)
            return
        }
        let presentation = Presentation.forStandardOutput(hello: hello, language: language)
        let text = ResultFormatter.present(reply.result, display: method.display, presentation: presentation)
        Console.out(text.isEmpty ? "ok" : text)
    }

    /// The language labels are shown in: `zh` or `en`, from the locale.
    var language: String { Language.current.rawValue }
}
