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
            header += Phrase(", up \(duration(seconds))", "，已运行 \(duration(seconds))")()
        }
        var facts: [(key: String, value: JSONValue)] = []
        func add(_ key: Phrase, _ value: String) { facts.append((key(), .string(value))) }
        if let started = status["startedAt"] { add(Phrase("started", "启动时间"), text(started)) }
        add(Phrase("socket", "套接字"), text(status["socket"]))
        add(Phrase("state dir", "数据目录"), text(status["stateDir"]))
        if let currency = Currency(json: status["currency"]) {
            let example = currency.format(minorUnits: 1500)
            add(
                Phrase("currency", "币种"),
                Phrase(
                    "\(currency.code) (\(example) is 1500 on the wire)", "\(currency.code)（\(example) 在协议中为 1500）")())
        }
        if let zone = status["timeZone"]?.stringValue {
            add(Phrase("time zone", "时区"), Phrase("\(zone) (dates typed here are read in it)", "\(zone)（输入的日期按此时区理解）")())
        }
        if let connections = status["connections"] {
            let (open, max, total) = (text(connections["current"]), text(connections["max"]), text(connections["total"]))
            add(
                Phrase("connections", "连接"),
                Phrase("\(open) open (max \(max)), \(total) since start", "当前 \(open)（上限 \(max)），启动以来 \(total)")())
        }
        if let requests = status["requests"] {
            let (total, errors, inFlight) = (text(requests["total"]), text(requests["errors"]), text(requests["inFlight"]))
            add(
                Phrase("requests", "请求"),
                Phrase(
                    "\(total) handled, \(errors) errors, \(inFlight) in progress",
                    "已处理 \(total)，出错 \(errors)，处理中 \(inFlight)")())
        }
        if let events = status["events"] {
            let (seq, watching) = (text(events["seq"]), text(events["subscribers"]))
            add(
                Phrase("events", "事件"),
                Phrase("last seq \(seq), \(watching) watching", "最新序号 \(seq)，\(watching) 个在看")())
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
            add(Phrase("storage", "存储"), line)
        }
        var sections = [header + "\n" + ResultFormatter.keyValueLines(facts)]
        let plugins = status["plugins"]?.arrayValue ?? []
        if plugins.isEmpty {
            sections.append(Phrase("plugins: none loaded", "插件：一个也没加载")())
        } else {
            let failed = plugins.filter { $0["state"]?.stringValue != "loaded" }.count
            let rows = plugins.map { plugin in
                ["name", "version", "state", "methods", "error"].map {
                    text(plugin[$0]) == "?" && $0 == "error" ? "" : text(plugin[$0])
                }
            }
            let title =
                failed == 0 ? Phrase("plugins:", "插件：")() : Phrase("plugins (\(failed) failed):", "插件（\(failed) 个失败）：")()
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
