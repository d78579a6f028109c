import ArgumentParser
import Foundation
import ReceptionClient
import ReceptionProtocol

/// An open connection plus the error reporting every command shares: it prints what went wrong
/// and turns it into the right ``ExitStatus``.
struct DaemonSession {
    let connection: RPCConnection
    /// The socket path, or the `ssh://` host, for messages.
    let socketPath: String
    let options: Options

    /// Connects, and (when a workstation or operator is known and `identify` is set) says hello
    /// so the daemon's audit log records who is at the desk.
    static func open(_ options: Options, identify: Bool = true) throws -> DaemonSession {
        let address: DaemonAddress
        let usedDefault: Bool
        do {
            let resolved = try options.daemonAddress()
            address = resolved.address
            usedDefault = resolved.setting.source == .default
        } catch {
            var failure = usageFailure("\(error)")
            failure.jsonMode = options.json
            throw failure
        }
        do {
            let connection = try connect(to: address, timeout: options.timeoutDuration)
            let session = DaemonSession(connection: connection, socketPath: address.description, options: options)
            if identify { try session.identify() }
            return session
        } catch let error as ClientError {
            throw report(error, socketPath: address.description, usedDefault: usedDefault, json: options.json)
        }
    }

    /// A connection to the socket, or through `ssh … receptionctl dial-stdio` (the command from
    /// `RECEPTIONCTL_SSH` when set) to a daemon on another machine.
    static func connect(to address: DaemonAddress, timeout: Duration) throws(ClientError) -> RPCConnection {
        switch address {
        case .socket(let path):
            return try RPCConnection(socketPath: path, timeout: timeout)
        case .ssh:
            let seconds = Int(
                (Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18).rounded(.up))
            let sshCommand = ProcessInfo.processInfo.environment[DaemonAddress.sshCommandVariable]
            guard let arguments = address.sshArguments(sshCommand: sshCommand, connectTimeoutSeconds: seconds) else {
                throw .cannotConnect(path: address.description, reason: "not an ssh:// host")
            }
            let transport = try RPCTransport.command(arguments, endpoint: address.description)
            return RPCConnection(transport: transport, timeout: timeout)
        }
    }

    /// Whether the daemon's address is the default one (nothing named a socket or host).
    var usedDefaultAddress: Bool {
        (try? options.daemonAddress().setting.source == .default) ?? false
    }

