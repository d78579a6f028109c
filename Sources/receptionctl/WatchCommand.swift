import ArgumentParser
import Foundation
import ReceptionClient
import ReceptionProtocol

/// `receptionctl watch [TOPIC...]`: follow events as they happen.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Show events (parcels received, keys lent, ...) as they happen, until Ctrl-C.",
        discussion: """
            Prints one readable line per event, as its department words it, after the time of day in the daemon's time zone: `07:04:53  A9F9 letter for 陈静 received at desk-1 by li.na`. An event whose topic declares no line prints its time, sequence number, topic and data. With --json, prints each event's JSON (topic, seq, time, data, workstation, operator) on its own line, exactly as the daemon sent it.

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
        // The lines the departments declare, and the zone times are shown in; not needed for --json.
        var readable: (lines: EventLines, presentation: Presentation)?
        if !options.json {
            let methods = try session.call("daemon.methods").result
            let hello = try session.call("daemon.hello").result
            readable = (
                EventLines(methodsResult: methods, language: session.language),
                Presentation.forStandardOutput(hello: hello, language: session.language)
            )
        }
        let reply = try session.call("events.subscribe", ["topics": .array(topics.map { .string($0) })])
        if !options.json && Console.stderrIsTerminal {
            let what = topics.isEmpty ? "all events" : topics.joined(separator: ", ")
            let seq = TableRenderer.cellText(reply.result["seq"])
            Console.err(Phrase("watching \(what) from seq \(seq); Ctrl-C to stop", "正在看\(topics.isEmpty ? "全部事件" : what)，从序号 \(seq) 起；Ctrl-C 退出")())
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
                if let readable {
                    // A watch runs all day: "today" is the day the event arrives, not the day it started.
                    var presentation = readable.presentation
                    presentation.times.now = Date()
                    Console.out(Self.line(notification.params, lines: readable.lines, presentation: presentation))
                } else {
                    Console.out(notification.rawParams)
                }
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

    /// `07:04:53  A9F9 letter for 陈静 received at desk-1 by li.na`: the time of day in the
    /// daemon's zone and the topic's declared line, else ``line(_:)``.
    static func line(_ params: JSONValue, lines: EventLines, presentation: Presentation) -> String {
        guard let text = lines.line(for: params, presentation: presentation) else { return line(params) }
        let time = params["time"]?.stringValue.flatMap(TimeDisplay.parse).map(presentation.times.clock) ?? ""
        return time.isEmpty ? text : time + "  " + text
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
