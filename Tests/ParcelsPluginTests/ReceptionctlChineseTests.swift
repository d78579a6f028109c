import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The counter in Chinese (issue 12, point 9): under a zh_CN locale receptionctl shows the
/// department's words, takes choices as the labels a clerk reads, and the daemon's errors come in
/// Chinese; under an English locale nothing changes. Real daemon, socket and binary.
@Suite("parcels over the socket in Chinese and in English", .timeLimit(.minutes(3)))
struct ReceptionctlChineseTests {
    static func ctl(_ daemon: TestDaemon, locale: String, _ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(
            ReceptionctlParcelsTests.receptionctl,
            ["--socket", daemon.socketPath, "--workstation", "desk-1", "--operator", "li.na"] + arguments,
            environment: ChildProcess.cleanEnvironment(overrides: ["LANG": locale, "COLUMNS": "120"]))
    }

    @Test(
        "a task's help is in Chinese under zh_CN: its description, the options' words, required marks, labelled choices"
    )
    func chineseHelp() throws {
        let daemon = try ParcelsDesk.start()
        defer { _ = try? daemon.stop() }
        let chinese = try Self.ctl(daemon, locale: "zh_CN.UTF-8", ["parcels", "receive", "--help"])
        #expect(chinese.status == 0, "\(chinese)")
        #expect(chinese.stdout.contains("用法："), "\(chinese.stdout)")
        #expect(chinese.stdout.contains("（必填）"), "\(chinese.stdout)")
        #expect(chinese.stdout.contains("letter（信件）"), "\(chinese.stdout)")
        #expect(chinese.stdout.contains("收件人"), "\(chinese.stdout)")

        let english = try Self.ctl(daemon, locale: "en_US.UTF-8", ["parcels", "receive", "--help"])
        #expect(english.stdout.contains("Usage: "), "\(english.stdout)")
        #expect(english.stdout.contains("(required)"), "\(english.stdout)")
        #expect(!english.stdout.contains("信件"), "\(english.stdout)")

        let tasks = try Self.ctl(daemon, locale: "zh_CN.UTF-8", ["parcels", "--help"])
        #expect(tasks.stdout.contains("parcels 的任务"), "\(tasks.stdout)")
    }

    @Test("a choice typed as its Chinese label is sent as its value; a wrong one is refused with the labelled list")
    func choicesByLabel() throws {
        let daemon = try ParcelsDesk.start()
        defer { _ = try? daemon.stop() }
        let received = try Self.ctl(
            daemon, locale: "zh_CN.UTF-8",
            ["--json", "parcels", "receive", "--kind", "快递", "--recipient", "陈静", "--unit", "3-2-1201"])
        #expect(received.status == 0, "\(received)")
        let item = try JSONValue.parse(received.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(item["kind"] == "express")
        let code = try #require(item["code"]?.stringValue)

        // The document type is a configured list with labels: 身份证 is id_card.
        let picked = try Self.ctl(
            daemon, locale: "zh_CN.UTF-8",
            ["--json", "parcels", "pickup", code, "--by", "陈静", "--id-type", "身份证", "--id-last4", "071x"])
        #expect(picked.status == 0, "\(picked)")
        let collected = try JSONValue.parse(picked.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(collected["items"]?.arrayValue?.first?["idType"] == "id_card", "\(collected)")

        let wrong = try Self.ctl(
            daemon, locale: "zh_CN.UTF-8",
            ["parcels", "receive", "--kind", "box", "--recipient", "陈静", "--unit", "1-1-101"])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("只能是"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("express（快递）"), "\(wrong.stderr)")
    }

    @Test(
        "under zh_CN the daemon's rule errors read in Chinese with the option typed; --json keeps the English error object"
    )
    func chineseErrors() throws {
        let daemon = try ParcelsDesk.start()
        defer { _ = try? daemon.stop() }
        let received = try Self.ctl(
            daemon, locale: "zh_CN.UTF-8",
            ["--json", "parcels", "receive", "--kind", "letter", "--recipient", "周杰", "--unit", "2-1-101"])
        let code = try #require(
            try JSONValue.parse(received.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["code"]?.stringValue)

        let proxy = try Self.ctl(
            daemon, locale: "zh_CN.UTF-8",
            ["parcels", "pickup", code, "--by", "王五", "--id-type", "身份证", "--id-last4", "1234"])
        #expect(proxy.status == 1, "\(proxy)")
        #expect(proxy.stderr.hasPrefix("错误："), "\(proxy.stderr)")
        #expect(proxy.stderr.contains("周杰") && proxy.stderr.contains("王五"), "\(proxy.stderr)")
        #expect(proxy.stderr.contains("代领"), "\(proxy.stderr)")

        let english = try Self.ctl(
            daemon, locale: "en_US.UTF-8",
            ["parcels", "pickup", code, "--by", "王五", "--id-type", "id_card", "--id-last4", "1234"])
        #expect(english.stderr.hasPrefix("error: "), "\(english.stderr)")
        #expect(!english.stderr.contains("代领"), "\(english.stderr)")

        let script = try Self.ctl(
            daemon, locale: "zh_CN.UTF-8",
            ["--json", "parcels", "pickup", code, "--by", "王五", "--id-type", "id_card", "--id-last4", "1234"])
        let object = try JSONValue.parse(script.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(object["data"]?["rule"] == "proxy_required", "\(script.stderr)")
        #expect(object["message"]?.stringValue?.contains("代领") == false, "scripts read English: \(script.stderr)")

        let missing = try Self.ctl(daemon, locale: "zh_CN.UTF-8", ["parcels", "receive", "--kind", "letter"])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("缺少必填选项"), "\(missing.stderr)")
    }
}
