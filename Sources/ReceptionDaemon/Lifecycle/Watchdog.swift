import Logging
import NIOCore
import ReceptionProtocol
import ReceptionStore
import ReceptionSystemd

/// Sends `WATCHDOG=1` at half of `WATCHDOG_USEC`, but only after a health check that goes
/// through the real request path: a `daemon.ping` line through the dispatcher, a read on a
/// reader connection, and an empty job through the writer. A wedged dispatcher, reader pool or
/// writer stops the pings, and systemd restarts the daemon.
struct Watchdog: Sendable {
    let notifier: SystemdNotifier
    let dispatcher: Dispatcher
    let logger: Logger

    func run() async {
        guard let interval = SystemdNotifier.watchdogInterval() else { return }
        logger.info("watchdog enabled: pinging every \(interval)")
        while !Task.isCancelled {
            if await healthy() {
                notifier.watchdog()
            } else {
                logger.error("health check failed; withholding the watchdog ping")
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// One pass through the request path.
    func healthy() async -> Bool {
        let line = ByteBuffer(string: #"{"jsonrpc":"2.0","id":"watchdog","method":"daemon.ping"}"#)
        let probe = ConnectionState.internalProbe
        let reply: String?
        switch dispatcher.handle(line: line, connection: probe) {
        case .immediate(let value): reply = value
        case .pending(let outcome, let frame): reply = frame(await outcome.value)
        case .deferred(let work, _): reply = await work()
        }
        guard let reply, reply.contains("\"pong\":true") else { return false }
        do {
            _ = try await dispatcher.store.read { _, _ in true }
        } catch {
            return false
        }
        let readers = dispatcher.store.readers
        let readerAnswered = await withCheckedContinuation { continuation in
            readers.submit { handle in continuation.resume(returning: handle != nil) }
        }
        if !readerAnswered { return false }
        let written = await dispatcher.store.writer.perform(audit: nil) { _ in (.success("{}"), []) }
        if case .failure = written { return false }
        return true
    }
}
