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
/// It is started with `posix_spawn`, not Foundation's `Process`: under the unit's
/// `RestrictAddressFamilies=AF_UNIX`, `Process` could not make the AF_INET socket pair it uses
/// to watch a child, and every run after the first failed and left a zombie. Here nothing but
/// the spawn and `waitpid` is involved:
/// - stdin: the item JSON, from an unlinked temporary file (no pipe, so a command that exits
///   without reading can neither block the caller nor raise SIGPIPE);
/// - stdout: `/dev/null`; stderr: an unlinked temporary file, of which the last
///   ``stderrLimit`` bytes are kept and reported (the item's `notifierError`, the journal);
/// - every other descriptor closed, default signal handlers and an empty signal mask, its own
///   process group;
/// - the environment: only `PATH` and `LANG`;
/// - exit 0 is success; any other status, a signal, or running past the timeout (the command's
///   process group is sent SIGTERM, then SIGKILL a second later) is a failure with a sentence
///   saying which. The child is reaped, unless it survives SIGKILL for five seconds (a process
///   stuck in the kernel), which is reported. A run never blocks its caller longer than the
///   timeout plus six seconds.
/// - The scratch files are made close-on-exec right after `mkstemp` (glibc's `mkostemp` is not
///   imported into Swift); only this serial queue spawns, so no spawn can slip in between.
struct NotifierCommand: Sendable {
    /// The executable.
    let path: String
    /// How long a run may take.
    let timeout: Duration
    /// Most bytes of the command's stderr kept (its tail).
    static let stderrLimit = 2000

    /// What a run did.
    struct Outcome: Sendable {
        /// `nil` on success, else why it failed (one sentence, with the stderr tail).
        let failure: Failure?
        /// The command's stderr (its last ``NotifierCommand/stderrLimit`` bytes), trimmed.
        let stderr: String
    }

    /// Why a run failed.
    struct Failure: Error, Sendable, CustomStringConvertible {
        /// One sentence for the item's `notifierError` and the log.
        let description: String
    }

    /// Runs the command with `json` on stdin and waits for it (at most `timeout` plus six seconds).
    /// Blocks the calling thread: call it from background work, never from a handler.
    func run(json: String) -> Outcome {
        let input: Int32
        let errors: Int32
        do {
            input = try Self.scratchFile(json)
        } catch {
            return Outcome(
                failure: Failure(description: "notifier \(path): cannot prepare its input: \(error)"), stderr: "")
        }
        defer { close(input) }
        do {
            errors = try Self.scratchFile("")
        } catch {
            return Outcome(
                failure: Failure(description: "notifier \(path): cannot prepare its stderr: \(error)"), stderr: "")
        }
        defer { close(errors) }

        let pid: pid_t
        switch spawn(stdin: input, stderr: errors) {
        case .success(let child): pid = child
        case .failure(let failure): return Outcome(failure: failure, stderr: "")
        }
        let status = wait(pid)
        let stderr = Self.tail(of: errors)
        let said = stderr.isEmpty ? "" : ": " + stderr.split(separator: "\n").suffix(3).joined(separator: " / ")
        let failure: Failure?
        switch status {
        case .exited(0): failure = nil
        case .exited(let code): failure = Failure(description: "notifier \(path) exited with status \(code)\(said)")
        case .signalled(let signal):
            failure = Failure(description: "notifier \(path) was killed by signal \(signal)\(said)")
        case .stopped:
            failure = Failure(description: "notifier \(path) did not finish within \(timeout) and was stopped\(said)")
        case .unreaped:
            failure = Failure(description: "notifier \(path) did not finish within \(timeout) and could not be stopped")
        case .lost(let code):
            failure = Failure(
                description: "notifier \(path): waiting for it failed: \(String(cString: strerror(code)))\(said)")
        }
        return Outcome(failure: failure, stderr: stderr)
    }

    /// How a run ended.
    enum Ending {
        case exited(Int32)
        case signalled(Int32)
        /// Ran past the timeout and was stopped with its process group.
        case stopped
        /// Ran past the timeout and did not die even from SIGKILL within five seconds.
        case unreaped
        /// `waitpid` failed (its errno).
        case lost(Int32)
    }

