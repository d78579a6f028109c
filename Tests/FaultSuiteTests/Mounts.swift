import Foundation
import ReceptionTestSupport

/// A file system mounted for one storage-fault case (root only): a small tmpfs that fills up, or
/// an ext4 loop image (where `chattr +i` also stops writes through descriptors already open,
/// which tmpfs does not). Unmounted by ``unmount()`` or when the value goes away, lazily, so a
/// failing test that leaves the daemon running still cleans up.
final class ScratchMount {
    /// The mount point.
    let path: String
    private var mounted = true
    /// The directory holding the mount point (and an image file); removed after the unmount.
    private let scratch: ScratchDirectory

    /// Whether the suite can mount a tmpfs and change attributes: root, with `mount` and `chattr`.
    static var available: Bool { getuid() == 0 && tool("chattr") != nil && tool("mount") != nil }

    /// Whether an ext4 loop image can be mounted too: `mkfs.ext4` and the loop driver.
    static var loopAvailable: Bool {
        available && tool("mkfs.ext4") != nil && FileManager.default.fileExists(atPath: "/dev/loop-control")
    }

    /// The full path of a system tool, searched in the usual directories.
    static func tool(_ name: String) -> String? {
        ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs a system tool; fails the test with its output when it fails.
    @discardableResult
    static func run(_ name: String, _ arguments: [String]) throws -> CommandResult {
        guard let executable = tool(name) else { throw TestDaemonError("\(name) is not installed") }
        let result = try CommandResult.run(executable, arguments, timeout: .seconds(60))
        guard result.status == 0, !result.terminatedBySignal else {
            throw TestDaemonError("\(name) \(arguments.joined(separator: " ")): \(result)")
        }
        return result
    }

    private init(scratch: ScratchDirectory) {
        self.scratch = scratch
        path = scratch.path + "/state"
    }

    /// A tmpfs of `mebibytes` MiB in a new scratch directory.
    static func tmpfs(mebibytes: Int) throws -> ScratchMount {
        let mount = ScratchMount(scratch: try ScratchDirectory(prefix: "tmpfs"))
        try FileManager.default.createDirectory(atPath: mount.path, withIntermediateDirectories: true)
        try run("mount", ["-t", "tmpfs", "-o", "size=\(mebibytes)m,mode=0755", "tmpfs", mount.path])
        return mount
    }

    /// An ext4 file system in a sparse image file of `mebibytes` MiB, in a new scratch directory.
    static func ext4(mebibytes: Int) throws -> ScratchMount {
        let mount = ScratchMount(scratch: try ScratchDirectory(prefix: "ext4"))
        let image = mount.scratch.path + "/fs.img"
        try FileManager.default.createDirectory(atPath: mount.path, withIntermediateDirectories: true)
        try run("truncate", ["-s", "\(mebibytes)M", image])
        try run("mkfs.ext4", ["-q", "-F", image])
        try run("mount", ["-o", "loop", image, mount.path])
        return mount
    }

    /// Unmounts (lazily: it succeeds even while a killed daemon's files are still open).
    func unmount() {
        guard mounted else { return }
        mounted = false
        _ = try? Self.run("umount", ["-l", path])
    }

    deinit {
        unmount()
    }

    /// Fills the file system with `name` until a write fails with `ENOSPC`; returns the bytes written.
    func fill(with name: String) throws -> Int {
        let fd = open(path + "/" + name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TestDaemonError("cannot create \(name): errno \(errno)") }
        defer { close(fd) }
        var total = 0
        for size in [65_536, 4_096, 512, 1] {
            let block = [UInt8](repeating: 0xA5, count: size)
            while true {
                let written = block.withUnsafeBytes { write(fd, $0.baseAddress, size) }
                if written < 0 {
                    if errno == ENOSPC { break }
                    throw TestDaemonError("filling \(path): errno \(errno)")
                }
                total += written
                if written < size { break }
            }
        }
        return total
    }
}
