import ReceptionPluginSDK

/// The visitors tables and their indexes. Never edit a shipped migration: add a new one.
///
/// Every time is stored twice: as the ISO 8601 text sent on the wire (`*_at`) and as epoch
/// milliseconds (`*_ms`) for ordering and ranges. No table has a column for a full identity
/// number: a document is its type and last four characters.
enum VisitorsMigrations {
    static let all = [
        Migration(
            "1-create-visits-contacts-announcements-messages-keys",
            sql: """
                -- A visit: one registration at the desk; `visit` is its id on the wire (V20261206-0001).
                CREATE TABLE visitors_visits (
                    id INTEGER PRIMARY KEY,
                    visit TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    id_type TEXT NOT NULL,
                    id_last4 TEXT NOT NULL,
                    id_seen INTEGER NOT NULL,
                    id_copied INTEGER NOT NULL,
                    host_unit TEXT NOT NULL,
                    -- DeskText.unitKey of host_unit: 3-2-1201 and 3栋2单元1201 are one unit.
                    host_unit_key TEXT NOT NULL,
                    host_name TEXT NOT NULL,
                    purpose TEXT,
                    party INTEGER NOT NULL CHECK (party > 0),
                    plate TEXT,
                    expected TEXT,
                    status TEXT NOT NULL
                        CHECK (status IN ('waiting','on_site','refused','left_message','signed_out','overnight')),
                    door_opened_by TEXT,
                    arrived_at TEXT NOT NULL,
                    arrived_ms INTEGER NOT NULL,
                    admitted_at TEXT,
                    admitted_ms INTEGER,
                    signed_out_at TEXT,
                    signed_out_ms INTEGER,
                    signed_out_by TEXT,
                    -- The curfew the visit is held to (the arrival day's), and when it was passed.
                    leave_by TEXT NOT NULL,
                    leave_by_ms INTEGER NOT NULL,
                    overstay INTEGER NOT NULL,
                    overstay_at TEXT,
                    -- A night's stay: how many nights, the first night's date and the day it ends.
                    nights INTEGER,
                    night_of TEXT,
                    night_until TEXT,
                    night_id_type TEXT,
                    night_id_last4 TEXT,
                    host_signed INTEGER,
                    overnight_at TEXT,
                    overnight_by TEXT,
                    registered_by TEXT NOT NULL
                );
                CREATE INDEX visitors_visits_arrived ON visitors_visits (arrived_ms);
                -- visitors.onSite and the minute job: who is inside now.
                CREATE INDEX visitors_visits_inside ON visitors_visits (host_unit_key, admitted_ms)
                    WHERE status IN ('on_site','overnight');
                CREATE INDEX visitors_visits_limit ON visitors_visits (leave_by_ms)
                    WHERE status = 'on_site' AND overstay = 0;
                CREATE INDEX visitors_visits_night ON visitors_visits (night_of) WHERE night_of IS NOT NULL;

                -- Each attempt to reach the host about a visit, in order.
                CREATE TABLE visitors_contacts (
                    id INTEGER PRIMARY KEY,
                    visit_id INTEGER NOT NULL REFERENCES visitors_visits (id),
                    channel TEXT NOT NULL CHECK (channel IN ('intercom','flat_phone','other_phone')),
                    result TEXT NOT NULL CHECK (result IN ('accepted','refused','no_answer')),
                    contacted_by TEXT NOT NULL,
                    contacted_at TEXT NOT NULL,
                    contacted_ms INTEGER NOT NULL
                );
                CREATE INDEX visitors_contacts_visit ON visitors_contacts (visit_id, id);

                -- A visitor announced by a resident; `expected` is its id (E20261206-0001).
                CREATE TABLE visitors_expected (
                    id INTEGER PRIMARY KEY,
                    expected TEXT NOT NULL UNIQUE,
                    host_unit TEXT NOT NULL,
                    host_unit_key TEXT NOT NULL,
                    host_name TEXT NOT NULL,
                    name TEXT NOT NULL,
                    from_at TEXT NOT NULL,
                    from_ms INTEGER NOT NULL,
                    to_at TEXT NOT NULL,
                    to_ms INTEGER NOT NULL,
                    home_during_visit INTEGER NOT NULL,
                    instructions TEXT,
                    id_type TEXT,
                    id_last4 TEXT,
                    status TEXT NOT NULL CHECK (status IN ('open','arrived')),
                    visit TEXT,
                    announced_at TEXT NOT NULL,
                    announced_ms INTEGER NOT NULL,
                    announced_by TEXT NOT NULL,
                    CHECK (to_ms > from_ms)
                );
                CREATE INDEX visitors_expected_unit ON visitors_expected (host_unit_key, from_ms);

                -- A message a visitor left for the host; `message` is its id (M20261206-0001).
                CREATE TABLE visitors_messages (
                    id INTEGER PRIMARY KEY,
                    message TEXT NOT NULL UNIQUE,
                    visit TEXT NOT NULL,
                    name TEXT NOT NULL,
                    host_unit TEXT NOT NULL,
                    host_unit_key TEXT NOT NULL,
                    host_name TEXT NOT NULL,
                    text TEXT NOT NULL,
                    left_at TEXT NOT NULL,
                    left_ms INTEGER NOT NULL,
                    left_by TEXT NOT NULL,
                    delivered INTEGER NOT NULL,
                    delivered_at TEXT,
                    delivered_to TEXT,
                    delivered_by TEXT
                );
                CREATE INDEX visitors_messages_unit ON visitors_messages (host_unit_key, left_ms);

                -- A key a resident left at the desk for a named visitor (on the access plugin's
                -- key register as `tag`); `deposit` is its id (KD20261206-0001).
                CREATE TABLE visitors_key_deposits (
                    id INTEGER PRIMARY KEY,
                    deposit TEXT NOT NULL UNIQUE,
                    tag TEXT NOT NULL,
                    hook TEXT NOT NULL,
                    host_unit TEXT NOT NULL,
                    host_unit_key TEXT NOT NULL,
                    host_name TEXT NOT NULL,
                    authorisation_ref TEXT NOT NULL,
                    name TEXT NOT NULL,
                    id_type TEXT,
                    id_last4 TEXT,
                    expected TEXT,
                    status TEXT NOT NULL CHECK (status IN ('held','handed_over')),
                    deposited_at TEXT NOT NULL,
                    deposited_ms INTEGER NOT NULL,
                    deposited_by TEXT NOT NULL,
                    handed_over_at TEXT,
                    handed_over_by TEXT,
                    visitor_signed INTEGER,
                    handover_id_type TEXT,
                    handover_id_last4 TEXT
                );
                CREATE INDEX visitors_key_deposits_tag ON visitors_key_deposits (tag);

                -- An entry with the security office's spare key for a resident who is away;
                -- `entry` is its id (SK20261206-0001).
                CREATE TABLE visitors_spare_keys (
                    id INTEGER PRIMARY KEY,
                    entry TEXT NOT NULL UNIQUE,
                    visit TEXT NOT NULL,
                    host_unit TEXT NOT NULL,
                    host_name TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('requested','letter_received','escorted','locked_up')),
                    consent_channel TEXT NOT NULL,
                    requested_at TEXT NOT NULL,
                    requested_by TEXT NOT NULL,
                    letter_ref TEXT,
                    letter_via TEXT,
                    letter_at TEXT,
                    letter_by TEXT,
                    staff TEXT,
                    key_out_at TEXT,
                    door_opened_at TEXT,
                    key_back_at TEXT,
                    escorted_by TEXT,
                    locked_up_at TEXT,
                    locked_up_by TEXT,
                    lock_up_staff TEXT
                );
                CREATE INDEX visitors_spare_keys_visit ON visitors_spare_keys (visit);

                -- Visit, announcement, message and deposit numbers: one counter per kind and local day.
                CREATE TABLE visitors_counters (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                );
                """)
    ]
}
