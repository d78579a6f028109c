import ArgumentParser
import Foundation
import NIOCore
import ReceptionProtocol

/// One kind of request the load client sends.
enum Operation: Int, Sendable, CaseIterable {
    case ping, verify, pending, receive, pickup, cashOnHand, book, agenda
    /// `parcels.list` by unit, and by recipient, over every status; `parcels.stats` over a month.
    case listUnit, listRecipient, stats
    case utilityRequest, visitorsRegister, onSite, casesOpen, casesReport, handover

    /// The JSON-RPC method.
    var method: String {
        switch self {
        case .ping: return "daemon.ping"
        case .verify: return "access.badges.verify"
        case .pending: return "parcels.pending"
        case .receive: return "parcels.receive"
        case .pickup: return "parcels.pickup"
        case .cashOnHand: return "utilities.cashOnHand"
        case .book: return "meetings.book"
        case .agenda: return "meetings.agenda"
        case .listUnit, .listRecipient: return "parcels.list"
        case .stats: return "parcels.stats"
        case .utilityRequest: return "utilities.request"
        case .visitorsRegister: return "visitors.register"
        case .onSite: return "visitors.onSite"
        case .casesOpen: return "cases.open"
        case .casesReport: return "cases.report"
        case .handover: return "desk.handover"
        }
    }

    /// Whether the request needs units and residents' names (from the database, the parcels
    /// plugin or the seed's generator).
    var needsPlace: Bool {
        [.pending, .receive, .pickup, .utilityRequest, .visitorsRegister, .casesOpen, .listUnit, .listRecipient].contains(self)
    }
}

/// What `run --workload` drives.
enum WorkloadKind: String, ExpressibleByArgument, CaseIterable, Sendable {
    case ping, verify, pending, receive, pickup, counter
    /// `utilities.cashOnHand`: the shift-handover check, which sums every request still at the
    /// desk or owed to a resident and lists their cards.
    case cashOnHand = "cash-on-hand"
    /// `meetings.book` of one free room slot each (five weeks ahead and later, past every seeded
    /// booking): each slot is taken once, so the bookings do not clash.
    case book
    /// `meetings.agenda` of a random day of the seeded year: the counter screen's day per room.
    case agenda
    /// `parcels.list` of one unit over every status: half first pages, half later pages (a
    /// cursor at a random item of the seeded million): the history a resident asks about.
    case listUnit = "list-unit"
    /// `parcels.list` of one recipient over every status, first and later pages alike.
    case listRecipient = "list-recipient"
    /// `parcels.stats` over one month of the seeded year: the supervisor's monthly report.
    case stats
    /// Durable `utilities.request`: a resident prepays electricity, gas or water at the desk.
    case utilityRequest = "utility-request"
    /// Durable `visitors.register`: a visitor signs in for a resident (the visit waits).
    case visitorsRegister = "visitors-register"
    /// `visitors.onSite`: who is inside now, the whole list (the counter screen).
    case onSite = "on-site"
    /// Durable `cases.open`: repairs, complaints (with their area), paid services and the rest.
    case casesOpen = "cases-open"
    /// `cases.report` of the seeded month (the last report period that has ended).
    case casesReport = "cases-report"
    /// Durable `desk.handover`: the snapshot read from every department inside the write.
    case handover

    /// The operations and their weights (percent of requests).
    ///
    /// `counter` is a day at a busy desk, per 10,000 requests: gate scripts checking badges make
    /// most of the traffic (3,490), residents asking what is waiting for them (1,900), couriers'
    /// drops being signed for (900), pickups (750, fewer than receipts: some items wait, some go
    /// back), health checks (550); visitors signing in (600) and the on-site screen refreshed
    /// (500); meeting-room agendas looked up (400) and rooms booked (150); cases opened (300);
    /// utility prepurchases taken (250) and the cash checked (200); the month's cases report (9)
    /// and a shift handover (1: three a shift would already be many, and each holds the writer
    /// for a few hundred ms while its snapshot reads every department). ``RunCommand`` leaves
    /// out the departments the daemon does not serve.
    var mix: [(operation: Operation, weight: Int)] {
        switch self {
        case .ping: return [(.ping, 1)]
        case .verify: return [(.verify, 1)]
        case .pending: return [(.pending, 1)]
        case .receive: return [(.receive, 1)]
        case .pickup: return [(.pickup, 1)]
        case .cashOnHand: return [(.cashOnHand, 1)]
        case .book: return [(.book, 1)]
        case .agenda: return [(.agenda, 1)]
        case .listUnit: return [(.listUnit, 1)]
        case .listRecipient: return [(.listRecipient, 1)]
        case .stats: return [(.stats, 1)]
        case .utilityRequest: return [(.utilityRequest, 1)]
        case .visitorsRegister: return [(.visitorsRegister, 1)]
        case .onSite: return [(.onSite, 1)]
        case .casesOpen: return [(.casesOpen, 1)]
        case .casesReport: return [(.casesReport, 1)]
        case .handover: return [(.handover, 1)]
        case .counter:
            return [
                (.verify, 3490), (.pending, 1900), (.receive, 900), (.pickup, 750), (.ping, 550),
                (.visitorsRegister, 600), (.onSite, 500), (.agenda, 400), (.book, 150), (.casesOpen, 300),
                (.utilityRequest, 250), (.cashOnHand, 200), (.casesReport, 9), (.handover, 1),
            ]
        }
    }

