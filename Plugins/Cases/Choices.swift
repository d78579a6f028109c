import ReceptionPluginSDK

/// How the resident reached the desk.
enum Channel: String, ParamChoice {
    case visit, phone, email, letter, other

    /// The Chinese label.
    var label: String {
        switch self {
        case .visit: return "来访"
        case .phone: return "来电"
        case .email: return "邮件"
        case .letter: return "来信"
        case .other: return "其它"
        }
    }
}

/// How fast the case must be handled; `emergency` is announced at once (`cases.emergency`).
enum Urgency: String, ParamChoice {
    case normal, urgent, emergency

    /// The Chinese label.
    var label: String {
        switch self {
        case .normal: return "一般"
        case .urgent: return "紧急"
        case .emergency: return "突发"
        }
    }
}

/// What the resident said on the callback (回访).
enum Satisfaction: String, ParamChoice {
    case verySatisfied = "very_satisfied"
    case satisfied, neutral, dissatisfied

    /// The Chinese label.
    var label: String {
        switch self {
        case .verySatisfied: return "非常满意"
        case .satisfied: return "满意"
        case .neutral: return "一般"
        case .dissatisfied: return "不满意"
        }
    }

    /// The English label.
    var englishLabel: String { self == .verySatisfied ? "very satisfied" : rawValue }
}

/// Where a case is in its life: `open` → `dispatched` (a work order went out) → `closed`;
/// a dissatisfied callback makes it `reopened`, from where it is dispatched or closed again.
enum CaseStatus: String, ParamChoice {
    case open, dispatched, closed, reopened

    /// The Chinese label.
    var label: String {
        switch self {
        case .open: return "待处理"
        case .dispatched: return "已派工"
        case .closed: return "已结案"
        case .reopened: return "已重开"
        }
    }
}

/// Where a work order (派工单) is: `sent` → `acknowledged` (the receiver signed) → `done`;
/// `reopened` sends a done order out again.
enum OrderStatus: String, ParamChoice {
    case sent, acknowledged, done, reopened

    /// The Chinese label.
    var label: String {
        switch self {
        case .sent: return "已派出"
        case .acknowledged: return "已签收"
        case .done: return "已完成"
        case .reopened: return "已返工"
        }
    }

    /// Whether the order is still to be done.
    var isOpen: Bool { self != .done }
}

/// Whether a case's callback is still to make.
enum CallbackStatus: String, ParamChoice {
    case pending, done

    /// The Chinese label.
    var label: String { self == .pending ? "待回访" : "已回访" }
}
