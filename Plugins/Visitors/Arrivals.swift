import Foundation
import ReceptionPluginSDK

/// `visitors.register`, `visitors.contact`, `visitors.signOut`: a visit from the desk to the door
/// and out again.
enum Arrivals {
    /// The columns worth showing of one visit.
    static let columns = [
        "visit", "name", "hostUnit", "hostName", "party", "status", "arrivedAt", "leaveBy", "overstay",
    ]

    /// Most attempts to reach the host one visit records.
    static let maxAttempts = 20

    /// How `daemon.methods` suggests showing one visit: the list's columns, then how it was
    /// admitted, the document, the night when registered, then each attempt to reach the host as
    /// the desk says it (channel, result, by whom, when) rather than in alphabetical order.
    static let display = DisplayHints(
        title: "visit",
        columns: columns + [
            "admittedAt", "doorOpenedBy", "idType", "idLast4", "idSeen", "idCopied", "nights", "nightOf", "nightUntil",
            "nightIdType", "nightIdLast4", "hostSigned", "channel", "result", "by", "at",
        ])

    /// `visitors.register`: the desk has seen (and copied) the visitor's document.
    static let registerMethod: Method<VisitorsPlugin> = .write(
        "visitors.register",
        "Registers a visitor at the desk after checking the identity document (only its type and last four characters are kept); the visit waits for the host's consent.",
        zh: "访客登记：查验并复印证件（只保留证件类型和号码后四位），登记被访住户；登记后等候住户同意。",
        display: display, result: Visit.self
    ) { (plugin, params: RegisterParams, context) -> JSONValue in
        let db = context.db
        let document = params.document
        _ = try plugin.config.document(document.type)
        let unitKey = try DeskText.requiredUnitKey(params.hostUnit, field: "hostUnit")
        let announcement = try params.expected.map { expected in
            try Announcements.matching(
                expected, name: params.name, unitKey: unitKey, document: document, nowMs: context.stamp.ms, in: db)
        }
        let clock = LocalTime(zone: context.timeZone)
        let leaveBy = Curfew.leaveBy(arrival: context.now, curfew: plugin.config.curfew, clock: clock)
        var visit = Visit()
        visit.visit = try Numbers.next("V", on: clock.day(of: context.now), in: db)
        visit.name = params.name
        visit.idType = document.type
        visit.idLast4 = document.last4
        visit.idSeen = true
        visit.idCopied = params.idCopied ?? true
        visit.hostUnit = params.hostUnit
        visit.hostUnitKey = unitKey
        visit.hostName = params.hostName
        visit.purpose = params.purpose
        visit.party = params.party ?? 1
        visit.plate = params.plate
        visit.expected = announcement?.expected
        visit.status = VisitStatus.waiting.rawValue
        visit.arrivedAt = context.stamp.time
        visit.arrivedMs = context.stamp.ms
        visit.leaveBy = clock.format(leaveBy)
        visit.leaveByMs = EpochMillis.of(leaveBy)
        visit.overstay = false
        visit.registeredBy = context.stamp.by
        visit.id = try visit.insert(into: db)
        if let announcement {
            try db.execute(
                "UPDATE visitors_expected SET status = 'arrived', visit = ? WHERE id = ? AND status = 'open'",
                [visit.visit, announcement.id])
        }
        let reply = try VisitLookup.wire(visit, nowMs: context.stamp.ms, in: db)
        try context.emit(.registered, reply)
        context.log.info(
            "visit \(visit.visit): \(params.name) (\(document.masked)) for \(params.hostName), \(params.hostUnit)")
        return reply
    }

