import ReceptionPluginSDK

/// How the desk tried to reach the host.
enum ContactChannel: String, ParamChoice {
    /// The door intercom, with the visitor beside it.
    case intercom
    /// The flat's phone.
    case flatPhone = "flat_phone"
    /// Another number: from the resident's file, or one the visitor gives.
    case otherPhone = "other_phone"

    /// The Chinese label.
    var label: String {
        switch self {
        case .intercom: "楼宇对讲"
        case .flatPhone: "住户座机"
        case .otherPhone: "其他电话"
        }
    }

    /// Whether it is a phone call (what an intercom `no_answer` needs before the desk gives up).
    var isPhone: Bool { self != .intercom }
}

/// What the host said.
enum ContactResult: String, ParamChoice {
    case accepted, refused
    case noAnswer = "no_answer"

    /// The Chinese label.
    var label: String {
        switch self {
        case .accepted: "同意来访"
        case .refused: "拒绝来访"
        case .noAnswer: "无人应答"
        }
    }
}

/// Who opened the door for a visitor the host agreed to.
enum DoorOpener: String, ParamChoice {
    /// The resident, from home.
    case hostOpened = "host_opened"
    /// The desk, once the resident agreed.
    case deskOpened = "desk_opened"

    /// The Chinese label.
    var label: String {
        switch self {
        case .hostOpened: "住户开门"
        case .deskOpened: "前台开门"
        }
    }

    /// `doorOpenedBy` of a spare-key entry: staff opened with the security office's key.
    static let staffEscorted = "staff_escorted"
}

/// When the desk may give up on reaching the host (`visitors.leaveMessage`, or signing out a
/// visitor still waiting): it has tried, and an intercom that got no answer was followed by a
/// phone call.
enum GivingUp {
    /// Refuses giving up on `visit` unless its `contacts` allow it: `contact_attempt_required`
    /// with none, `phone_attempt_required` when the last intercom `no_answer` had no phone
    /// attempt after it.
    static func check(_ visit: Visit, contacts: [Contact], action: String, chinese: String) throws(RPCError) {
        guard !contacts.isEmpty else {
            throw RPCError(
                .validation,
                "cannot \(action) \(visit.visit): nobody has tried to reach \(visit.hostName) yet (intercom first, then the flat's phone)",
                field: "visit", details: ["rule": "contact_attempt_required", "visit": .string(visit.visit)]
            ).localized("zh", "\(visit.visit) 无法\(chinese)：还没有联系过住户\(visit.hostName)（先打楼宇对讲，再打住户电话）")
        }
        guard
            let lastIntercom = contacts.lastIndex(where: {
                $0.channel == ContactChannel.intercom.rawValue && $0.result == ContactResult.noAnswer.rawValue
            })
        else { return }
        let phoned = contacts[(lastIntercom + 1)...].contains {
            ContactChannel(rawValue: $0.channel)?.isPhone ?? false
        }
        guard phoned else {
            throw RPCError(
                .validation,
                "cannot \(action) \(visit.visit): the intercom got no answer at \(contacts[lastIntercom].at); phone the flat (flat_phone) before giving up",
                field: "visit",
                details: [
                    "rule": "phone_attempt_required", "visit": .string(visit.visit),
                    "intercomAt": .string(contacts[lastIntercom].at),
                ]
            ).localized("zh", "\(visit.visit) 无法\(chinese)：楼宇对讲无人应答，请先打住户电话，仍联系不上才可放弃")
        }
    }
}
