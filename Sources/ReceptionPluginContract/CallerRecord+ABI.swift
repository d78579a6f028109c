import CReceptionABI

/// The caller as the ABI's fixed record (``rcp_caller``, ABI version 2): written by the daemon
/// for every call and read by the SDK, both through this one piece of code, as the JSON form was.
extension CallerRecord {
    /// Runs `body` with the record as an `rcp_caller`, filled on the stack; its text members
    /// point into this record's strings for the duration of `body` only. Absent text is `data`
    /// NULL; present but empty text has an address and length 0.
    public func withABIRecord<T>(_ body: (UnsafePointer<rcp_caller>) -> T) -> T {
        Self.withOptionalUTF8(requestId) { requestIDBytes in
            Self.withOptionalUTF8(workstation) { workstationBytes in
                Self.withOptionalUTF8(`operator`) { operatorBytes in
                    var record = rcp_caller(
                        size: UInt32(MemoryLayout<rcp_caller>.size), role: Self.abiRole(role), now_ms: nowMs,
                        uid: Int64(uid), gid: Int64(gid), pid: Int64(pid), request_id: requestIDBytes,
                        workstation: workstationBytes, operator_name: operatorBytes)
                    return withUnsafePointer(to: &record) { body($0) }
                }
            }
        }
    }

    /// Reads an `rcp_caller`; `nil` when the host's record is shorter than this build's.
    public init?(abi caller: UnsafePointer<rcp_caller>) {
        guard caller.pointee.size >= UInt32(MemoryLayout<rcp_caller>.size) else { return nil }
        let role: String
        switch caller.pointee.role {
        case RCP_ROLE_ADMIN: role = "admin"
        case RCP_ROLE_SYSTEM: role = "system"
        default: role = "operator"
        }
        self.init(
            uid: Int(caller.pointee.uid), gid: Int(caller.pointee.gid), pid: Int(caller.pointee.pid), role: role,
            workstation: Self.text(caller.pointee.workstation), operator: Self.text(caller.pointee.operator_name),
            requestId: Self.text(caller.pointee.request_id), nowMs: caller.pointee.now_ms)
    }

    /// The ABI's role constant for a role name (the daemon has only these three).
    static func abiRole(_ name: String) -> Int32 {
        switch name {
        case "admin": return RCP_ROLE_ADMIN
        case "system": return RCP_ROLE_SYSTEM
        default: return RCP_ROLE_OPERATOR
        }
    }

    /// `text`'s UTF-8 as ABI bytes for `body`; absent text is `data` NULL.
    private static func withOptionalUTF8<T>(_ text: String?, _ body: (rcp_bytes) -> T) -> T {
        guard var value = text else { return body(rcp_bytes(data: nil, len: 0)) }
        return value.withUTF8 { buffer in
            // An empty string still has an address here, so it reads as present.
            body(rcp_bytes(data: buffer.baseAddress ?? emptyText, len: buffer.count))
        }
    }

    /// Text that may be absent (`data` NULL).
    private static func text(_ bytes: rcp_bytes) -> String? {
        guard let data = bytes.data else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: bytes.len), as: UTF8.self)
    }
}

/// A non-NULL address for present but empty text.
nonisolated(unsafe) private let emptyText: UnsafePointer<UInt8> = {
    let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    memory.initialize(to: 0)
    return UnsafePointer(memory)
}()