    /// Calls `daemon.hello` when a workstation or operator is known.
    func identify(workstation: String? = nil, operator operatorName: String? = nil) throws {
        var params: [String: JSONValue] = [:]
        if let name = workstation ?? options.resolvedWorkstation { params["workstation"] = .string(name) }
        if let name = operatorName ?? options.resolvedOperator { params["operator"] = .string(name) }
        // A clerk reading Chinese gets the daemon's errors in Chinese; scripts (--json) keep English.
        if Language.current != .en, !options.json { params["locale"] = .string(Language.current.localeName) }
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
                error, socketPath: socketPath, usedDefault: usedDefaultAddress, json: options.json, wording: wording)
        }
    }

    /// What to print for `error`, worded so a counter clerk can act on it, with its exit status.
    static func report(
        _ error: ClientError, socketPath: String, usedDefault: Bool, json: Bool?, wording: OptionWording? = nil
    ) -> CommandFailure {
        let socket: [String: JSONValue] = ["socket": .string(socketPath)]
        switch error {
        case .cannotConnect(let path, let reason):
            var lines = [Phrase("cannot connect to \(path): \(reason)", "连不上 \(path)：\(reason)")()]
            var data: [String: JSONValue] = ["socket": .string(path), "reason": .string(reason)]
            if usedDefault && path == SocketPath.localPath {
                lines.append(
                    Phrase(
                        "(\(SocketPath.systemPath) does not exist either)", "（\(SocketPath.systemPath) 也不存在）")())
            }
            if case .ssh(let user, let host, let port)? = try? DaemonAddress.parse(host: path) {
                let login = (port.map { "-p \($0) " } ?? "") + (user.map { "\($0)@" } ?? "") + host
                lines.append(
                    Phrase(
                        "hint: check that `ssh \(login) receptionctl dial-stdio` works by itself: a key that account "
                            + "accepts, the server in known_hosts, receptionctl on the server's PATH.",
                        "提示：先单独试 `ssh \(login) receptionctl dial-stdio`：该账号接受的密钥、known_hosts 里有服务器、"
                            + "服务器的 PATH 里有 receptionctl。")())
            } else if reason.hasPrefix("permission denied") {
                // The daemon runs; this user may not reach it. Say who owns what, and which group to join.
                if let problem = SocketAccess.problem(reaching: path, as: .current) {
                    lines += problem.explanation
                    data.merge(problem.jsonData) { _, new in new }
                } else {
                    lines.append(
                        Phrase(
                            "hint: ask an administrator to add you to the group that owns the socket.",
                            "提示：请管理员把你加入套接字所属的组。")())
                }
            } else if !reason.hasPrefix("the socket path") {
                lines.append(
                    Phrase(
                        "hint: start the daemon (systemctl start receptiond, or run receptiond in this directory), "
                            + "or point --socket or RECEPTIOND_SOCKET at its socket.",
                        "提示：启动守护进程（systemctl start receptiond，或在本目录运行 receptiond），"
                            + "或用 --socket 或 RECEPTIOND_SOCKET 指向它的套接字。")())
            }
            return .client(
                "cannot_connect", error.description, lines: lines,
                data: data, status: ExitStatus.cannotConnect,
                jsonMode: json)
        case .rpc(let rpcError):
            // Times in the message read as in tables (`since today 14:33`); --json keeps the wire's.
            let text = TimeDisplay(timeZone: .current, language: Language.current.rawValue).shortenTimes(
                in: wording?.describe(rpcError) ?? ClientError.describe(rpcError))
            return CommandFailure(
                status: ExitStatus.failed, lines: [errorPrefix() + text], json: rpcError.jsonValue, jsonMode: json)
        case .timeout:
            let message = "the daemon did not answer in time (\(socketPath)); try again or raise --timeout"
            return .client(
                "timeout", message,
                lines: [errorPrefix() + Phrase(message, "守护进程没有及时答复（\(socketPath)）；请重试或加大 --timeout")()],
                data: socket, status: ExitStatus.failed, jsonMode: json)
        case .closed:
            let message = "the daemon closed the connection before answering (\(socketPath))"
            return .client(
                "closed", message, lines: [errorPrefix() + Phrase(message, "守护进程未答复就关闭了连接（\(socketPath)）")()],
                data: socket, status: ExitStatus.failed, jsonMode: json)
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
    ///
    /// With `--csv`, a list is printed as CSV (``ResultFormatter/csv(_:display:presentation:)``);
    /// a result that is not a list is a usage failure, naming the task.
    func printResult(_ reply: RPCReply, method: MethodInfo, hello: JSONValue?) throws {
        if options.json {
            Console.out(reply.rawResult)
            return
        }
        let presentation = Presentation.forStandardOutput(hello: hello, language: language)
        if options.csv {
            guard let csv = ResultFormatter.csv(reply.result, display: method.display, presentation: presentation)
            else {
                let words = method.words.joined(separator: " ")
                throw usageFailure(
                    Phrase(
                        "--csv prints lists, and `\(words)` answers with a record: leave out --csv, or use --json",
                        "--csv 只用于列表，而“\(words)”返回的是一条记录：去掉 --csv，或改用 --json"))
            }
            Console.write(csv)
            return
        }
        let text = ResultFormatter.present(reply.result, display: method.display, presentation: presentation)
        Console.out(text.isEmpty ? "ok" : text)
    }

    /// The language labels are shown in: `zh` or `en`, from the locale.
    var language: String { Language.current.rawValue }
}
