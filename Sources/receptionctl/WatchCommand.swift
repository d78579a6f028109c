import ArgumentParser
import ReceptionClient
import ReceptionProtocol

/// `receptionctl watch [TOPIC...]`: follow events as they happen.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Show events (parcels received, keys lent, ...) as they happen, until Ctrl-C.",
        discussion: """
            Prints one line per event: time, sequence number, topic, details. With --json, prints each event's JSON (topic, seq, time, data) on its own line.

            Exits 0 when the daemon shuts down, 1 if the daemon drops this watcher for falling behind.
            """)

    @OptionGroup var options: Options

    @Argument(
        help: ArgumentHelp(
            "Topics to follow, matched by prefix (e.g. parcels); none means everything.", valueName: "topic"))
    var topics: [String] = []

    func run() throws {
        let session = try DaemonSession.open(options)
        defer { session.connection.close() }
        let reply = try session.call("events.subscribe", ["topics": .array(topics.map { .string($0) })])
        if !options.json && Console.stderrIsTerminal {
            let what = topics.isEmpty ? "all events" : topics.joined(separator: ", ")
            Console.err("watching \(what) from seq \(TableRenderer.cellText(reply.result["seq"])); Ctrl-C to stop")
        }
        while true {
            let notification: RPCNotification?
            do {
                notification = try session.connection.nextNotificationMessage(timeout: nil)
            } catch {
                throw DaemonSession.report(
                    error, socketPath: session.socketPath, usedDefault: session.usedDefaultAddress, json: options.json)
            }
            guard let notification else {
                Console.err("the daemon closed the connection")
                throw ExitStatus.success
            }
            switch notification.method {
            case "event":
                Console.out(options.json ? notification.rawParams : Self.line(notification.params))
            case "events.dropped":
                let reason = notification.params["reason"]?.stringValue ?? "no reason given"
                let seq = TableRenderer.cellText(notification.params["seq"])
                throw CommandFailure.client(
                    "events_dropped", "the daemon stopped sending events to this watcher: \(reason) (last seq \(seq))",
                    data: ["reason": .string(reason), "seq": notification.params["seq"] ?? .null],
                    status: ExitStatus.failed, jsonMode: options.json)
            default:
                continue
            }
        }
    }

    /// `time  seq  topic  data` for one event's params.
    static func line(_ params: JSONValue) -> String {
        let parts = [
            TableRenderer.cellText(params["time"]),
            TableRenderer.cellText(params["seq"]),
            TableRenderer.cellText(params["topic"]),
            params["data"].map { TableRenderer.singleLine($0.serialized()) } ?? "",
        ]
        return TableRenderer.trimTrailingSpaces(parts.joined(separator: "  "))
    }
}
