import ReceptionPluginSDK

/// The meetings tables and their indexes. Never edit a shipped migration: add a new one.
///
/// Every time is stored twice: as the ISO 8601 text sent on the wire (`*_at`) and as epoch
/// milliseconds (`*_ms`) for ordering and ranges. Money is integer fen.
enum MeetingsMigrations {
    static let all = [
        Migration(
            "1-create-rooms-bookings-tasks",
            sql: """
                -- A meeting room the desk lets; `room` is its id on the wire (A-301).
                CREATE TABLE meetings_rooms (
                    id INTEGER PRIMARY KEY,
                    room TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    floor INTEGER NOT NULL,
                    capacity INTEGER NOT NULL CHECK (capacity > 0),
                    -- The equipment names, sorted, joined by commas (projector,audio).
                    equipment TEXT NOT NULL,
                    hourly_fee INTEGER NOT NULL CHECK (hourly_fee >= 0),
                    -- Opening hours as the wire writes them: {"mon":["08:00","22:00"],...}.
                    hours TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active','retired')),
                    defined_at TEXT NOT NULL,
                    defined_by TEXT NOT NULL,
                    retired_at TEXT,
                    retired_by TEXT
                );

                -- One booking of a room; a repeat series shares `series`.
                CREATE TABLE meetings_bookings (
                    id INTEGER PRIMARY KEY,
                    booking TEXT NOT NULL UNIQUE,
                    room TEXT NOT NULL,
                    title TEXT NOT NULL,
                    organiser TEXT NOT NULL,
                    contact TEXT NOT NULL,
                    phone TEXT,
                    start_at TEXT NOT NULL,
                    start_ms INTEGER NOT NULL,
                    end_at TEXT NOT NULL,
                    end_ms INTEGER NOT NULL,
                    attendees INTEGER NOT NULL CHECK (attendees > 0),
                    class TEXT NOT NULL CHECK (class IN ('routine','major','ad_hoc')),
                    av INTEGER NOT NULL,
                    notes TEXT,
                    status TEXT NOT NULL CHECK (status IN ('booked','in_progress','ended','cancelled')),
                    series TEXT,
                    booked_at TEXT NOT NULL,
                    booked_ms INTEGER NOT NULL,
                    booked_by TEXT NOT NULL,
                    started_at TEXT,
                    started_ms INTEGER,
                    ended_at TEXT,
                    ended_ms INTEGER,
                    cancelled_at TEXT,
                    cancelled_by TEXT,
                    cancel_reason TEXT,
                    -- The settlement as the wire shows it ({"lines":[...],"total":...}), and its total.
                    fee TEXT,
                    fee_total INTEGER,
                    settled_ms INTEGER,
                    invoice TEXT,
                    paid_at TEXT,
                    paid_ms INTEGER,
                    CHECK (end_ms > start_ms)
                );
                -- The overlap check and the agenda: a room's active bookings by start.
                CREATE INDEX meetings_bookings_room ON meetings_bookings (room, start_ms)
                    WHERE status <> 'cancelled';
                CREATE INDEX meetings_bookings_start ON meetings_bookings (start_ms);
                -- meetings.unpaid: settled, not paid.
                CREATE INDEX meetings_bookings_unpaid ON meetings_bookings (settled_ms)
                    WHERE settled_ms IS NOT NULL AND paid_ms IS NULL;

                -- A preparation task; `task` is its id on the wire (MT20261205-0001/tea, OPEN-20261205).
                CREATE TABLE meetings_tasks (
                    id INTEGER PRIMARY KEY,
                    task TEXT NOT NULL UNIQUE,
                    booking TEXT,
                    kind TEXT NOT NULL,
                    team TEXT NOT NULL,
                    due_at TEXT NOT NULL,
                    due_ms INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open','done','cancelled')),
                    done_at TEXT,
                    done_by TEXT,
                    note TEXT,
                    -- When meetings.task.overdue was emitted for it (once).
                    overdue_ms INTEGER
                );
                CREATE INDEX meetings_tasks_due ON meetings_tasks (due_ms);
                CREATE INDEX meetings_tasks_booking ON meetings_tasks (booking);
                -- The minute job: open tasks past due not yet announced.
                CREATE INDEX meetings_tasks_unannounced ON meetings_tasks (due_ms)
                    WHERE status = 'open' AND overdue_ms IS NULL;

                -- Booking numbers, one counter per local day (MT20261205-0001), and series numbers.
                CREATE TABLE meetings_counters (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                );
                """),
        Migration(
            "2-room-closed-once-ready",
            sql: """
                -- A major meeting's room is closed to others from when its setup is done
                -- (closed_from, closed_ms) to the booking's end; NULL while the room is open.
                ALTER TABLE meetings_bookings ADD COLUMN closed_from TEXT;
                ALTER TABLE meetings_bookings ADD COLUMN closed_ms INTEGER;
                -- The closure check of meetings.book, .reschedule and .rooms.free: a room's closed
                -- windows that end after the slot starts (only closed bookings are in the index).
                CREATE INDEX meetings_bookings_closed ON meetings_bookings (room, end_ms)
                    WHERE closed_ms IS NOT NULL;
                """),
    ]
}
