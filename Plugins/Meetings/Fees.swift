import Foundation
import ReceptionPluginSDK

/// `meetings.settle`, `.invoice`, `.paid`, `.unpaid`: the fees after the meeting, and the
/// follow-up until the money arrives. Money is integer fen.
enum Fees {
    /// Most extras on one fee sheet.
    static let maxExtras = 50
    /// Largest amount of one line (1,000,000.00).
    static let maxAmount: Int64 = 100_000_000

    /// The columns of a settled booking.
    static let columns = ["booking", "room", "organiser", "contact", "endedAt", "invoice", "paidAt"]

    /// `meetings.settle`: the room hours from the actual times at the hourly fee, plus extras;
    /// the organiser's named contact signs.
    static let settleMethod: Method<MeetingsPlugin> = .write(
        "meetings.settle",
        "Settles an ended meeting: the room from its actual start to end at the hourly fee, plus extras; the organiser's contact signs.",
        zh: "会后结算：场地费按实际开始至结束时间乘以每小时收费，另加材料、茶歇、设备等费用；由预订单位联系人签字确认。",
        display: DisplayHints(title: "booking", columns: Bookings.columns, money: Money.booking), result: Booking.self
    ) { (plugin, params: SettleParams, context) -> JSONValue in
        let db = context.db
        let booking = try BookingLookup.inState(params.booking, [.ended], to: "settle", chinese: "结算", in: db)
        guard booking.feeText == nil else {
            throw RPCError.invalidState(
                "\(booking.booking) is settled already", details: booking.stateDetails
            ).localized("zh", "\(booking.booking) 已结算，不能重复结算")
        }
        guard params.signedBy == booking.contact else {
            throw RPCError(
                .validation,
                "the fee sheet is signed by the organiser's contact, \(booking.contact), not \(params.signedBy)",
                field: "signedBy", details: ["rule": "contact_signs", "contact": .string(booking.contact)]
            ).localized("zh", "结算单须由预订联系人 \(booking.contact) 签字，而不是 \(params.signedBy)")
        }
        let room = try RoomLookup.existing(booking.room, in: db)
        let startedMs = booking.startedMs ?? booking.startMs
        let endedMs = booking.endedMs ?? booking.endMs
        let line = Fees.roomLine(room: room, milliseconds: max(0, endedMs - startedMs))
        var lines: [JSONValue] = [line.json]
        var total = line.amount
        for extra in params.extras {
            lines.append([
                "item": .string(extra.item), "quantity": "1", "unitPrice": .int(extra.amount),
                "amount": .int(extra.amount),
            ])
            total += extra.amount
        }
        let fee: JSONValue = [
            "lines": .array(lines), "total": .int(total), "signedBy": .string(params.signedBy),
            "settledAt": .string(plugin.config.local.format(context.now)),
        ]
        try db.execute(
            "UPDATE meetings_bookings SET fee = ?, fee_total = ?, settled_ms = ? WHERE id = ?",
            [fee.serialized(), total, context.stamp.ms, booking.id])
        let stored = try BookingLookup.stored(id: booking.id, in: db)
        try context.emit(.settled, stored.wire())
        return stored.wire()
    }

    /// `meetings.invoice`: the invoice number issued for a settled meeting.
    static let invoiceMethod: Method<MeetingsPlugin> = .write(
        "meetings.invoice", "Records the invoice issued for a settled meeting.", zh: "登记已开具的发票号码。",
        display: DisplayHints(title: "booking", columns: columns, money: Money.booking), result: Booking.self
    ) { (plugin, params: InvoiceParams, context) -> JSONValue in
        let booking = try Fees.settled(params.booking, to: "invoice", chinese: "开票", in: context.db)
        guard booking.invoice == nil else {
            throw RPCError.invalidState(
                "\(booking.booking) is invoiced already (\(booking.invoice ?? ""))", details: booking.stateDetails
            ).localized("zh", "\(booking.booking) 已开票（\(booking.invoice ?? "")）")
        }
        try context.db.execute("UPDATE meetings_bookings SET invoice = ? WHERE id = ?", [params.invoice, booking.id])
        let stored = try BookingLookup.stored(id: booking.id, in: context.db)
        try context.emit(.invoiced, stored.wire())
        return stored.wire()
    }

