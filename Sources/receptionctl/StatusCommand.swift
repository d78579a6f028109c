import ArgumentParser
import ReceptionClient
import ReceptionProtocol

/// `receptionctl status`: how the daemon is doing.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show whether the daemon is healthy: version, uptime, connections, requests and plugins.")

    @OptionGroup var options: Options

    func run() throws {
        let session = try DaemonSession.open(options)
        defer { session.connection.close() }
        let reply = try session.call("daemon.status")
        if options.json {
            Console.out(reply.rawResult)
            return
        }
        Console.out(Self.summary(reply.result))
    }

    /// The status as a few aligned lines and a plugin table.
    static func summary(_ status: JSONValue) -> String {
        func text(_ value: JSONValue?) -> String {
            guard let value, value != .null else { return "?" }
            return TableRenderer.cellText(value)
        }
        var header = "receptiond \(text(status["version"])), pid \(text(status["pid"]))"
        if let seconds = status["uptimeSeconds"]?.doubleValue {
            header += ", up \(duration(seconds))"
        }
        var facts: [(key: String, value: JSONValue)] = []
        func add(_ key: String, _ value: String) { facts.append((key, .string(value))) }
        if let started = status["startedAt"] { add("started", text(started)) }
        add("socket", text(status["socket"]))
        add("state dir", text(status["stateDir"]))
        if let currency = Currency(json: status["currency"]) {
            add("currency", "\(currency.code) (\(currency.format(minorUnits: 1500)) is 1500 on the wire)")
        }
        if let zone = status["timeZone"]?.stringValue { add("time zone", "\(zone) (dates typed here are read in it)") }
        if let connections = status["connections"] {
            add(
                "connections",
                "\(text(connections["current"])) open (max \(text(connections["max"]))), \(text(connections["total"])) since start"
            )
        }
        if let requests = status["requests"] {
            add(
                "requests",
                "\(text(requests["total"])) handled, \(text(requests["errors"])) errors, \(text(requests["inFlight"])) in progress"
            )
        }
        if let events = status["events"] {
            add("events", "last seq \(text(events["seq"])), \(text(events["subscribers"])) watching")
        }
        if let storage = status["storage"], let wal = storage["walBytes"]?.intValue,
            let limit = storage["maxWalBytes"]?.intValue
        {
            var line = "WAL \(mebibytes(wal)) of \(mebibytes(limit))"
            if storage["writesRefused"]?.boolValue == true {
                let cause = storage["failures"]?.arrayValue?.first { $0["current"]?.boolValue == true }
                line =
                    "WRITES REFUSED: \(text(cause?["cause"])), \(text(storage["writesRefusedCount"])) since \(text(cause?["firstAt"])); "
                    + line
            }
            add("storage", line)
        }
        var sections = [header + "\n" + ResultFormatter.keyValueLines(facts)]
        let plugins = status["plugins"]?.arrayValue ?? []
        if plugins.isEmpty {
            sections.append("plugins: none loaded")
        } else {
            let failed = plugins.filter { $0["state"]?.stringValue != "loaded" }.count
            let rows = plugins.map { plugin in
                ["name", "version", "state", "methods", "error"].map {
                    text(plugin[$0]) == "?" && $0 == "error" ? "" : text(plugin[$0])
                }
            }
            let title = failed == 0 ? "plugins:" : "plugins (\(failed) failed):"
            sections.append(
                title + "\n"
                    + TableRenderer.render(
                        headers: ["name", "version", "state", "methods", "error"], rows: rows, rightAligned: [3]))
        }
        return sections.joined(separator: "\n\n")
    }

    /// `41221352` → `39.3 MiB`.
    static func mebibytes(_ bytes: Int64) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    /// `3d 4h 5m`, `2h 3m 4s`, `5m 6s`, `7s`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        let days = total / 86_400
        let hours = total % 86_400 / 3600
        let minutes = total % 3600 / 60
        let secs = total % 60
        if days > 0 { return "\(days)d \(hours)h \(minutes)m" }
        if hours > 0 { return "\(hours)h \(minutes)m \(secs)s" }
        if minutes > 0 { return "\(minutes)m \(secs)s" }
        return "\(secs)s"
    }
}
