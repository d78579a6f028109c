import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The clerk's side in Chinese (`LANG=zh_CN.UTF-8`): receptionctl builds the visitors' commands
/// from the plugin's declarations, so the words, titles, labels and local times a clerk reads
/// come from the plugin's glossary and display hints. Documents, channels and results are typed
/// as the desk says them (护照, 楼宇对讲, 同意来访).
@Suite("visitors: receptionctl at the desk in Chinese", .timeLimit(.minutes(2)))
struct ReceptionctlVisitorsTests {
    /// Runs receptionctl in Chinese against `daemon`.
    static func ctl(_ daemon: TestDaemon, _ arguments: [String]) throws -> CommandResult {
        try VisitorsDesk.ctl(daemon, locale: "zh_CN.UTF-8", arguments)
    }

    /// Whether `text` reads as a page: no JSON, no raw ISO times with an offset.
    static func isPage(_ text: String) -> Bool {
        !text.contains("{") && text.firstMatch(of: #/T\d{2}:\d{2}:\d{2}/#) == nil
    }

    @Test(
        "`visitors register`, `on-site` and `overnight-list` read in Chinese: the visit titled by its number and state, labelled members, local times, one row per visit"
    )
    func chineseDesk() throws {
        let zone = VisitorsDesk.zone()
        let daemon = try VisitorsDesk.start(zone: zone)
        defer { _ = try? daemon.stop() }

        // 王芳 on her passport, typed as 护照.
        let registered = try Self.ctl(
            daemon,
            [
                "visitors", "register", "--name", "王芳", "--id-type", "护照", "--id-number", "E12345678",
                "--host-unit", "3-2-1201", "--host-name", "陈明", "--purpose", "探亲", "--party", "2",
            ])
        #expect(registered.status == 0, "\(registered)")
        let page = registered.stdout
        let title = try #require(page.split(separator: "\n").first.map(String.init), "\(registered)")
        let visit = try #require(title.firstMatch(of: #/V\d{8}-\d{4}/#).map { String($0.output) }, "\(page)")
        #expect(title.contains("等候中"), "the title line: number and state:\n\(page)")
        for (label, value) in [
            ("访客姓名", "王芳"), ("被访房号", "3-2-1201"), ("被访住户", "陈明"), ("来访人数", "2"), ("证件类型", "护照"),
            ("证件号后四位", "5678"), ("最晚离开时间", "今天 23:00"), ("逾时未离开", "否"), ("登记经办人", "li.na"),
        ] {
            #expect(
                page.split(separator: "\n").contains { $0.contains(label) && $0.contains(value) },
                "\(label) \(value):\n\(page)")
        }
        #expect(page.contains("到达时间") && page.contains("今天 "), "arrived today, on the daemon's clock:\n\(page)")
        #expect(Self.isPage(page) && !page.contains("E12345678"), "\(page)")

        // Nobody at the intercom; 陈明 answers the flat's phone and the desk opens the door.
        let unanswered = try Self.ctl(
            daemon, ["visitors", "contact", visit, "--channel", "楼宇对讲", "--result", "无人应答"])
        #expect(unanswered.status == 0, "\(unanswered)")
        let admitted = try Self.ctl(
            daemon,
            ["visitors", "contact", visit, "--channel", "住户座机", "--result", "同意来访", "--door-opened-by", "前台开门"])
        #expect(admitted.status == 0, "\(admitted)")
        let block = admitted.stdout
        #expect(block.hasPrefix(visit) && block.split(separator: "\n").first?.contains("在访") == true, "\(block)")
        #expect(block.contains("开门方式") && block.contains("前台开门"), "\(block)")
        // Each attempt nested under the visit, in the desk's words.
        #expect(block.components(separatedBy: "联系住户记录").count - 1 == 2, "two attempts:\n\(block)")
        #expect(block.contains("楼宇对讲") && block.contains("住户座机") && block.contains("无人应答"), "\(block)")
        // An attempt reads as the desk says it: channel and result first, then by whom and when.
        let labels = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let channel = try #require(labels.firstIndex { $0.hasPrefix("联系方式") }, "\(block)")
        let result = try #require(labels.firstIndex { $0.hasPrefix("结果") }, "\(block)")
        let when = try #require(labels.firstIndex { $0.hasPrefix("时间") }, "\(block)")
        #expect(channel < result && result < when, "\(block)")
        #expect(Self.isPage(block), "\(block)")

        // Inside now: one row for the visit (its two attempts do not make two rows).
        let onSite = try Self.ctl(daemon, ["visitors", "on-site"])
        #expect(onSite.status == 0, "\(onSite)")
        let lines = onSite.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "a header, a rule and one row:\n\(onSite.stdout)")
        #expect(
            lines.first.map { ["访客登记编号", "访客姓名", "被访房号", "状态", "最晚离开时间"].allSatisfy($0.contains) } == true,
            "\(onSite.stdout)")
        #expect(lines.last.map { [visit, "王芳", "在访", "今天 23:00"].allSatisfy($0.contains) } == true, "\(onSite.stdout)")

        // The night: a driving licence is refused in Chinese; her identity card is taken.
        let licence = try Self.ctl(
            daemon,
            [
                "visitors", "overnight", visit, "--id-type", "驾驶证", "--id-number", "440304199001017788", "--nights",
                "1", "--host-signed",
            ])
        #expect(licence.status == 1, "\(licence)")
        #expect(licence.stderr.hasPrefix("错误：") && licence.stderr.contains("国家签发"), "\(licence.stderr)")
        let night = try Self.ctl(
            daemon,
            [
                "visitors", "overnight", visit, "--id-type", "身份证", "--id-number", "44030419900101778X", "--nights",
                "2", "--host-signed",
            ])
        #expect(night.status == 0, "\(night)")
        #expect(night.stdout.split(separator: "\n").first?.contains("留宿登记") == true, "\(night.stdout)")

        // The night's list for security, asked for `today` in the daemon's zone.
        let list = try Self.ctl(daemon, ["visitors", "overnight-list", "today"])
        #expect(list.status == 0, "\(list)")
        let rows = list.stdout.split(separator: "\n").map(String.init)
        #expect(
            rows.first.map { ["访客登记编号", "留宿晚数", "留宿起始日", "留宿结束日", "留宿证件类型"].allSatisfy($0.contains) } == true,
            "\(list.stdout)")
        #expect(
            rows.last.map { [visit, "王芳", "陈明", zone.day(0), zone.day(2), "身份证", "留宿登记"].allSatisfy($0.contains) }
                == true, "\(list.stdout)")
        #expect(Self.isPage(list.stdout), "\(list.stdout)")
    }
}