    /// `meetings.paid`: the money has arrived.
    static let paidMethod: Method<MeetingsPlugin> = .write(
        "meetings.paid", "Records that a settled meeting's money has arrived.", zh: "登记会议费用已到账。",
        display: DisplayHints(title: "booking", columns: columns, money: Money.booking), result: Booking.self
    ) { (plugin, params: BookingParams, context) -> JSONValue in
        let booking = try Fees.settled(params.booking, to: "record payment of", chinese: "登记到账", in: context.db)
        guard booking.paidMs == nil else {
            throw RPCError.invalidState(
                "\(booking.booking) is paid already (\(booking.paidAt ?? ""))", details: booking.stateDetails
            ).localized("zh", "\(booking.booking) 已于 \(booking.paidAt ?? "") 到账")
        }
        try context.db.execute(
            "UPDATE meetings_bookings SET paid_at = ?, paid_ms = ? WHERE id = ?",
            [plugin.config.local.format(context.now), context.stamp.ms, booking.id])
        let stored = try BookingLookup.stored(id: booking.id, in: context.db)
        try context.emit(.paid, stored.wire())
        return stored.wire()
    }

    /// `meetings.unpaid`: settled meetings not yet paid, oldest first, each with `ageDays` (local
    /// days since settling): the follow-up list.
    static let unpaidMethod: Method<MeetingsPlugin> = .read(
        "meetings.unpaid", "Settled meetings not yet paid, oldest first, with their age in days: the follow-up list.",
        zh: "已结算未到账的会议，按时间先后排列并注明已过天数：催款跟进清单。",
        display: DisplayHints(
            title: "booking", list: "bookings",
            columns: ["booking", "organiser", "contact", "phone", "invoice", "feeTotal", "ageDays"],
            money: Money.booking),
        result: Booking.self
    ) { (plugin, _: NoParams, context) -> JSONValue in
        let local = plugin.config.local
        let today = local.day(of: context.now)
        let bookings = Booking.rows(
            try context.db.query(
                """
                SELECT \(Booking.columns) FROM meetings_bookings
                WHERE settled_ms IS NOT NULL AND paid_ms IS NULL ORDER BY settled_ms, id LIMIT 2000
                """))
        return [
            "bookings": .array(
                bookings.map { booking in
                    let settled = local.day(of: EpochMillis.date(booking.settledMs ?? 0))
                    return booking.wire([
                        "ageDays": .int(Int64(today.dayNumber - settled.dayNumber)),
                        "feeTotal": .int(booking.settledTotal ?? 0),
                    ])
                })
        ]
    }

    /// The booking, which must be settled.
    static func settled(_ id: String, to action: String, chinese: String, in db: SQLiteConnection) throws -> Booking {
        let booking = try BookingLookup.existing(id, in: db)
        guard booking.feeText != nil else {
            throw RPCError.invalidState(
                "cannot \(action) \(id): it is not settled (meetings.settle first)", details: booking.stateDetails
            ).localized("zh", "\(id) 无法\(chinese)：尚未结算，请先结算")
        }
        return booking
    }

    /// The room line: whole minutes used (a started minute counts), at the hourly fee, rounded up
    /// to the fen; quantity is the hours as a decimal (`2.5`).
    static func roomLine(room: Room, milliseconds: Int64) -> (json: JSONValue, amount: Int64) {
        let minutes = (milliseconds + 59_999) / 60_000
        let amount = (minutes * room.hourlyFee + 59) / 60
        let hundredths = (minutes * 100 + 59) / 60
        let whole = hundredths / 100
        let fraction = hundredths % 100
        let quantity =
            fraction == 0
            ? "\(whole)"
            : fraction % 10 == 0 ? "\(whole).\(fraction / 10)" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
        let json: JSONValue = [
            "item": .string("room \(room.room)"), "quantity": .string(quantity), "unitPrice": .int(room.hourlyFee),
            "amount": .int(amount),
        ]
        return (json, amount)
    }
}

/// One extra of a fee sheet.
struct ExtraParams: MethodParams {
    @Param("What: materials, catering, equipment, …", zh: "项目：材料、茶歇、设备……", maxLength: 100) var item: String
    @Param("Amount", zh: "金额", minimum: 1, maximum: Fees.maxAmount, format: .money) var amount: Int64
}

/// The params of `meetings.settle`.
struct SettleParams: MethodParams {
    @Param("The booking", zh: "预订编号", maxLength: 32, text: .code, positional: true) var booking: String
    @Param("Extras beyond the room", zh: "场地费以外的费用", maxItems: Fees.maxExtras) var extras: [ExtraParams]
    @Param("The organiser's contact who signs", zh: "签字确认的联系人", maxLength: 100) var signedBy: String
}

/// The params of `meetings.invoice`.
struct InvoiceParams: MethodParams {
    @Param("The booking", zh: "预订编号", maxLength: 32, text: .code, positional: true) var booking: String
    @Param("The invoice number", zh: "发票号码", maxLength: 64, text: .verbatim) var invoice: String
}
