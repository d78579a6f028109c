import Foundation
import ReceptionClient
import ReceptionProtocol

/// The daemon's method list for help and completion: asked of the daemon when it answers (and
/// then kept in the ``MethodsCache``), else read from that cache, with a notice saying so.
struct MethodCatalog {
    /// The methods.
    var methods: [MethodInfo]
    /// `nil` when the daemon answered; else the line to print before help made from the cache
    /// ("the daemon is not reachable; this help is from the method list cached at 12-06 07:04").
    var notice: String?

    /// The cache file of the daemon `options` name, when this user has a place for one.
    static func cache(_ options: Options) -> MethodsCache? {
        MethodsCache.standard(daemon: (try? options.daemonAddress())?.address)
    }

    /// Calls `daemon.methods` on `session` and keeps the answer in the cache.
    static func fetch(_ session: DaemonSession) throws -> [MethodInfo] {
        let reply = try session.call("daemon.methods")
        record(reply, options: session.options)
        return MethodInfo.list(from: reply.result)
    }

    /// Keeps a `daemon.methods` reply in the cache (best effort).
    static func record(_ reply: RPCReply, options: Options) {
        cache(options)?.save(rawResult: reply.rawResult)
    }

    /// The cached list with its notice, if there is one.
    static func cached(_ options: Options) -> MethodCatalog? {
        guard let entry = cache(options)?.load() else { return nil }
        return MethodCatalog(methods: entry.methods, notice: MethodsCache.notice(savedAt: entry.savedAt))
    }

    /// The list from the daemon, else from the cache.
    ///
    /// - Parameters:
    ///   - timeout: How long connecting and asking may take, in seconds (completion keeps it short
    ///     so a dead daemon costs a fraction of a second, not the usual 30).
    ///   - freshFor: A cache younger than this many seconds is used without asking the daemon
    ///     (completion, which runs at every Tab).
    /// - Throws: The ``CommandFailure`` of reaching the daemon when there is no cache either.
    static func load(_ options: Options, timeout: Double? = nil, freshFor: TimeInterval? = nil) throws
        -> MethodCatalog
    {
        if let freshFor, let entry = cache(options)?.load(), Date().timeIntervalSince(entry.savedAt) < freshFor {
            return MethodCatalog(methods: entry.methods, notice: nil)
        }
        var options = options
        if let timeout { options.timeout = timeout }
        do {
            let session = try DaemonSession.open(options, identify: false)
            defer { session.connection.close() }
            return MethodCatalog(methods: try fetch(session), notice: nil)
        } catch let failure as CommandFailure {
            guard let cached = cached(options) else { throw failure }
            return cached
        }
    }
}
