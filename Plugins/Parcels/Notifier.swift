import Dispatch
import ReceptionPluginSDK

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

    /// The item's JSON plus the notification row's id, as `parcels.notified` and
    /// `parcels.reminded` carry it.
    static func eventData(_ item: JSONValue, notification: Int64) -> JSONValue {
        guard case .object(var members) = item else { return item }
        members["notificationId"] = .int(notification)
        return .object(members)
    }

    /// Queues one run of `command` for a committed notification event.
    static func run(_ command: NotifierCommand, event: CommittedEvent, background: BackgroundWork) {
        guard let notification = event.data["notificationId"]?.intValue else { return }
        let json = event.data.serialized()
        queue.async {
            let outcome = command.run(json: json)
            var params: [String: JSONValue] = ["notificationId": .int(notification)]
            switch outcome {
            case .success:
                params["ok"] = true
            case .failure(let failure):
                params["ok"] = false
                params["error"] = .string(  // the schema's maxLength counts Unicode scalars
                    String(String.UnicodeScalarView(failure.description.unicodeScalars.prefix(500))))
                background.log.warning("notifier failed for notification \(notification): \(failure.description)")
            }
            background.submit("parcels.notifier.record", .object(params))
        }
    }

    /// `parcels.notifier.record` (role system): the notifier's outcome for one notification.
    static let recordMethod: Method<ParcelsPlugin> = .write(
        "parcels.notifier.record", "Records what the notifier command did (background work only).",
        params: Schema.object(
            [
                "notificationId": Schema.integer("The notification row", minimum: 1),
                "ok": Schema.boolean("Whether the command succeeded"),
                "error": Schema.string("Why it failed", maxLength: 500),
            ], required: ["notificationId", "ok"]),
        role: .system
    ) { (_, params: RecordParams, context) in
        guard
            let row = try context.db.queryOne(
                "SELECT item_id FROM parcels_notifications WHERE id = ?", [params.notificationId]),
            let item = row.int("item_id")
        else {
            throw RPCError.notFound("notification \(params.notificationId) does not exist")
        }
        try context.db.execute(
            "UPDATE parcels_notifications SET notifier_status = ?, notifier_error = ? WHERE id = ?",
            [params.ok ? "ok" : "failed", params.ok ? nil : params.error, params.notificationId])
        try context.db.execute(
            "UPDATE parcels_items SET notifier_error = ? WHERE id = ?", [params.ok ? nil : params.error, item])
        return ["recorded": true] as JSONValue
    }

    /// The params of `parcels.notifier.record`.
    struct RecordParams: Decodable, Sendable {
        let notificationId: Int64
        let ok: Bool
        let error: String?
    }
}
