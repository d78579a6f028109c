import ReceptionPluginSDK

/// A tiny department used by the tests and as a template for real plugins: a notebook at the
/// front desk. It shows every part of the contract: config, migrations, read and write methods,
/// an admin-only method, events, and validation errors that name the field.
public struct ExamplePlugin: DepartmentPlugin {
    public static let name = "example"
    public static let version = "1.0.0"
    public static let summary = "A desk notebook: the template department plugin."
    public static let topics = ["example.noted", "example.purged"]

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
    let maxNoteLength: Int64
    /// Echoed by `example.echo`, from `[plugins.example] greeting`.
    let greeting: String

    public init(config: PluginConfig) throws(RPCError) {
        maxNoteLength = try config.int("max_note_length", default: 500, in: 1...100_000)
        greeting = try config.string("greeting", default: "hello")
    }

    public static let methods: [Method<ExamplePlugin>] = [
        .read(
            "example.echo", "Answers with the params it was given and the configured greeting.",
            params: .object(["type": "object"])
        ) { (plugin, params: JSONValue, context) in
            ["greeting": .string(plugin.greeting), "params": params, "role": .string(context.caller.role)] as JSONValue
        },
        .write(
            "example.note.add", "Writes a note in the desk notebook.",
            params: Schema.object(
                [
                    "text": Schema.string("What to note", maxLength: 100_000),
                    "idNumber": Schema.string("An identity number, to show redaction in the audit", maxLength: 32),
                ], required: ["text"]), redact: ["idNumber"]
        ) { (plugin, params: AddParams, context) in
            try plugin.add(params, context)
        },
        .read(
            "example.note.list", "Lists the notes, newest first.",
            params: Schema.object(["limit": Schema.integer("How many notes at most", minimum: 1, maximum: 1000)])
        ) { (_, params: ListParams, context) in
            let rows = try context.db.query(
                "SELECT id, text, author, created_at, stamped_at FROM example_notes ORDER BY id DESC LIMIT ?",
                [params.limit ?? 100])
            return ["notes": .array(rows.map(Note.init(row:)).map(\.json))] as JSONValue
        },
        .write(
            "example.note.purge", "Deletes every note (admins only).",
            params: Schema.object(), role: .admin
        ) { (_, _: NoParams, context) in
            try context.db.execute("DELETE FROM example_notes")
            let count = context.db.changes
            try context.emit("example.purged", ["count": .int(Int64(count))] as JSONValue)
            return ["purged": .int(Int64(count))] as JSONValue
        },
        .write(
            "example.note.stamp", "Background work: stamps a note after its commit (not callable over the socket).",
            params: Schema.object(["id": Schema.integer("The note", minimum: 1)], required: ["id"]), role: .system
        ) { (_, params: StampParams, context) in
            try context.db.execute(
                "UPDATE example_notes SET stamped_at = ? WHERE id = ?", [Timestamp.format(context.now), params.id])
            return ["stamped": .int(Int64(context.db.changes))] as JSONValue
        },
    ]

    /// After a note commits, stamp it through background work: shows how a plugin reacts to its
    /// own committed events without holding up the writer.
    public func committed(_ events: [CommittedEvent], background: BackgroundWork) {
        for event in events where event.topic == "example.noted" {
            if let id = event.data["id"]?.intValue { background.submit("example.note.stamp", ["id": .int(id)]) }
        }
    }

    struct StampParams: Decodable {
        let id: Int64
    }

    struct AddParams: Decodable {
        let text: String
        let idNumber: String?
    }

    struct ListParams: Decodable {
        let limit: Int?
    }

    func add(_ params: AddParams, _ context: WriteContext) throws -> JSONValue {
        let text = params.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw RPCError.validation(field: "text", "text must not be empty") }
        let length = text.unicodeScalars.count  // Unicode scalars, as the schema's maxLength counts
        guard length <= maxNoteLength else {
            throw RPCError.validation(
                field: "text", "text is \(length) Unicode scalars long; the limit is \(maxNoteLength)")
        }
        let author = context.caller.operator ?? "uid \(context.caller.uid)"
        let created = Timestamp.format(context.now)
        try context.db.execute(
            "INSERT INTO example_notes (text, author, created_at) VALUES (?, ?, ?)", [text, author, created])
        let note = Note(id: context.db.lastInsertRowID, text: text, author: author, createdAt: created)
        try context.emit("example.noted", note.json)
        return note.json
    }
}

/// One note as stored and as sent.
struct Note {
    let id: Int64
    let text: String
    let author: String?
    let createdAt: String
    let stampedAt: String?

    init(id: Int64, text: String, author: String?, createdAt: String, stampedAt: String? = nil) {
        self.id = id
        self.text = text
        self.author = author
        self.createdAt = createdAt
        self.stampedAt = stampedAt
    }

    init(row: Row) {
        self.init(
            id: row.int("id") ?? 0, text: row.string("text") ?? "", author: row.string("author"),
            createdAt: row.string("created_at") ?? "", stampedAt: row.string("stamped_at"))
    }

    var json: JSONValue {
        [
            "id": .int(id), "text": .string(text), "author": author.map { .string($0) } ?? .null,
            "createdAt": .string(createdAt), "stampedAt": stampedAt.map { .string($0) } ?? .null,
        ]
    }
}

/// The library's one exported symbol: the daemon looks it up with dlsym.
@_cdecl("receptiond_plugin_entry")
public func receptiondPluginEntry(_ host: UnsafeRawPointer?) -> UnsafeRawPointer? {
    PluginExport.entry(ExamplePlugin.self, host: host)
}
