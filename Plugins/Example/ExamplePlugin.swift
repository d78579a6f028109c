import ReceptionPluginSDK

/// The template department: a notebook at the front desk, and the shortest complete plugin.
///
/// It shows every part of the contract: config, migrations, a record declared once, params
/// declared once, read and write methods, an admin-only method, typed events, a system method
/// run by background work after a commit, and a private field kept out of the audit log.
/// `Tests/ExamplePluginTests` tests it in-process with `ReceptionPluginTesting`.
public struct ExamplePlugin: DepartmentPlugin {
    public static let name = "example"
    public static let version = "1.0.0"
    public static let summary = "A desk notebook: the template department plugin."
    /// 前台记事本.
    public static let title: Words? = Words("Desk notebook", "前台记事本")
    /// ``summary`` in Chinese.
    public static let chineseSummary: String? = "前台记事本：部门插件的样板。"

    /// Every member of the notebook's params and replies, by name: what a client titles its
    /// columns and fields with, in English and Chinese.
    public static let glossary: [String: Words] = [
        "id": Words("No.", "编号"),
        "text": Words("Note", "内容"),
        "author": Words("Written by", "记录人"),
        "createdAt": Words("Written at", "记录时间"),
        "stampedAt": Words("Stamped at", "盖章时间"),
        "idNumber": Words("ID number", "证件号码"),
        "limit": Words("At most", "最多条数"),
        "notes": Words("Notes", "记事"),
        "greeting": Words("Greeting", "问候语"),
        "params": Words("Params", "参数"),
        "role": Words("Role", "角色"),
        "purged": Words("Deleted", "已删除条数"),
        "count": Words("Count", "条数"),
        "stamped": Words("Stamped", "已盖章条数"),
        "note": Words("Note No.", "便条编号"),
        "method": Words("Method", "方法"),
        "keepNote": Words("Keep the note", "保留便条"),
        "reply": Words("Reply", "回复"),
        "error": Words("Error", "错误"),
        "caller": Words("Caller", "调用者"),
        "uid": Words("User id", "用户号"),
        "gid": Words("Group id", "组号"),
        "pid": Words("Process id", "进程号"),
        "workstation": Words("Workstation", "工位"),
        "operator": Words("Clerk", "值班员"),
        "requestId": Words("Request id", "请求编号"),
        "now": Words("Time of the call (ms)", "调用时间（毫秒）"),
    ]

    /// The events: an emit with any other topic does not compile.
    public enum Topic: String, EventTopic {
        case noted = "example.noted"
        case purged = "example.purged"

        /// What `receptionctl watch` prints for each event.
        public var line: EventLine {
            switch self {
            case .noted: EventLine("note {id}[ by {author}]: {text}", zh: "便条 {id}[（{author}）]：{text}")
            case .purged: EventLine("{count} notes purged[ by {operator}]", zh: "清除了 {count} 条便条[，经办 {operator}]")
            }
        }
    }

    public static let migrations = [
        Migration(
            "1-create-notes",
            sql: """
                CREATE TABLE example_notes (
                    id INTEGER PRIMARY KEY,
                    text TEXT NOT NULL,
                    author TEXT,
                    created_at TEXT NOT NULL
                );
                """),
        Migration("2-add-stamped-at", sql: "ALTER TABLE example_notes ADD COLUMN stamped_at TEXT;"),
    ]

    /// Longest note accepted, from `[plugins.example] max_note_length`.
    let maxNoteLength: Int
    /// Echoed by `example.echo`, from `[plugins.example] greeting`.
    let greeting: String

    public init(config: PluginConfig) throws(RPCError) {
        maxNoteLength = Int(try config.int("max_note_length", default: 500, in: 1...100_000))
        greeting = try config.string("greeting", default: "hello")
    }

