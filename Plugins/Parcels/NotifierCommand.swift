import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The configured notifier (`[plugins.parcels] notifier = "/path/to/cmd"`): run once per
/// notification with the item as JSON on stdin, e.g. to hand it to an SMS gateway.
///
/// Isolated on purpose: a handler must never run it inside the write transaction (it would hold
/// the single writer for up to the timeout). It is meant to run after the commit, from the
/// daemon's background-work facility; its outcome is recorded on the item, and a failure never
/// loses the item.
///
/// - stdin: the item JSON, from an unlinked temporary file (no pipe, so a command that exits
///   without reading can neither block the caller nor raise SIGPIPE);
/// - stdout and stderr: discarded;
/// - the environment: only `PATH` and `LANG`;
/// - exit 0 is success; any other status, a signal, or running past the timeout (the command's
///   process group is sent SIGTERM, then SIGKILL a second later) is a failure with a sentence
///   saying which. A run never blocks its caller longer than the timeout plus six seconds.
struct NotifierCommand: Sendable {
    /// The executable.
    let path: String
    /// How long a run may take.
    let timeout: Duration

    /// Why a run failed.
    struct Failure: Error, Sendable, CustomStringConvertible {
        /// One sentence for the item's `notifierError` and the log.
        let description: String
    }

    /// Runs the command with `json` on stdin and waits for it (at most `timeout` plus a second).
    /// Blocks the calling thread: call it from background work, never from a handler.
    func run(json: String) -> Result<Void, Failure> {
        let input: FileHandle
        do {
            input = try Self.stdinFile(json)
        } catch {
            return .failure(Failure(description: "notifier \(path): cannot prepare its input: \(error)"))
        }
        defer { try? input.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = []
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"]
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            return .failure(
                Failure(description: "notifier \(path) could not be started: \(error.localizedDescription)"))
        }

        if finished.wait(timeout: .now() + Self.interval(timeout)) == .timedOut {
            // The command leads its own process group: stop it with whatever it started (a
            // lingering child would otherwise keep the run from being seen as finished).
            let group = -process.processIdentifier
            kill(group, SIGTERM)
            if finished.wait(timeout: .now() + 1) == .timedOut {
                kill(group, SIGKILL)
                if finished.wait(timeout: .now() + 5) == .timedOut {
                    return .failure(
                        Failure(
                            description: "notifier \(path) did not finish within \(timeout) and could not be stopped"))
                }
            }
            return .failure(Failure(description: "notifier \(path) did not finish within \(timeout) and was stopped"))
        }
        switch (process.terminationReason, process.terminationStatus) {
        case (.exit, 0):
            return .success(())
        case (.exit, let status):
            return .failure(Failure(description: "notifier \(path) exited with status \(status)"))
        case (.uncaughtSignal, let signal):
            return .failure(Failure(description: "notifier \(path) was killed by signal \(signal)"))
        @unknown default:
            return .failure(Failure(description: "notifier \(path) ended abnormally"))
        }
    }

    /// An already-unlinked temporary file holding `text`, positioned at its start.
    private static func stdinFile(_ text: String) throws -> FileHandle {
        var template = Array((NSTemporaryDirectory() + "/receptiond-parcels-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw Failure(description: "mkstemp: \(String(cString: strerror(errno)))") }
        let name = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        unlink(name)
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.seek(toOffset: 0)
        return handle
    }

    private static func interval(_ duration: Duration) -> DispatchTimeInterval {
        let parts = duration.components
        return .milliseconds(Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000))
    }
}
