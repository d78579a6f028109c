import ReceptionPluginSDK

/// The cases tables and their indexes. Never edit a shipped migration: add a new one.
///
/// Every time is stored twice: as the ISO 8601 text sent on the wire (`*_at`) and as epoch
/// milliseconds (`*_ms`) for ordering and ranges. Money is integer fen.
enum CasesMigrations {
    static let all = [
        Migration(
            "1-create-cases-orders-callbacks",
            sql: """
                -- One entry of the reception register (业主接待记录表); `case_no` is its id on the wire
                -- (CS20261205-0001).
                CREATE TABLE cases_cases (
                    id INTEGER PRIMARY KEY,
                    case_no TEXT NOT NULL UNIQUE,
                    channel TEXT NOT NULL,
                    reporter TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    unit_key TEXT NOT NULL,
                    contact TEXT,
                    category TEXT NOT NULL,
                    area TEXT,
                    description TEXT NOT NULL,
                    urgency TEXT NOT NULL CHECK (urgency IN ('normal','urgent','emergency')),
                    status TEXT NOT NULL CHECK (status IN ('open','dispatched','closed','reopened')),
                    valid INTEGER,
                    outcome TEXT,
                    -- The notes and the reclassifications as the wire shows them (JSON arrays).
                    notes TEXT NOT NULL,
                    history TEXT NOT NULL,
                    service TEXT,
                    receipt TEXT UNIQUE,
                    amount INTEGER CHECK (amount IS NULL OR amount > 0),
                    tendered INTEGER,
                    change_given INTEGER CHECK (change_given IS NULL OR change_given >= 0),
                    opened_at TEXT NOT NULL,
                    opened_ms INTEGER NOT NULL,
                    opened_by TEXT NOT NULL,
                    closed_at TEXT,
                    closed_ms INTEGER,
                    closed_by TEXT
                );
                CREATE INDEX cases_cases_opened ON cases_cases (opened_ms);
                CREATE INDEX cases_cases_closed ON cases_cases (closed_ms) WHERE closed_ms IS NOT NULL;
                CREATE INDEX cases_cases_unit ON cases_cases (unit_key);

                -- A work order (派工单); `order_no` is its id on the wire (WO20261205-0001).
                CREATE TABLE cases_orders (
                    id INTEGER PRIMARY KEY,
                    order_no TEXT NOT NULL UNIQUE,
                    case_no TEXT NOT NULL REFERENCES cases_cases (case_no),
                    department TEXT NOT NULL,
                    due_at TEXT NOT NULL,
                    due_ms INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('sent','acknowledged','done','reopened')),
                    sent_at TEXT NOT NULL,
                    sent_ms INTEGER NOT NULL,
                    sent_by TEXT NOT NULL,
                    ack_by TEXT,
                    ack_at TEXT,
                    done_at TEXT,
                    done_ms INTEGER,
                    done_by TEXT,
                    work TEXT,
                    -- The delays as the wire shows them: [{"reason","newDue","residentTold","at"}].
                    delays TEXT NOT NULL,
                    reopen_reason TEXT,
                    -- When cases.workorder.overdue was emitted for it (once per due time).
                    overdue_ms INTEGER
                );
                CREATE INDEX cases_orders_case ON cases_orders (case_no);
                CREATE INDEX cases_orders_due ON cases_orders (due_ms);
                -- The minute job: open orders past due not yet announced.
                CREATE INDEX cases_orders_unannounced ON cases_orders (due_ms)
                    WHERE status <> 'done' AND overdue_ms IS NULL;

                -- A callback (回访) task: one per close of a complaint, repair or service.
                CREATE TABLE cases_callbacks (
                    id INTEGER PRIMARY KEY,
                    case_no TEXT NOT NULL REFERENCES cases_cases (case_no),
                    status TEXT NOT NULL CHECK (status IN ('pending','done')),
                    created_at TEXT NOT NULL,
                    created_ms INTEGER NOT NULL,
                    attempts INTEGER NOT NULL,
                    reached INTEGER,
                    satisfaction TEXT,
                    comments TEXT,
                    called_at TEXT,
                    called_ms INTEGER,
                    called_by TEXT
                );
                CREATE INDEX cases_callbacks_case ON cases_callbacks (case_no);
                CREATE INDEX cases_callbacks_created ON cases_callbacks (created_ms);

                -- Case, order and receipt numbers: one counter per local day.
                CREATE TABLE cases_counters (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                );
                """)
    ]
}