    /// `ping|verify|...` for help texts.
    static var names: String { allCases.map(\.rawValue).joined(separator: "|") }
}

/// Badge numbers as the `access` plugin assigns them: a kind's prefix and six digits
/// (`R000001` for residents). When `run` cannot read the stored numbers it asks for resident
/// numbers up to `--badges`; missing numbers start with `Z`, a prefix no kind has.
enum Badges {
    /// The `index`-th resident badge (from 1).
    static func number(_ index: Int) -> String {
        let digits = String(index)
        return "R" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// A number no badge has.
    static func missing(_ random: inout SeededRandom) -> String {
        "Z" + String(100_000 + random.index(900_000))
    }
}

/// How many measured requests are left in `--requests` mode, shared by every connection.
final class RequestBudget: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int

    /// A budget of `count` requests.
    init(_ count: Int) {
        remaining = count
    }

    /// Takes one request; `false` when none is left.
    func take() -> Bool {
        lock.withLock {
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
    }
}

/// Pickup codes of items held at the desk, shared by every connection: each pickup takes one,
/// so every pickup names an item that is still held. `counter` puts back the codes its
/// receipts were given.
final class CodePool: @unchecked Sendable {
    private let lock = NSLock()
    private var codes: [String]

    /// A pool holding `codes` (taken from the end).
    init(_ codes: [String]) {
        self.codes = codes
    }

    /// A held item's code, or `nil` when none is left.
    func take() -> String? {
        lock.withLock { codes.popLast() }
    }

    /// Adds the code of an item just received.
    func put(_ code: String) {
        lock.withLock { codes.insert(code, at: 0) }
    }

    /// How many codes are left.
    var count: Int { lock.withLock { codes.count } }
}

/// Everything the requests of one run are made from, shared read-only by every connection
/// (the pools are locked).
final class WorkloadData: Sendable {
    /// The workload.
    let kind: WorkloadKind
    /// Units for `pending` and `receive`, each already a JSON string literal (`"3栋2单元1201"`).
    let units: [[UInt8]]
    /// Names to address items to and to sign pickups with, as JSON string literals.
    let names: [[UInt8]]
    /// How many badges to assume (numbers `R000001` up) when `badgeNumbers` is empty.
    let badges: Int
    /// Numbers of badges stored, as JSON string literals (read from the database with `--state-dir`).
    let badgeNumbers: [[UInt8]]
    /// Codes of held items, for `pickup` and `counter`.
    let codes: CodePool
    /// `meetings.book` params of free room slots, each a JSON object, for `book`.
    let slots: CodePool
    /// Days for `agenda`, as JSON string literals (`"2026-03-14"`).
    let days: [[UInt8]]
    /// The measured requests left, in `--requests` mode.
    let budget: RequestBudget?
    /// A tag making this run's tracking numbers unique (`SF` + tag + connection + sequence).
    let runTag: String
    /// The month `cases-report` asks for, as a JSON string literal (`"2026-11"`).
    let month: [UInt8]
    private let cumulative: [(operation: Operation, upTo: Int)]
    private let totalWeight: Int

    /// Data for `kind`.
    init(
        kind: WorkloadKind, units: [String], names: [String], badges: Int, badgeNumbers: [String], codes: [String],
        slots: [String] = [], days: [String] = [], month: String = "", budget: RequestBudget?, runTag: String,
        mix: [(operation: Operation, weight: Int)]? = nil
    ) {
        self.kind = kind
        self.units = units.map(Self.literal)
        self.names = names.map(Self.literal)
        self.badges = badges
        self.badgeNumbers = badgeNumbers.map(Self.literal)
        self.codes = CodePool(codes)
        self.slots = CodePool(slots)
        self.days = days.map(Self.literal)
        self.budget = budget
        self.runTag = runTag
        self.month = Self.literal(month)
        var sum = 0
        var cumulative: [(Operation, Int)] = []
        for entry in mix ?? kind.mix {
            sum += entry.weight
            cumulative.append((entry.operation, sum))
        }
        self.cumulative = cumulative
        totalWeight = sum
    }

    /// `text` as a JSON string literal, UTF-8.
    static func literal(_ text: String) -> [UInt8] {
        var out = ""
        JSONValue.writeString(text, to: &out)
        return Array(out.utf8)
    }

    /// The next operation of the mix.
    func pick(_ random: inout SeededRandom) -> Operation {
        guard cumulative.count > 1 else { return cumulative.first?.operation ?? .ping }
        let draw = random.index(totalWeight)
        for entry in cumulative where draw < entry.upTo { return entry.operation }
        return .ping
    }

