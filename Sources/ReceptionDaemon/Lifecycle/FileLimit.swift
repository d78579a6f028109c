import Foundation
import Logging

/// The open-file limit, raised to what `max_connections` needs.
///
/// systemd starts services with a soft limit of 1,024 open files (and a far higher hard limit),
/// leaving raising it to the programs that need more: each connection is one descriptor, and the
/// database, its readers, the listener and the journal take a few dozen more.
enum FileLimit {
    /// Descriptors the daemon uses besides its connections.
    static let reserve = 64

    /// Raises the soft limit to `maxConnections + reserve` if it is lower (never above the hard
    /// limit); says so in the log when the hard limit is too low.
    static func ensure(maxConnections: Int, logger: Logger) {
        let wanted = rlim_t(max(0, maxConnections) + reserve)
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < wanted else { return }
        let previous = limit.rlim_cur
        limit.rlim_cur = min(wanted, limit.rlim_max)
        if setrlimit(resource, &limit) != 0 || limit.rlim_cur < wanted {
            logger.warning(
                "max_connections = \(maxConnections) needs \(wanted) open files, but the limit is \(limit.rlim_max); connections past that are refused (raise LimitNOFILE=)"
            )
            return
        }
        logger.info(
            "raised the open-file limit from \(previous) to \(limit.rlim_cur) for max_connections = \(maxConnections)")
    }
}