    /// `visitors.contact`: one attempt to reach the host, and what the host said.
    static let contactMethod: Method<VisitorsPlugin> = .write(
        "visitors.contact",
        "Records an attempt to reach the host (intercom, flat phone, other phone) and its result; accepted admits the visitor, refused ends the visit.",
        zh: "登记联系住户的一次尝试（楼宇对讲、住户座机、其他电话）及结果：同意则放行，拒绝则结束来访。",
        display: display, result: Visit.self
    ) { (plugin, params: ContactParams, context) -> JSONValue in
        let db = context.db
        let visit = try VisitLookup.inState(
            params.visit, [.waiting], to: "contact the host of", chinese: "联系住户", in: db)
        if params.result == .accepted, let expected = visit.expected {
            let announcement = try Announcements.existing(expected, in: db)
            if !announcement.homeDuringVisit {
                guard params.channel == .otherPhone else {
                    throw RPCError(
                        .validation,
                        "\(visit.hostName) said nobody would be home (announcement \(expected)): confirm with the host by phone (channel other_phone)",
                        field: "channel",
                        details: ["rule": "host_phone_confirmation_required", "expected": .string(expected)]
                    ).localized("zh", "住户\(visit.hostName)预约时说明家中无人（\(expected)）：须电话联系住户本人确认（other_phone）")
                }
                guard params.doorOpenedBy == .deskOpened else {
                    throw RPCError(
                        .validation,
                        "nobody is home at \(visit.hostUnit): only the desk can open the door (desk_opened)",
                        field: "doorOpenedBy", details: ["rule": "nobody_home"]
                    ).localized("zh", "\(visit.hostUnit) 家中无人，只能由前台开门（desk_opened）")
                }
            }
        }
        let attempts = try VisitLookup.contacts(of: visit, in: db).count
        guard attempts < maxAttempts else {
            throw RPCError(
                .limit,
                "visit \(visit.visit) has \(maxAttempts) attempts to reach the host already: leave a message or sign out",
                field: "visit", details: ["maximum": .int(Int64(maxAttempts))]
            ).localized("zh", "\(visit.visit) 已联系住户 \(maxAttempts) 次：请留言或登记离开")
        }
        var contact = Contact()
        contact.visitId = visit.id
        contact.channel = params.channel.rawValue
        contact.result = params.result.rawValue
        contact.by = context.stamp.by
        contact.at = context.stamp.time
        contact.contactedMs = context.stamp.ms
        contact.id = try contact.insert(into: db)
        switch params.result {
        case .accepted:
            try db.execute(
                """
                UPDATE visitors_visits SET status = 'on_site', door_opened_by = ?, admitted_at = ?, admitted_ms = ?
                WHERE id = ?
                """, [params.doorOpenedBy?.rawValue, context.stamp.time, context.stamp.ms, visit.id])
        case .refused:
            try db.execute("UPDATE visitors_visits SET status = 'refused' WHERE id = ?", [visit.id])
        case .noAnswer:
            break
        }
        let reply = try VisitLookup.wire(try VisitLookup.stored(id: visit.id, in: db), nowMs: context.stamp.ms, in: db)
        switch params.result {
        case .accepted: try context.emit(.admitted, reply)
        case .refused: try context.emit(.refused, reply)
        case .noAnswer: try context.emit(.noAnswer, ["visit": reply, "channel": .string(params.channel.rawValue)])
        }
        return reply
    }

    /// `visitors.signOut`: the visitor leaves. A visitor still waiting may go too, once the desk
    /// has tried the host as `visitors.leaveMessage` requires.
    static let signOutMethod: Method<VisitorsPlugin> = .write(
        "visitors.signOut",
        "Records that a visitor has left (a waiting visitor only after the host was tried by intercom and phone).",
        zh: "登记访客离开（尚在等候的访客须先经楼宇对讲和电话联系住户）。",
        display: display, result: Visit.self
    ) { (plugin, params: VisitParams, context) -> JSONValue in
        try signOut(params.visit, context: context)
    }

