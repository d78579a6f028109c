import Foundation

/// One daemon per state directory: an exclusive `flock` on `<state_dir>/receptiond.lock`,
/// held for the life of the process (the kernel drops it when the process ends, however it ends).
///
/// Two daemons on one database would each number events from 1, each run the plugins'
/// background work and checkpoints, and answer different clients about the same rows. The
/// second one is refused at start with the first one's pid, which the lock file holds.
final class StateDirectoryLock: Sendable {
    /// The lock file's path.
    let path: String
    private let descriptor: Int32

    /// Takes the lock, or throws naming the daemon that holds it.
    init(stateDirectory: String) throws(StartupError) {
        path = (stateDirectory as NSString).appendingPathComponent("receptiond.lock")
        // Close-on-exec: a notifier command the daemon runs must not inherit (and keep) the lock.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw StartupError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            let holder = Self.recordedPID(descriptor)
            close(descriptor)
            guard reason == EWOULDBLOCK else {
                throw StartupError("cannot lock \(path): \(String(cString: strerror(reason)))")
            }
            throw StartupError(
                "another receptiond\(holder.map { " (pid \($0))" } ?? "") is already using the state directory "
                    + "\(stateDirectory): stop it first, or give this one its own --state-dir")
        }
        self.descriptor = descriptor
        let text = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit { close(descriptor) }

    /// The pid the holder wrote into the lock file, if it is readable.
    private static func recordedPID(_ descriptor: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
