import ReceptionPluginSDK

/// The desk's tables: one per book, and the numbers of the day.
enum DeskMigrations {
    /// Every migration, in order.
    static let all = [
        Migration(
            "1-create-books",
            sql: """
                CREATE TABLE desk_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

                -- 交接班记录表: one row per handover; the snapshot is the JSON the other departments gave.
                CREATE TABLE desk_handovers (
                    id INTEGER PRIMARY KEY,
                    handover TEXT NOT NULL UNIQUE,
                    outgoing TEXT NOT NULL,
                    incoming TEXT NOT NULL,
                    notes TEXT,
                    snapshot TEXT NOT NULL,
                    handed_at TEXT NOT NULL,
                    handed_ms INTEGER NOT NULL,
                    recorded_by TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open','acknowledged')),
                    acked_at TEXT,
                    acked_by TEXT
                );
                CREATE INDEX desk_handovers_handed ON desk_handovers (handed_ms);

                -- 失物招领登记表.
                CREATE TABLE desk_found (
                    id INTEGER PRIMARY KEY,
                    found TEXT NOT NULL UNIQUE,
                    item TEXT NOT NULL,
                    description TEXT,
                    found_where TEXT NOT NULL,
                    found_at TEXT NOT NULL,
                    found_ms INTEGER NOT NULL,
                    found_by TEXT NOT NULL,
                    stored_where TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('held','claimed')),
                    claimant TEXT,
                    claimant_id_type TEXT,
                    claimant_id_last4 TEXT,
                    handed_by TEXT,
                    claimed_at TEXT
                );
                CREATE INDEX desk_found_status ON desk_found (status, id);

                -- 重大(突发)事件处理记录表.
                CREATE TABLE desk_incidents (
                    id INTEGER PRIMARY KEY,
                    incident TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL CHECK (kind IN ('security','equipment','official_visit','other')),
                    what TEXT NOT NULL,
                    place TEXT NOT NULL,
                    happened_at TEXT NOT NULL,
                    happened_ms INTEGER NOT NULL,
                    informed TEXT NOT NULL,
                    actions TEXT NOT NULL,
                    follow_up TEXT,
                    recorded_at TEXT NOT NULL,
                    recorded_by TEXT NOT NULL
                );
                CREATE INDEX desk_incidents_happened ON desk_incidents (happened_ms);
                """)
    ]
}
