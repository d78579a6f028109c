/// Opaque paging cursors for list methods that page newest first by row id: `c1.` and the last
/// id of a page in base 36. Clients hand back `nextCursor` as they got it.
public enum ListCursor {
    /// The cursor that continues after the row `id`.
    public static func encode(_ id: Int64) -> String { "c1." + String(id, radix: 36) }

    /// The row id in a cursor this daemon gave out; a validation error on `cursor` otherwise.
    public static func decode(_ text: String) throws(RPCError) -> Int64 {
        guard text.hasPrefix("c1."), let id = Int64(text.dropFirst(3), radix: 36), id > 0 else {
            throw RPCError.validation(field: "cursor", "cursor is not a nextCursor this daemon gave out")
                .localized("zh", "cursor 不是本守护进程给出的“下一页”标记")
        }
        return id
    }
}
