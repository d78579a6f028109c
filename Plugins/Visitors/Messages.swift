import Foundation
import ReceptionPluginSDK

/// A message a visitor left for the host who could not be reached.
struct Message: Record {
    static let table = "visitors_messages"

    @Column(wire: .hidden) var id: Int64
    @Column("M20261206-0001: M, the day it was left, its number of the day") var message: String
    @Column("The visit it was left on") var visit: String
    @Column("The visitor who left it") var name: String
    @Column("The unit it is for", format: .unit) var hostUnit: String
    @Column(wire: .hidden) var hostUnitKey: String
    @Column("The resident it is for") var hostName: String
    @Column("What the visitor said") var text: String
    @Column(format: .dateTime) var leftAt: String
    @Column(wire: .hidden) var leftMs: Int64
    @Column("Who at the desk took it") var leftBy: String
    @Column("Handed to the resident") var delivered: Bool
    @Column(format: .dateTime) var deliveredAt: String?
    @Column("Who it was handed to") var deliveredTo: String?
    @Column("Who at the desk handed it over") var deliveredBy: String?
}

/// `visitors.leaveMessage`, `visitors.messages`, `visitors.deliverMessage`.
enum Messages {
    /// The columns worth showing of one message.
    static let columns = ["message", "hostUnit", "hostName", "name", "text", "leftAt", "delivered"]

    /// `visitors.leaveMessage`: the host could not be reached; the visitor leaves a message and goes.
    static let leaveMethod: Method<VisitorsPlugin> = .write(
        "visitors.leaveMessage",
        "The visitor leaves a message for a host who could not be reached (an intercom without answer needs a phone attempt first); the visit ends.",
        zh: "联系不上住户时访客留言离开（楼宇对讲无人应答的，须先打住户电话）；来访结束。",
        display: DisplayHints(title: "message", columns: columns), result: Message.self
    ) { (_, params: LeaveMessageParams, context) -> JSONValue in
        let db = context.db
        let visit = try VisitLookup.inState(params.visit, [.waiting], to: "leave a message on", chinese: "留言", in: db)
        try GivingUp.check(
            visit, contacts: try VisitLookup.contacts(of: visit, in: db), action: "leave a message on", chinese: "留言")
        let clock = LocalTime(zone: context.timeZone)
        var message = Message()
        message.message = try Numbers.next("M", on: clock.day(of: context.now), in: db)
        message.visit = visit.visit
        message.name = visit.name
        message.hostUnit = visit.hostUnit
        message.hostUnitKey = visit.hostUnitKey
        message.hostName = visit.hostName
        message.text = params.message
        message.leftAt = context.stamp.time
        message.leftMs = context.stamp.ms
        message.leftBy = context.stamp.by
        message.delivered = false
        message.id = try message.insert(into: db)
        try db.execute(
            """
            UPDATE visitors_visits SET status = 'left_message', signed_out_at = ?, signed_out_ms = ?, signed_out_by = ?
            WHERE id = ?
            """, [context.stamp.time, context.stamp.ms, context.stamp.by, visit.id])
        let reply = message.jsonValue()
        try context.emit(.message, reply)
        return reply
    }

    /// `visitors.messages {"unit"}`: the messages waiting for a unit's residents.
    static let listMethod: Method<VisitorsPlugin> = .read(
        "visitors.messages",
        "The messages visitors left for a unit, oldest first; not yet handed over unless all is true.",
        zh: "访客给某户的留言，按时间先后；默认只列尚未转交的。",
        display: DisplayHints(title: "message", list: "messages", columns: columns), result: Message.self
    ) { (_, params: MessagesParams, context) -> JSONValue in
        let unitKey = try DeskText.requiredUnitKey(params.unit, field: "unit")
        let pending = params.all == true ? "" : " AND delivered = 0"
        let messages = Message.rows(
            try context.db.query(
                "SELECT \(Message.columns) FROM visitors_messages WHERE host_unit_key = ?\(pending) ORDER BY left_ms, id LIMIT ?",
                [unitKey, OnSite.limit + 1]))
        var reply: [String: JSONValue] = ["messages": .array(messages.prefix(OnSite.limit).map { $0.jsonValue() })]
        if messages.count > OnSite.limit { reply["more"] = true }
        return .object(reply)
    }

    /// `visitors.deliverMessage {"message", "to"}`: the message handed to the resident.
    static let deliverMethod: Method<VisitorsPlugin> = .write(
        "visitors.deliverMessage", "Records that a message was handed to the resident, and to whom.",
        zh: "登记留言已转交住户，及转交给谁。",
        display: DisplayHints(title: "message", columns: columns), result: Message.self
    ) { (_, params: DeliverParams, context) -> JSONValue in
        let db = context.db
        guard
            let row = try db.queryOne(
                "SELECT \(Message.columns) FROM visitors_messages WHERE message = ?", [params.message])
        else {
            throw RPCError(
                .notFound, "no message \(params.message)", field: "message",
                details: ["message": .string(params.message)]
            ).localized("zh", "没有编号为 \(params.message) 的留言")
        }
        let message = Message(row: row)
        guard !message.delivered else {
            throw RPCError.invalidState(
                "message \(message.message) was handed to \(message.deliveredTo ?? "?") at \(message.deliveredAt ?? "?")",
                details: ["message": .string(message.message), "delivered": true]
            ).localized(
                "zh", "留言 \(message.message) 已于 \(message.deliveredAt ?? "?") 转交给 \(message.deliveredTo ?? "?")")
        }
        try db.execute(
            """
            UPDATE visitors_messages SET delivered = 1, delivered_at = ?, delivered_to = ?, delivered_by = ?
            WHERE id = ? AND delivered = 0
            """, [context.stamp.time, params.to, context.stamp.by, message.id])
        guard
            let stored = try db.queryOne("SELECT \(Message.columns) FROM visitors_messages WHERE id = ?", [message.id])
        else { throw RPCError.internalError("message \(message.id) vanished") }
        let reply = Message(row: stored).jsonValue()
        try context.emit(.messageDelivered, reply)
        return reply
    }
}

/// The params of `visitors.leaveMessage`.
struct LeaveMessageParams: MethodParams {
    @Param("The visit", zh: "访客登记编号", maxLength: 32, text: .code, positional: true) var visit: String
    @Param("What the visitor wants the host to know", zh: "留言内容", maxLength: 1000, text: .note) var message: String
}

/// The params of `visitors.messages`.
struct MessagesParams: MethodParams {
    @Param("The unit, in any spelling", zh: "房号，如 3-2-1201", maxLength: 64, format: .unit, positional: true) var unit:
        String
    @Param("Also the messages already handed over", zh: "也列出已转交的留言") var all: Bool?
}

/// The params of `visitors.deliverMessage`.
struct DeliverParams: MethodParams {
    @Param("The message", zh: "留言编号，如 M20261206-0001", maxLength: 32, text: .code, positional: true) var message: String
    @Param("Who it was handed to", zh: "转交给谁（住户姓名）", maxLength: 100) var to: String
}