    public static let methods: [Method<ExamplePlugin>] = [
        .read(
            "example.echo", "Answers with the params it was given, the configured greeting and who called when.",
            zh: "原样返回收到的参数、配置的问候语和调用者（用来试连接）。"
        ) {
            (plugin, params: JSONValue, context) in
            let caller = context.caller
            let who: JSONValue = [
                "uid": .int(Int64(caller.uid)), "gid": .int(Int64(caller.gid)), "pid": .int(Int64(caller.pid)),
                "role": .string(caller.role), "workstation": caller.workstation.map { .string($0) } ?? .null,
                "operator": caller.operator.map { .string($0) } ?? .null,
                "requestId": caller.requestId.map { .string($0) } ?? .null, "now": .int(context.nowMs),
            ]
            return [
                "greeting": .string(plugin.greeting), "params": params, "role": .string(caller.role), "caller": who,
            ] as JSONValue
        },
        .write(
            "example.note.add", "Writes a note in the desk notebook.", zh: "在前台记事本上记一笔。",
            display: DisplayHints(title: "id"),
            result: Note.self
        ) { (plugin, params: AddParams, context) in
            guard params.text.unicodeScalars.count <= plugin.maxNoteLength else {
                throw RPCError.validation(
                    field: "text",
                    "text is \(params.text.unicodeScalars.count) Unicode scalars long; the limit is \(plugin.maxNoteLength)"
                ).localized("zh", "内容有 \(params.text.unicodeScalars.count) 个字符，最多 \(plugin.maxNoteLength) 个")
            }
            var note = Note()
            note.text = params.text
            note.author = context.stamp.by
            note.createdAt = context.stamp.time
            note.id = try note.insert(into: context.db)
            try context.emit(.noted, note)
            return note
        },
        .write(
            "example.note.relay",
            "Writes a note, then calls another department's method inside the same change (a call between departments): both commit or neither. With keepNote, a failed call is answered in the reply and the note stays.",
            zh: "记一笔，再在同一次修改里调用另一个部门的方法（部门之间的调用）：要么都保存，要么都不保存。带 keepNote 时，调用失败写在回复里，便条照样保存。",
            display: DisplayHints(title: "note")
        ) { (plugin, params: RelayParams, context) in
            var note = Note()
            note.text = params.text
            note.author = context.stamp.by
            note.createdAt = context.stamp.time
            note.id = try note.insert(into: context.db)
            try context.emit(.noted, note)
            do {
                let reply = try context.call(params.method, params.params ?? .object([:]))
                return ["note": .int(note.id), "reply": reply] as JSONValue
            } catch let error as RPCError where params.keepNote == true {
                return ["note": .int(note.id), "error": error.jsonValue] as JSONValue
            }
        },
        .read(
            "example.note.list", "Lists the notes, newest first.", zh: "查看记事本，最新的在前。",
            display: DisplayHints(list: "notes", columns: ["id", "createdAt", "author", "text"]), result: Note.self
        ) { (_, params: ListParams, context) in
            let notes = Note.rows(
                try context.db.query(
                    "SELECT \(Note.columns) FROM example_notes ORDER BY id DESC LIMIT ?", [params.limit ?? 100]))
            return ["notes": .array(notes.map { $0.jsonValue() })] as JSONValue
        },
        .write("example.note.purge", "Deletes every note (admins only).", zh: "清空记事本（仅管理员）。", role: .admin) {
            (_, _: NoParams, context) in
            try context.db.execute("DELETE FROM example_notes")
            let count = Int64(context.db.changes)
            try context.emit(.purged, ["count": .int(count)] as JSONValue)
            return ["purged": .int(count)] as JSONValue
        },
        .write(
            "example.note.stamp", "Background work: stamps a note after its commit (not callable over the socket).",
            zh: "后台任务：记下一笔后给它盖时间章（不能从连接调用）。",
            role: .system
        ) { (_, params: StampParams, context) in
            try context.db.execute(
                "UPDATE example_notes SET stamped_at = ? WHERE id = ?", [context.stamp.time, params.id])
            return ["stamped": .int(Int64(context.db.changes))] as JSONValue
        },
    ]

    /// After a note commits, stamp it through background work: how a plugin reacts to its own
    /// committed events without holding up the writer.
    public func committed(_ events: [CommittedEvent], background: BackgroundWork) {
        for event in events where event.topic == Topic.noted.rawValue {
            if let id = event.data["id"]?.intValue { background.submit("example.note.stamp", ["id": .int(id)]) }
        }
    }
}

/// One note, as stored and as sent.
struct Note: Record {
    static let table = "example_notes"
    @Column var id: Int64
    @Column("What was noted") var text: String
    @Column("Who noted it") var author: String?
    @Column("When", format: .dateTime) var createdAt: String
    @Column("When background work stamped it", format: .dateTime) var stampedAt: String?
}

/// The params of `example.note.add`.
struct AddParams: MethodParams {
    @Param("What to note", maxLength: 100_000, text: .note) var text: String
    @Param(
        "An identity number, to show redaction in the audit", zh: "证件号码（演示审计记录里只留后四位）", maxLength: 32,
        private: true) var idNumber: String?
}

/// The params of `example.note.relay`.
struct RelayParams: MethodParams {
    @Param("What to note", zh: "要记的内容", maxLength: 100_000, text: .note) var text: String
    @Param("The method to call, e.g. parcels.receive", zh: "要调用的方法，如 parcels.receive", maxLength: 100)
    var method: String
    @Param("Its params", zh: "它的参数") var params: JSONValue?
    @Param("Keep the note when the call fails", zh: "调用失败时仍保存便条") var keepNote: Bool?
}

/// The params of `example.note.list`.
struct ListParams: MethodParams {
    @Param("How many notes at most", minimum: 1, maximum: 1000) var limit: Int?
}

/// The params of `example.note.stamp`.
struct StampParams: MethodParams {
    @Param("The note", minimum: 1) var id: Int64
}
