import ReceptionProtocol

/// The checks every call passes before a method runs, in the daemon and in the testing kit
/// alike: the caller's role, then the params against the method's schema.
public enum CallAdmission {
    /// Why `descriptor` may not run with `params` for a caller of `role` (uid `uid`); `nil` when
    /// it may. `adminGroup` names the configured admin group in the `forbidden` message.
    public static func refusal(
        _ descriptor: MethodDescriptor, params: JSONValue, role: String, uid: Int, adminGroup: String?
    ) -> RPCError? {
        if !descriptor.role.admits(role) {
            if descriptor.role == .system { return .methodNotFound(descriptor.name) }
            return RPCError(
                .forbidden,
                "\(descriptor.name) is for admins (root or the \(adminGroup ?? "admin") group); this connection (uid \(uid)) is an operator",
                details: ["role": .string(role), "required": "admin"])
        }
        guard case .object = params else {
            return .invalidParams(field: nil, "params must be an object of named members")
        }
        do {
            try ParamsValidator.validate(params, against: descriptor.params)
        } catch {
            return error
        }
        return nil
    }
}
