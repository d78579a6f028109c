import Dispatch
import ReceptionPluginSDK
import Synchronization

/// Runs the notifier command after a notification commits, and records what it did.
///
/// The command runs on the plugin's own serial queue, never on the writer: a slow or broken SMS
/// gateway delays only other notifications, never a pickup. Its outcome comes back through
/// background work as the system method `parcels.notifier.record`, which marks the notification
/// row `ok` or `failed` and sets (or clears) the item's `notifierError`. The item itself is
/// never touched otherwise, so a failing notifier cannot lose it.
enum Notifier {
    /// One command at a time, in commit order.
    static let queue = DispatchQueue(label: "parcels.notifier")
    /// Runs queued and not finished.
    static let queued = Atomic<Int>(0)
    /// Where the drain reports (the background work of the last commit).
    static let reporter = Mutex<BackgroundWork?>(nil)

    /// Waits until the runs already queued have finished and submitted their outcome, at most
    /// `grace`; says how many were left when it gives up.
    static func drain(within grace: Duration) {
        let waiting = queued.load(ordering: .relaxed)
        guard waiting > 0 else { return }
        let log = reporter.withLock { $0 }?.log
        log?.info("notifier: finishing \(waiting) queued runs before the daemon stops")
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        let parts = grace.components
        let milliseconds = Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000)
        if done.wait(timeout: .now() + .milliseconds(milliseconds)) == .timedOut {
            log?.warning(
                "notifier: \(queued.load(ordering: .relaxed)) runs still queued after \(grace); their notifications stay pending"
            )
        }
    }

    /// Queues one run of `command` for a committed notification event.
    static func run(_ command: NotifierCommand, event: CommittedEvent, background: BackgroundWork) {
        guard let notification = event.data["notificationId"]?.intValue else { return }
        let json = event.data.serialized()
        reporter.withLock { $0 = background }
        queued.add(1, ordering: .relaxed)
        queue.async {
            defer { queued.subtract(1, ordering: .relaxed) }
            let outcome = command.run(json: json)
            var params: [String: JSONValue] = ["notificationId": .int(notification)]
            if let failure = outcome.failure {
                params["ok"] = false
                params["error"] = .string(  // the schema's maxLength counts Unicode scalars
                    String(String.UnicodeScalarView(failure.description.unicodeScalars.prefix(500))))
                background.log.warning("notifier failed for notification \(notification): \(failure.description)")
            } else {
                params["ok"] = true
                if !outcome.stderr.isEmpty {
                    background.log.info("notifier for notification \(notification) said: \(outcome.stderr)")
                }
            }
            background.submit("parcels.notifier.record", .object(params))
        }
    }

    /// `parcels.notifier.record` (role system): the notifier's outcome for one notification.
    static let recordMethod: Method<ParcelsPlugin> = .write(
        "parcels.notifier.record", "Records what the notifier command did (background work only).",
        zh: "记录通知程序的发送结果（仅由后台任务调用）。", role: .system
    ) { (_, params: RecordParams, context) in
        guard
            let row = try context.db.queryOne(
                "SELECT item_id FROM parcels_notifications WHERE id = ?", [params.notificationId]),
            let item = row.int("item_id")
        else {
            throw RPCError.notFound("notification \(params.notificationId) does not exist")
                .localized("zh", "通知记录 \(params.notificationId) 不存在")
        }
        try context.db.execute(
            "UPDATE parcels_notifications SET notifier_status = ?, notifier_error = ? WHERE id = ?",
            [params.ok ? "ok" : "failed", params.ok ? nil : params.error, params.notificationId])
        try context.db.execute(
            "UPDATE parcels_items SET notifier_error = ? WHERE id = ?", [params.ok ? nil : params.error, item])
        return ["recorded": true] as JSONValue
    }

    /// The params of `parcels.notifier.record`.
    struct RecordParams: MethodParams {
        @Param("The notification row", minimum: 1) var notificationId: Int64
        @Param("Whether the command succeeded") var ok: Bool
        @Param("Why it failed", maxLength: 500, text: .verbatim) var error: String?
    }
}
