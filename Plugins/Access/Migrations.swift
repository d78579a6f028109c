import ReceptionPluginSDK

/// The access tables and their indexes. Never edit a shipped migration: add a new one.
///
/// Every time is stored twice: as the ISO 8601 text sent on the wire (`*_at`) and as epoch
/// milliseconds (`*_ms`) for ordering and ranges. Dates (`valid_until`, `lease_end`, the ledger's
/// `date`) are `YYYY-MM-DD` text, which sorts in date order. Money is integer minor units.
enum AccessMigrations {
    static let all = [
        Migration(
            "1-create-badges",
            sql: """
                CREATE TABLE access_badges (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    id_type TEXT NOT NULL,
                    -- The full document number: only admins' replies carry it.
                    id_number TEXT NOT NULL,
                    id_last4 TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    photo_ref TEXT,
                    issued_at TEXT NOT NULL,
                    issued_ms INTEGER NOT NULL,
                    issued_by TEXT NOT NULL,
                    valid_until TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active','returned','lost','revoked')),
                    fee INTEGER NOT NULL CHECK (fee >= 0),
                    deposit INTEGER NOT NULL CHECK (deposit >= 0),
                    deposit_status TEXT NOT NULL CHECK (deposit_status IN ('none','held','refunded','forfeited')),
                    fees_paid INTEGER NOT NULL CHECK (fees_paid >= 0),
                    lease_ref TEXT,
                    lease_end TEXT,
                    sponsor TEXT,
                    authorisation_ref TEXT,
                    holder_is_owner INTEGER,
                    renewal_count INTEGER NOT NULL DEFAULT 0,
                    renewed_at TEXT,
                    renewed_by TEXT,
                    returned_at TEXT,
                    returned_by TEXT,
                    lost_at TEXT,
                    lost_by TEXT,
                    revoked_at TEXT,
                    revoked_by TEXT,
                    revoke_reason TEXT
                );
                -- access.badges.verify and every method naming a badge: one lookup of this index.
                CREATE UNIQUE INDEX access_badges_number ON access_badges (number);
                -- One active resident pass per holder (identity document) per unit.
                CREATE UNIQUE INDEX access_badges_resident_active ON access_badges (unit, id_type, id_number)
                    WHERE kind = 'resident' AND status = 'active';
                -- access.badges.list filters; newest first.
                CREATE INDEX access_badges_unit ON access_badges (unit, id);
                CREATE INDEX access_badges_holder ON access_badges (holder, id);
                CREATE INDEX access_badges_kind ON access_badges (kind, id);
                CREATE INDEX access_badges_status ON access_badges (status, id);
                -- expiringWithinDays and the active / expired split.
                CREATE INDEX access_badges_active_until ON access_badges (valid_until) WHERE status = 'active';

                -- Numbers the desk assigns (per prefix) and receipt numbers (per day).
                CREATE TABLE access_counters (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                ) WITHOUT ROWID;
                """),
        Migration(
            "2-create-ledger",
            sql: """
                -- One receipt per cash event at the desk (an issue, a renewal, a refund...).
                CREATE TABLE access_receipts (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    at TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    date TEXT NOT NULL,
                    operation TEXT NOT NULL,
                    badge TEXT,
                    key_tag TEXT,
                    fee INTEGER NOT NULL DEFAULT 0,
                    deposit INTEGER NOT NULL DEFAULT 0,
                    refund INTEGER NOT NULL DEFAULT 0,
                    forfeited INTEGER NOT NULL DEFAULT 0,
                    by TEXT NOT NULL
                );
                -- Every fee, deposit taken, deposit refunded and deposit forfeited.
                CREATE TABLE access_ledger (
                    id INTEGER PRIMARY KEY,
                    receipt TEXT NOT NULL REFERENCES access_receipts (number),
                    at TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    date TEXT NOT NULL,
                    type TEXT NOT NULL CHECK (type IN ('fee','deposit','refund','forfeit')),
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    operation TEXT NOT NULL,
                    badge TEXT,
                    kind TEXT,
                    key_tag TEXT,
                    by TEXT NOT NULL
                );
                CREATE INDEX access_ledger_date ON access_ledger (date, id);
                CREATE INDEX access_ledger_receipt ON access_ledger (receipt);
                """),
        Migration(
            "3-create-keys",
            sql: """
                CREATE TABLE access_keys (
                    id INTEGER PRIMARY KEY,
                    tag TEXT NOT NULL,
                    category TEXT NOT NULL
                        CHECK (category IN ('vacant_unit','owner_deposited','facility_spare','other')),
                    building TEXT,
                    floor TEXT,
                    unit TEXT,
                    room TEXT,
                    hook TEXT NOT NULL,
                    note TEXT,
                    status TEXT NOT NULL CHECK (status IN ('in','out','retired')),
                    loan_id INTEGER,
                    registered_at TEXT NOT NULL,
                    registered_ms INTEGER NOT NULL,
                    registered_by TEXT NOT NULL,
                    retired_at TEXT,
                    retired_by TEXT,
                    retire_reason TEXT
                );
                -- A tag names one key on the register; a retired key's tag may be used again.
                CREATE UNIQUE INDEX access_keys_tag ON access_keys (tag) WHERE status <> 'retired';
                CREATE INDEX access_keys_tag_all ON access_keys (tag, id);
                CREATE INDEX access_keys_status ON access_keys (status, tag);
                CREATE INDEX access_keys_building ON access_keys (building, tag);
                CREATE INDEX access_keys_category ON access_keys (category, tag);

                CREATE TABLE access_key_loans (
                    id INTEGER PRIMARY KEY,
                    key_id INTEGER NOT NULL REFERENCES access_keys (id),
                    tag TEXT NOT NULL,
                    borrower TEXT NOT NULL,
                    borrower_type TEXT NOT NULL CHECK (borrower_type IN ('staff','external')),
                    id_type TEXT,
                    -- The full document number: only admins' replies carry it.
                    id_number TEXT,
                    id_last4 TEXT,
                    deposit INTEGER NOT NULL DEFAULT 0 CHECK (deposit >= 0),
                    authorisation_ref TEXT,
                    note TEXT,
                    out_at TEXT NOT NULL,
                    out_ms INTEGER NOT NULL,
                    out_by TEXT NOT NULL,
                    due_back TEXT NOT NULL,
                    due_ms INTEGER NOT NULL,
                    in_at TEXT,
                    in_ms INTEGER,
                    in_by TEXT,
                    deposit_receipt TEXT,
                    refund_receipt TEXT
                );
                -- A key is out to one borrower at a time: the second of two checkouts fails here
                -- even if it got past the status check.
                CREATE UNIQUE INDEX access_key_loans_open ON access_key_loans (key_id) WHERE in_ms IS NULL;
                CREATE INDEX access_key_loans_key ON access_key_loans (key_id, id);
                CREATE INDEX access_key_loans_due ON access_key_loans (due_ms) WHERE in_ms IS NULL;

                -- Monthly counts of the key cabinet against the register.
                CREATE TABLE access_reconciliations (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    by TEXT NOT NULL,
                    note TEXT,
                    counted_tags TEXT NOT NULL,
                    report TEXT NOT NULL
                );
                """),
        Migration(
            "4-unit-key",
            sql: """
                -- Units are matched by their canonical key (DeskText.unitKey: 3栋2单元1201, ３栋２单元１２０１
                -- and 3-2-1201 are all 3-2-1201); `unit` keeps what the desk typed, for display.
                -- Rows stored before this are keyed here, in SQL (exact for units typed in ASCII,
                -- CJK ideographs and full-width forms; see DeskText.unitKeyBackfillSQL). A key
                -- without a unit has no unit key.
                ALTER TABLE access_badges ADD COLUMN unit_key TEXT;
                \(DeskText.unitKeyBackfillSQL(table: "access_badges", source: "unit", key: "unit_key"))
                ALTER TABLE access_keys ADD COLUMN unit_key TEXT;
                \(DeskText.unitKeyBackfillSQL(table: "access_keys", source: "unit", key: "unit_key"))
                -- access.badges.list and access.keys.list by unit; the one-active-resident-pass check.
                CREATE INDEX access_badges_unit_key ON access_badges (unit_key, id);
                CREATE INDEX access_keys_unit_key ON access_keys (unit_key, tag) WHERE unit_key IS NOT NULL;
                DROP INDEX access_badges_unit;
                -- access_badges_resident_active stays on the typed unit: passes issued before
                -- this may hold two spellings of one unit for one holder, which a UNIQUE index on
                -- the key would refuse (and the daemon would not load the plugin). The issue check
                -- compares keys, so no new such pair is made.
                """),
    ]
}
