import ArgumentParser
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
            throw report(error, socketPath: path, usedDefault: options.socket == nil)
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

    /// Calls a method; on failure prints the error and throws the exit status.
    func call(_ method: String, _ params: JSONValue = [:], timeout: Duration? = nil) throws -> RPCReply {
        do {
            return try connection.callReply(method, params, timeout: timeout ?? connection.defaultTimeout)
        } catch {
            throw Self.report(error, socketPath: socketPath, usedDefault: options.socket == nil)
        }
    }

    /// Prints `error` the way a counter clerk can act on, and returns the exit status for it.
    static func report(_ error: ClientError, socketPath: String, usedDefault: Bool) -> ExitCode {
        switch error {
        case .cannotConnect(let path, let reason):
            Console.err("cannot connect to \(path): \(reason)")
            if usedDefault && path == SocketPath.localPath {
                Console.err("(\(SocketPath.systemPath) does not exist either)")
            }
            if !reason.hasPrefix("the socket path") {
                Console.err(
                    "hint: start the daemon (systemctl start receptiond, or run receptiond in this directory), "
                        + "or point --socket or RECEPTIOND_SOCKET at its socket.")
            }
            return ExitStatus.cannotConnect
        case .rpc(let rpcError):
            Console.err("error: " + ClientError.describe(rpcError))
            return ExitStatus.failed
        case .timeout:
            Console.err("error: the daemon did not answer in time (\(socketPath)); try again or raise --timeout")
            return ExitStatus.failed
        case .closed:
            Console.err("error: the daemon closed the connection before answering (\(socketPath))")
            return ExitStatus.failed
        case .io, .protocolError:
            Console.err("error: \(error.description)")
            return ExitStatus.failed
        }
    }

    /// Prints a reply: the raw result with `--json`, else the human-readable form.
    func printResult(_ reply: RPCReply) {
        if options.json {
            Console.out(reply.rawResult)
            return
        }
        let text = ResultFormatter.humanText(reply.result)
        Console.out(text.isEmpty ? "ok" : text)
    }
}
