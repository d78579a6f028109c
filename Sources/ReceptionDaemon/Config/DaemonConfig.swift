import Logging
import ReceptionProtocol

/// Everything the daemon is configured with, after file, environment and flags are merged.
///
/// ``DaemonOptions/resolve()`` builds it in this order, each layer over the one before, so the
/// highest wins: command-line flags, then the config file, then systemd's `RUNTIME_DIRECTORY`
/// (the socket) and `STATE_DIRECTORY`, then `<prefix>/lib/receptiond/plugins` when it exists,
/// then ``embeddedDefaults(executableDirectory:)``. `CONFIGURATION_DIRECTORY` sets no value: it
/// is where the config file is looked for when `--config` is not given (before
/// `/etc/receptiond/receptiond.conf`). A socket passed by systemd (socket activation) is served
/// whatever ``socketPath`` says.
public struct DaemonConfig: Sendable {
    /// Where the config came from (`nil`: embedded defaults only).
    public var configFile: String?
    /// The Unix socket path.
    public var socketPath: String
    /// Group that owns the socket (mode 0660); `nil` keeps the daemon's own group.
    public var socketGroup: String?
    /// Directory for the SQLite database and backups.
    public var stateDirectory: String
    /// Directory scanned for `libreceptiond-<name>.so` plugins.
    public var pluginDirectory: String
    /// Load only these plugins (by name); `nil` loads every plugin in the directory.
    public var plugins: [String]?
    /// Log threshold.
    public var logLevel: Logger.Level
    /// Members of this group (and root) get the admin role.
    public var adminGroup: String?
    /// The property's currency: how clients show money (the wire carries integer minor units).
    public var currency: Currency = .cny
    /// The daemon's time zone (IANA name): the local day of every department and of dates typed
    /// at the counter. Published by `daemon.hello` and `daemon.status`; applied at start-up.
    public var timeZone: String = "UTC"
    /// Whether ``timeZone`` is only Foundation's reading of a system zone that names no IANA zone
    /// (a POSIX `TZ`, a copied `/etc/localtime`): the daemon says so in its log at start, asking
    /// for `[daemon] time_zone`.
    public var timeZoneGuessed = false
    /// Connection and request limits.
    public var limits: Limits
    /// Each plugin's `[plugins.<name>]` section, as JSON.
    public var pluginSections: [String: JSONValue]

    /// Limits on what clients can make the daemon hold.
    public struct Limits: Sendable, Equatable {
        /// Longest request line in bytes.
        public var maxLineBytes: Int = 1 << 20
        /// Most simultaneous connections.
        public var maxConnections: Int = 256
        /// A connection with no traffic for this long is closed (subscribers excepted).
        public var idleTimeoutSeconds: Int = 300
        /// Most requests one connection may have in flight before the daemon stops reading from it.
        public var maxInFlightPerConnection: Int = 256
        /// Most requests in one JSON-RPC batch.
        public var maxBatch: Int = 1000
        /// Bytes of unsent events a subscriber may lag behind before it is dropped. Only events
        /// count: a subscriber's own pipelined replies are bounded by ``replyBufferBytes``.
        public var subscriberBufferBytes: Int = 4 << 20
        /// Bytes of replies one connection may leave unread (written to it, not yet taken by the
        /// kernel) before the daemon stops reading that connection's requests.
        public var replyBufferBytes: Int = 256 << 10
        /// The largest reply line, a batch's whole reply included; a larger read result is
        /// answered with a `limit` error instead.
        public var maxReplyBytes: Int = 4 << 20
        /// Bytes of replies the whole daemon may hold unsent; past it, the connections holding
        /// more than their share stop being read until it drains.
        public var replyMemoryBytes: Int = 128 << 20
        /// A connection whose replies are stuck at ``replyBufferBytes`` and that reads nothing for
        /// this long is closed.
        public var drainTimeoutSeconds: Int = 30
        /// Most simultaneous connections of one user id (admins are exempt).
        public var maxConnectionsPerUID: Int = 64
        /// A request line must be complete (its `\n` received) this long after its first byte.
        public var lineTimeoutSeconds: Int = 30
        /// How long SIGTERM waits for in-flight requests.
        public var shutdownGraceSeconds: Int = 10
        /// WAL size at which writes are refused with `storage` while checkpoints cannot copy it
        /// back (normal operation stays under 80 MiB). Also starts the background checkpoint at a
        /// quarter of it, when that is below the usual 64 MiB. Applied at start-up.
        public var maxWALBytes: Int = 1 << 30

        /// Defaults.
        public init() {}
    }

    /// The embedded defaults: everything under `./.receptiond`, plugins next to the binary.
    public static func embeddedDefaults(executableDirectory: String) -> DaemonConfig {
        var config = DaemonConfig(
            configFile: nil, socketPath: ".receptiond/receptiond.sock", socketGroup: nil,
            stateDirectory: ".receptiond", pluginDirectory: executableDirectory, plugins: nil, logLevel: .info,
            adminGroup: nil, limits: Limits(), pluginSections: [:])
        if let named = DaemonTimeZone.systemIdentifier() {
            config.timeZone = named
        } else {
            config.timeZone = DaemonTimeZone.fallbackIdentifier
            config.timeZoneGuessed = true
        }
        return config
    }

    /// The database file inside the state directory.
    public var databasePath: String { stateDirectory + "/receptiond.sqlite" }
}

/// The property's currency, published by `daemon.hello` and `daemon.status` so that clients show
/// `1500` as `¥15.00` and read `50.00` typed at the counter as `5000`. Every amount on the wire
/// stays an integer of minor units.
public struct Currency: Sendable, Equatable {
    /// ISO 4217 code (`CNY`).
    public var code: String
    /// What a person reads before an amount (`¥`).
    public var symbol: String
    /// Digits after the decimal point (2 for fen; 0 for yen).
    public var decimals: Int

    /// The default: renminbi, `¥`, 2 decimals.
    public static let cny = Currency(code: "CNY", symbol: "¥", decimals: 2)

    /// The symbol and decimals a code has unless configured otherwise.
    static func defaults(for code: String) -> Currency {
        switch code {
        case "CNY": return .cny
        case "HKD": return Currency(code: code, symbol: "HK$", decimals: 2)
        case "MOP": return Currency(code: code, symbol: "MOP$", decimals: 2)
        case "TWD": return Currency(code: code, symbol: "NT$", decimals: 2)
        case "USD": return Currency(code: code, symbol: "$", decimals: 2)
        case "EUR": return Currency(code: code, symbol: "€", decimals: 2)
        case "GBP": return Currency(code: code, symbol: "£", decimals: 2)
        case "JPY": return Currency(code: code, symbol: "¥", decimals: 0)
        case "KRW": return Currency(code: code, symbol: "₩", decimals: 0)
        default: return Currency(code: code, symbol: code + " ", decimals: 2)
        }
    }

    /// The wire form: `{"code": "CNY", "symbol": "¥", "decimals": 2}`.
    public var jsonValue: JSONValue {
        ["code": .string(code), "symbol": .string(symbol), "decimals": .int(Int64(decimals))]
    }
}