    /// Writes request `id` of `operation` as one line into `buffer`. Returns `false` (writing
    /// nothing) when it cannot be made: a pickup with no held item left, a booking with no free
    /// slot left, an agenda with no day to ask for.
    ///
    /// `connection` and `sequence` make tracking numbers unique across the whole run.
    func write(
        _ operation: Operation, id: Int, connection: Int, sequence: Int, random: inout SeededRandom,
        into buffer: inout ByteBuffer
    ) -> Bool {
        var code: String?
        if operation == .pickup {
            guard let held = codes.take() else { return false }
            code = held
        }
        if operation == .book {
            guard let slot = slots.take() else { return false }
            code = slot
        }
        if operation == .agenda, days.isEmpty { return false }
        buffer.writeStaticString("{\"jsonrpc\":\"2.0\",\"id\":")
        buffer.writeString(String(id))
        switch operation {
        case .ping:
            buffer.writeStaticString(",\"method\":\"daemon.ping\"}\n")
        case .verify:
            // Seven in ten scans at the gate are of badges that exist.
            buffer.writeStaticString(",\"method\":\"access.badges.verify\",\"params\":{\"number\":")
            if !badgeNumbers.isEmpty, random.chance(70) {
                buffer.writeBytes(badgeNumbers[random.index(badgeNumbers.count)])
            } else {
                let number =
                    badges > 0 && random.chance(70) ? Badges.number(1 + random.index(badges)) : Badges.missing(&random)
                buffer.writeStaticString("\"")
                buffer.writeString(number)
                buffer.writeStaticString("\"")
            }
            buffer.writeStaticString("}}\n")
        case .pending:
            buffer.writeStaticString(",\"method\":\"parcels.pending\",\"params\":{\"unit\":")
            buffer.writeBytes(units[random.index(units.count)])
            buffer.writeStaticString("}}\n")
        case .receive:
            buffer.writeStaticString(
                ",\"method\":\"parcels.receive\",\"params\":{\"kind\":\"express\",\"carrier\":\"SF\",\"tracking\":\"SF")
            buffer.writeString(runTag)
            buffer.writeString(String(connection))
            buffer.writeStaticString("N")
            buffer.writeString(String(sequence))
            buffer.writeStaticString("\",\"recipient\":")
            buffer.writeBytes(names[random.index(names.count)])
            buffer.writeStaticString(",\"unit\":")
            buffer.writeBytes(units[random.index(units.count)])
            buffer.writeStaticString(",\"shelf\":\"B-")
            buffer.writeString(String(1 + random.index(12)))
            buffer.writeStaticString("\"}}\n")
        case .pickup:
            buffer.writeStaticString(",\"method\":\"parcels.pickup\",\"params\":{\"codes\":[\"")
            buffer.writeString(code ?? "")
            buffer.writeStaticString("\"],\"collectedBy\":")
            buffer.writeBytes(names[random.index(names.count)])
            buffer.writeStaticString(",\"proxy\":true,\"idType\":\"id_card\",\"idLast4\":\"")
            buffer.writeString(String(1000 + random.index(9000)))
            buffer.writeStaticString("\"}}\n")
        case .cashOnHand:
            buffer.writeStaticString(",\"method\":\"utilities.cashOnHand\",\"params\":{}}\n")
        case .book:
            buffer.writeStaticString(",\"method\":\"meetings.book\",\"params\":")
            buffer.writeString(code ?? "{}")
            buffer.writeStaticString("}\n")
        case .agenda:
            buffer.writeStaticString(",\"method\":\"meetings.agenda\",\"params\":{\"date\":")
            buffer.writeBytes(days[random.index(days.count)])
            buffer.writeStaticString("}}\n")
        case .listUnit, .listRecipient:
            buffer.writeStaticString(",\"method\":\"parcels.list\",\"params\":{")
            if operation == .listUnit {
                buffer.writeStaticString("\"unit\":")
                buffer.writeBytes(units[random.index(units.count)])
            } else {
                buffer.writeStaticString("\"recipient\":")
                buffer.writeBytes(names[random.index(names.count)])
            }
            if random.chance(50) {
                buffer.writeStaticString(",\"cursor\":\"")
                buffer.writeString(ListPages.cursor(&random))
                buffer.writeStaticString("\"")
            }
            buffer.writeStaticString("}}\n")
        case .stats:
            buffer.writeStaticString(",\"method\":\"parcels.stats\",\"params\":")
            buffer.writeString(ListPages.months[random.index(ListPages.months.count)])
            buffer.writeStaticString("}\n")
        case .utilityRequest:
            writeUtilityRequest(random: &random, into: &buffer)
        case .visitorsRegister:
            writeVisitorsRegister(random: &random, into: &buffer)
        case .onSite:
            buffer.writeStaticString(",\"method\":\"visitors.onSite\",\"params\":{}}\n")
        case .casesOpen:
            writeCasesOpen(random: &random, into: &buffer)
        case .casesReport:
            buffer.writeStaticString(",\"method\":\"cases.report\",\"params\":{\"month\":")
            buffer.writeBytes(month)
            buffer.writeStaticString("}}\n")
        case .handover:
            writeHandover(random: &random, into: &buffer)
        }
        return true
    }
}