    /// Starts the command: stdin from `stdin`, stdout to /dev/null, stderr to `stderr`.
    private func spawn(stdin: Int32, stderr: Int32) -> Result<pid_t, Failure> {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // Nothing of the daemon's (its database, its socket) reaches the command: descriptors
        // without close-on-exec are closed in the child (glibc's closefrom action is not
        // imported into Swift).
        for fd in Self.inheritable() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        var noSignal = sigset_t()
        sigemptyset(&noSignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setsigmask(&attributes, &noSignal)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        let arguments = [strdup(path)]
        let environment = [strdup("PATH=/usr/local/bin:/usr/bin:/bin"), strdup("LANG=C.UTF-8")]
        defer { (arguments + environment).forEach { free($0) } }
        var pid: pid_t = 0
        let code = (arguments + [nil]).withUnsafeBufferPointer { argv -> Int32 in
            (environment + [nil]).withUnsafeBufferPointer { envp -> Int32 in
                guard let argvBase = argv.baseAddress, let envpBase = envp.baseAddress else { return EINVAL }
                return posix_spawn(&pid, path, &actions, &attributes, argvBase, envpBase)
            }
        }
        guard code == 0 else {
            return .failure(
                Failure(description: "notifier \(path) could not be started: \(String(cString: strerror(code)))"))
        }
        return .success(pid)
    }

    /// Waits for `pid` (polling `waitpid`, so no signal handler or helper socket is involved), at
    /// most the timeout; then stops its process group.
    private func wait(_ pid: pid_t) -> Ending {
        let deadline = ContinuousClock.now + timeout
        if let ending = Self.reap(pid, until: deadline) { return ending }
        kill(-pid, SIGTERM)
        if Self.reap(pid, until: .now + .seconds(1)) != nil { return .stopped }
        kill(-pid, SIGKILL)
        if Self.reap(pid, until: .now + .seconds(5)) != nil { return .stopped }
        return .unreaped
    }

    /// Reaps `pid` if it ends before `deadline`.
    private static func reap(_ pid: pid_t, until deadline: ContinuousClock.Instant) -> Ending? {
        var pause: UInt32 = 1_000
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
                let signal = status & 0x7f
                if signal == 0 { return .exited((status >> 8) & 0xff) }
                return .signalled(signal)
            }
            if reaped < 0, errno != EINTR { return .lost(errno) }
            if ContinuousClock.now >= deadline { return nil }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    /// An already-unlinked temporary file holding `text`, positioned at its start (its descriptor).
    private static func scratchFile(_ text: String) throws -> Int32 {
        var template = Array((NSTemporaryDirectory() + "/receptiond-parcels-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw Failure(description: "mkstemp: \(String(cString: strerror(errno)))") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let name = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        unlink(name)
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                close(fd)
                throw Failure(description: "write: \(String(cString: strerror(errno)))")
            }
            written += count
        }
        lseek(fd, 0, SEEK_SET)
        return fd
    }

    /// The process's open descriptors that an exec would pass on (no close-on-exec flag).
    private static func inheritable() -> [Int32] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return [] }
        return names.compactMap(Int32.init).filter { fd in
            let flags = fcntl(fd, F_GETFD)
            return flags >= 0 && flags & FD_CLOEXEC == 0
        }
    }

    /// The last ``stderrLimit`` bytes written to `fd`, as trimmed text.
    private static func tail(of fd: Int32) -> String {
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return "" }
        let start = max(0, size - off_t(stderrLimit))
        var buffer = [UInt8](repeating: 0, count: Int(size - start))
        var count = -1
        repeat {
            count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, start) }
        } while count < 0 && errno == EINTR
        guard count > 0 else { return "" }
        // A tail that starts inside a character begins with replacement characters: drop them.
        return String(decoding: buffer.prefix(count), as: UTF8.self)
            .drop(while: { $0 == "\u{FFFD}" })
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
