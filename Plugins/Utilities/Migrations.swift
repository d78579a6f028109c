import ReceptionPluginSDK

/// The utilities tables and their indexes. Never edit a shipped migration: add a new one.
///
/// Every time is stored twice: as the ISO 8601 text sent on the wire (`*_at`) and as epoch
/// milliseconds (`*_ms`) for ordering and ranges. Money is integer fen. A quantity is kept as
/// the decimal text the wire shows and as thousandths (`*_milli`), so sums are exact.
enum UtilitiesMigrations {
    static let all = [
        Migration(
            "1-create-requests-and-batches",
            sql: """
                -- One weekly handover to the agent (代办人); `id` is the batch's number on the wire.
                CREATE TABLE utilities_batches (
                    id INTEGER PRIMARY KEY,
                    agent TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('out','returned')),
                    utility TEXT,
                    request_count INTEGER NOT NULL,
                    cash_out INTEGER NOT NULL CHECK (cash_out >= 0),
                    created_at TEXT NOT NULL,
                    created_ms INTEGER NOT NULL,
                    created_by TEXT NOT NULL,
                    returned_at TEXT,
                    returned_ms INTEGER,
                    returned_by TEXT,
                    cash_back INTEGER CHECK (cash_back IS NULL OR cash_back >= 0),
                    spent INTEGER CHECK (spent IS NULL OR spent >= 0)
                );
                CREATE INDEX utilities_batches_status ON utilities_batches (status, id);

                -- One prepurchase request: the resident's cash and card while the desk holds them.
                CREATE TABLE utilities_requests (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    unit TEXT NOT NULL,
                    unit_key TEXT NOT NULL,
                    payer TEXT NOT NULL,
                    utility TEXT NOT NULL,
                    quantity TEXT,
                    quantity_milli INTEGER,
                    cash INTEGER NOT NULL CHECK (cash > 0),
                    medium TEXT NOT NULL CHECK (medium IN ('remote','gas_card','meter_card','account')),
                    medium_ref TEXT,
                    note TEXT,
                    status TEXT NOT NULL
                        CHECK (status IN ('at_desk','with_agent','ready','collected','cancelled')),
                    batch INTEGER REFERENCES utilities_batches (id),
                    spent INTEGER CHECK (spent IS NULL OR (spent >= 0 AND spent <= cash)),
                    credited TEXT,
                    credited_milli INTEGER,
                    utility_receipt TEXT,
                    failed INTEGER NOT NULL DEFAULT 0,
                    failure_reason TEXT,
                    owed INTEGER NOT NULL DEFAULT 0 CHECK (owed >= 0 AND owed <= cash),
                    paid_out INTEGER NOT NULL DEFAULT 0 CHECK (paid_out >= 0 AND paid_out <= cash),
                    requested_at TEXT NOT NULL,
                    requested_ms INTEGER NOT NULL,
                    requested_by TEXT NOT NULL,
                    batched_at TEXT,
                    returned_at TEXT,
                    returned_ms INTEGER,
                    collected_at TEXT,
                    collected_ms INTEGER,
                    collected_by TEXT,
                    proxy INTEGER,
                    handed_out_by TEXT,
                    cancelled_at TEXT,
                    cancelled_ms INTEGER,
                    cancelled_by TEXT,
                    cancel_reason TEXT
                );
                -- utilities.cashOnHand: the cash and cards the desk holds (at the desk, or back and owed).
                CREATE INDEX utilities_requests_held ON utilities_requests (status, id)
                    WHERE status IN ('at_desk','ready');
                -- utilities.batches.create: what is at the desk, by utility.
                CREATE INDEX utilities_requests_at_desk ON utilities_requests (utility, id)
                    WHERE status = 'at_desk';
                -- utilities.list filters, a batch's requests, utilities.report's periods.
                CREATE INDEX utilities_requests_status ON utilities_requests (status, id);
                CREATE INDEX utilities_requests_unit_key ON utilities_requests (unit_key, id);
                CREATE INDEX utilities_requests_utility ON utilities_requests (utility, id);
                CREATE INDEX utilities_requests_batch ON utilities_requests (batch, id);
                CREATE INDEX utilities_requests_requested ON utilities_requests (requested_ms);
                CREATE INDEX utilities_requests_returned ON utilities_requests (returned_ms)
                    WHERE returned_ms IS NOT NULL;
                CREATE INDEX utilities_requests_collected ON utilities_requests (collected_ms)
                    WHERE collected_ms IS NOT NULL;
                CREATE INDEX utilities_requests_cancelled ON utilities_requests (cancelled_ms)
                    WHERE cancelled_ms IS NOT NULL;

                -- Request numbers, one counter per local day (UT20261205-0001).
                CREATE TABLE utilities_counters (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                );
                """)
    ]
}
