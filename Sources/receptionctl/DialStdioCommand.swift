import ArgumentParser
import ReceptionClient

/// `receptionctl dial-stdio`: the far end of `receptionctl --host ssh://…`.
struct DialStdioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dial-stdio",
        abstract: "Join standard input and output to the daemon's socket (what `--host ssh://…` runs on the server).",
        discussion: """
            Copies bytes both ways, unchanged, until the daemon closes the connection; exits 0 then. When standard input ends, the daemon finishes answering what it was sent, then closes.

            receptionctl --host ssh://clerk@server runs `ssh clerk@server receptionctl dial-stdio`. The daemon sees the clerk's own user, so roles hold. An authorized_keys line can allow this command and nothing else (see the README, "A remote desk").

            The socket is found as usual (--socket, $RECEPTIOND_SOCKET, the config file's socket, the default paths); a host setting does not apply here.
            """)

    @OptionGroup var options: Options

    func run() throws {
        let path = options.socketPath
        let end: StdioBridge.End
        do {
            end = try StdioBridge.run(socketPath: path, timeout: options.timeoutDuration)
        } catch {
            throw DaemonSession.report(
                error, socketPath: path, usedDefault: options.socketSetting.source == .default, json: options.json)
        }
        if case .failed(let reason) = end {
            throw CommandFailure.client(
                "io", "dial-stdio stopped: \(reason)", data: ["socket": .string(path)], status: ExitStatus.failed,
                jsonMode: options.json)
        }
    }
}