    /// Signs `visit` out (also the end of a spare-key entry's lock-up); the visit on the wire.
    static func signOut(_ id: String, context: VisitorsWrite) throws -> JSONValue {
        let db = context.db
        let visit = try VisitLookup.inState(
            id, [.waiting, .onSite, .overnight], to: "sign out", chinese: "登记离开", in: db)
        if visit.state == .waiting {
            try GivingUp.check(
                visit, contacts: try VisitLookup.contacts(of: visit, in: db), action: "sign out", chinese: "登记离开")
        }
        try db.execute(
            """
            UPDATE visitors_visits SET status = 'signed_out', signed_out_at = ?, signed_out_ms = ?, signed_out_by = ?
            WHERE id = ?
            """, [context.stamp.time, context.stamp.ms, context.stamp.by, visit.id])
        let reply = try VisitLookup.wire(try VisitLookup.stored(id: visit.id, in: db), nowMs: context.stamp.ms, in: db)
        try context.emit(.signedOut, reply)
        return reply
    }
}

/// The params of `visitors.register`.
struct RegisterParams: MethodParams {
    @Param("The visitor's name", zh: "访客姓名", maxLength: 100) var name: String
    @Param(
        "Identity document type: passport, id_card, home_return_permit, taiwan_permit, residence_permit, driving_licence",
        zh: "证件类型：护照、身份证、回乡证、台胞证、居住证、驾驶证", maxLength: 32)
    var idType: String
    @Param(
        "The document's number (only its last four characters are kept)", zh: "证件号码（只保留后四位）", maxLength: 32,
        text: .code, private: true)
    var idNumber: String
    @Param("Whether the desk copied the document (default true)", zh: "是否已复印证件（默认是）") var idCopied: Bool?
    @Param("The unit visited", zh: "被访房号，如 3-2-1201", maxLength: 64, format: .unit) var hostUnit: String
    @Param("The resident visited", zh: "被访住户姓名", maxLength: 100) var hostName: String
    @Param("What for", zh: "来访事由", maxLength: 200) var purpose: String?
    @Param("How many people come (default 1)", zh: "来访人数（默认 1）", minimum: 1, maximum: 50) var party: Int64?
    @Param("The vehicle's plate", zh: "车牌号", maxLength: 16, text: .code) var plate: String?
    @Param("The announcement it matches (E20261206-0001)", zh: "对应的住户预约编号", maxLength: 32, text: .code)
    var expected: String?

    func validate() throws(RPCError) {
        try IdentityDocument.check(number: idNumber)
        _ = try DeskText.requiredUnitKey(hostUnit, field: "hostUnit")
    }

    /// The visitor's document.
    var document: IdentityDocument { IdentityDocument(type: idType, number: idNumber) }
}

/// The params of `visitors.contact`.
struct ContactParams: MethodParams {
    @Param("The visit", zh: "访客登记编号，如 V20261206-0001", maxLength: 32, text: .code, positional: true) var visit: String
    @Param("intercom, flat_phone or other_phone", zh: "联系方式：楼宇对讲、住户座机、其他电话") var channel: ContactChannel
    @Param("accepted, refused or no_answer", zh: "结果：同意、拒绝、无人应答") var result: ContactResult
    @Param("accepted: host_opened or desk_opened", zh: "同意时：住户开门或前台开门") var doorOpenedBy: DoorOpener?

    func validate() throws(RPCError) {
        if result == .accepted, doorOpenedBy == nil {
            throw RPCError(
                .validation, "an accepted visit says who opened the door: host_opened or desk_opened",
                field: "doorOpenedBy", details: ["rule": "door_opener_required"]
            ).localized("zh", "住户同意后须登记由谁开门：住户开门或前台开门")
        }
        if result != .accepted, doorOpenedBy != nil {
            throw RPCError(
                .validation, "doorOpenedBy goes only with result accepted", field: "doorOpenedBy",
                details: ["rule": "door_only_when_accepted"]
            ).localized("zh", "只有住户同意时才登记开门方式")
        }
    }
}

/// The params naming one visit.
struct VisitParams: MethodParams {
    @Param("The visit", zh: "访客登记编号，如 V20261206-0001", maxLength: 32, text: .code, positional: true) var visit: String
}
