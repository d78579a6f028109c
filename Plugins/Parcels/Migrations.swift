import ReceptionPluginSDK

/// The parcels tables and their indexes. Never edit a shipped migration: add a new one.
///
/// Every time is stored twice: as the ISO 8601 text sent on the wire (`*_at`) and as epoch
/// milliseconds (`*_ms`) for ordering and ranges. Identity documents are stored as their type
/// and last four characters only.
enum ParcelsMigrations {
    static let all = [
        Migration(
            "1-create-items",
            sql: """
                CREATE TABLE parcels_items (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('letter','periodical','registered','express','parcel')),
                    recipient TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    carrier TEXT,
                    tracking TEXT,
                    condition TEXT NOT NULL CHECK (condition IN ('intact','damaged')),
                    damage_note TEXT,
                    shelf TEXT,
                    note TEXT,
                    status TEXT NOT NULL CHECK (status IN ('held','notified','collected','returned')),
                    received_at TEXT NOT NULL,
                    received_ms INTEGER NOT NULL,
                    received_by TEXT,
                    notified_at TEXT,
                    notified_ms INTEGER,
                    notified_by TEXT,
                    notify_channel TEXT,
                    notify_count INTEGER NOT NULL DEFAULT 0,
                    reminded_at TEXT,
                    reminder_count INTEGER NOT NULL DEFAULT 0,
                    collected_at TEXT,
                    collected_ms INTEGER,
                    collected_by TEXT,
                    proxy INTEGER,
                    id_type TEXT,
                    id_last4 TEXT CHECK (id_last4 IS NULL OR length(id_last4) = 4),
                    handed_out_by TEXT,
                    returned_at TEXT,
                    returned_ms INTEGER,
                    return_reason TEXT,
                    returned_by TEXT,
                    notifier_error TEXT
                );
                -- A pickup code names one item among those still held; reused afterwards.
                CREATE UNIQUE INDEX parcels_items_code_held ON parcels_items (code)
                    WHERE status IN ('held','notified');
                -- parcels.get of a code whose item has left (collected, returned).
                CREATE INDEX parcels_items_code ON parcels_items (code, id);
                -- The same carrier + tracking number twice while held is a double scan.
                CREATE UNIQUE INDEX parcels_items_tracking_held ON parcels_items (ifnull(carrier, ''), tracking)
                    WHERE status IN ('held','notified') AND tracking IS NOT NULL;
                -- The hot path: parcels.pending by unit or by recipient, oldest first.
                CREATE INDEX parcels_items_unit_held ON parcels_items (unit, received_ms, id)
                    WHERE status IN ('held','notified');
                CREATE INDEX parcels_items_recipient_held ON parcels_items (recipient, received_ms, id)
                    WHERE status IN ('held','notified');
                -- parcels.overdue and the held counts.
                CREATE INDEX parcels_items_held_received ON parcels_items (received_ms)
                    WHERE status IN ('held','notified');
                -- parcels.list filters and parcels.stats ranges.
                CREATE INDEX parcels_items_status ON parcels_items (status, id);
                CREATE INDEX parcels_items_unit ON parcels_items (unit, id);
                CREATE INDEX parcels_items_recipient ON parcels_items (recipient, id);
                CREATE INDEX parcels_items_received ON parcels_items (received_ms);
                CREATE INDEX parcels_items_collected ON parcels_items (collected_ms) WHERE collected_ms IS NOT NULL;
                CREATE INDEX parcels_items_returned ON parcels_items (returned_ms) WHERE returned_ms IS NOT NULL;
                """),
        Migration(
            "2-create-history",
            sql: """
                -- Every notification and reminder, with what the notifier command did.
                CREATE TABLE parcels_notifications (
                    id INTEGER PRIMARY KEY,
                    item_id INTEGER NOT NULL REFERENCES parcels_items (id),
                    kind TEXT NOT NULL CHECK (kind IN ('notify','remind')),
                    channel TEXT,
                    notified_by TEXT,
                    at TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    notifier_status TEXT NOT NULL DEFAULT 'none'
                        CHECK (notifier_status IN ('none','pending','ok','failed')),
                    notifier_error TEXT
                );
                CREATE INDEX parcels_notifications_item ON parcels_notifications (item_id, id);
                -- parcels.amend: the value of each corrected field before and after.
                CREATE TABLE parcels_amendments (
                    id INTEGER PRIMARY KEY,
                    item_id INTEGER NOT NULL REFERENCES parcels_items (id),
                    field TEXT NOT NULL,
                    old_value TEXT,
                    new_value TEXT,
                    amended_by TEXT,
                    at TEXT NOT NULL,
                    at_ms INTEGER NOT NULL
                );
                CREATE INDEX parcels_amendments_item ON parcels_amendments (item_id, id);
                """),
        Migration(
            "3-portable-tracking-index",
            sql: """
                -- The double-scan index on coalesce() (the same in PostgreSQL) instead of SQLite's ifnull().
                DROP INDEX parcels_items_tracking_held;
                CREATE UNIQUE INDEX parcels_items_tracking_held ON parcels_items (coalesce(carrier, ''), tracking)
                    WHERE status IN ('held','notified') AND tracking IS NOT NULL;
                """),
        Migration(
            "4-unit-key",
            sql: """
                -- Units are matched by their canonical key (DeskText.unitKey: 3栋2单元1201, ３栋２单元１２０１
                -- and 3-2-1201 are all 3-2-1201); `unit` keeps what the desk typed, for display.
                -- Rows stored before this are keyed here, in SQL (exact for units typed in ASCII,
                -- CJK ideographs and full-width forms; see DeskText.unitKeyBackfillSQL).
                ALTER TABLE parcels_items ADD COLUMN unit_key TEXT;
                \(DeskText.unitKeyBackfillSQL(table: "parcels_items", source: "unit", key: "unit_key"))
                -- parcels.pending by unit, oldest first, and the parcels.list unit filter.
                CREATE INDEX parcels_items_unit_key_held ON parcels_items (unit_key, received_ms, id)
                    WHERE status IN ('held','notified');
                CREATE INDEX parcels_items_unit_key ON parcels_items (unit_key, id);
                -- The indexes on the typed unit served the lookups now made by key.
                DROP INDEX parcels_items_unit_held;
                DROP INDEX parcels_items_unit;
                """),
        Migration(
            "5-history-indexes",
            sql: """
                -- A receive writes a held item. Items at the desk are found by the held-only partial
                -- indexes, so the indexes over the whole history by code, unit and recipient hold
                -- only the items that have left: they are written when an item is collected or
                -- returned, never by a receive (random keys in trees of a million: about a third of
                -- a durable receive's storage floor; see the README's "The parcels schema").
                -- parcels.get of a code whose item has left.
                CREATE INDEX parcels_items_code_left ON parcels_items (code, id)
                    WHERE status IN ('collected','returned');
                -- parcels.list by unit and by recipient: the part that has left, newest first.
                CREATE INDEX parcels_items_unit_key_left ON parcels_items (unit_key, id)
                    WHERE status IN ('collected','returned');
                CREATE INDEX parcels_items_recipient_left ON parcels_items (recipient, id)
                    WHERE status IN ('collected','returned');
                DROP INDEX parcels_items_code;
                DROP INDEX parcels_items_unit_key;
                DROP INDEX parcels_items_recipient;
                """),
    ]
}
