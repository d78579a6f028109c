import ReceptionProtocol

/// The caller object the daemon hands a plugin with every call: who is calling and when.
///
/// ```json
/// {"gid":1000,"now":1764985493215,"operator":"li.na","pid":4242,"requestId":"r-17","role":"operator",
///  "uid":1000,"workstation":"desk-2"}
/// ```
///
/// `now` is the call's time in milliseconds since 1970: one clock reading for the whole call, so
/// every time a call stamps is the same. `role` is `admin`, `operator`, or `system` for the
/// plugin's own background work.
public struct CallerRecord: Sendable, Equatable {
    /// The peer's user id (SO_PEERCRED).
    public var uid: Int
    /// The peer's group id.
    public var gid: Int
    /// The peer's process id.
    public var pid: Int
    /// `admin`, `operator` or `system`.
    public var role: String
    /// The counter workstation, when the client said `daemon.hello`.
    public var workstation: String?
    /// The person at the counter, when the client said `daemon.hello`.
    public var `operator`: String?
    /// The request's id as the daemon logs it.
    public var requestId: String?
    /// The call's time, milliseconds since 1970.
    public var nowMs: Int64

    /// Creates a caller record.
    public init(
        uid: Int, gid: Int, pid: Int, role: String, workstation: String? = nil, operator: String? = nil,
        requestId: String? = nil, nowMs: Int64
    ) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.role = role
        self.workstation = workstation
        self.operator = `operator`
        self.requestId = requestId
        self.nowMs = nowMs
    }

    /// The record as JSON text, members in sorted order. Written by hand: it runs for every call.
    public var json: String {
        var out = "{\"gid\":\(gid),\"now\":\(nowMs),\"operator\":"
        out.reserveCapacity(176)
        if let `operator` { JSONValue.writeString(`operator`, to: &out) } else { out += "null" }
        out += ",\"pid\":\(pid),\"requestId\":"
        if let requestId { JSONValue.writeString(requestId, to: &out) } else { out += "null" }
        out += ",\"role\":"
        JSONValue.writeString(role, to: &out)
        out += ",\"uid\":\(uid),\"workstation\":"
        if let workstation { JSONValue.writeString(workstation, to: &out) } else { out += "null" }
        out += "}"
        return out
    }

    /// Reads a caller record; `nil` when a required member is missing or of the wrong type.
    /// A record without `now` (an older host) reads as `fallbackNowMs`.
    public init?(json bytes: [UInt8], fallbackNowMs: @autoclosure () -> Int64) {
        guard let object = try? JSONValue.parse(bytes), case .object = object,
            let uid = object["uid"]?.intValue, let gid = object["gid"]?.intValue, let pid = object["pid"]?.intValue,
            let role = object["role"]?.stringValue
        else { return nil }
        self.init(
            uid: Int(uid), gid: Int(gid), pid: Int(pid), role: role, workstation: object["workstation"]?.stringValue,
            operator: object["operator"]?.stringValue, requestId: object["requestId"]?.stringValue,
            nowMs: object["now"]?.intValue ?? fallbackNowMs())
    }
}
