import CGlibcMalloc
import Foundation

/// Gives memory freed after a burst back to the system.
///
/// glibc keeps what a burst of connections freed (their buffers, replies and backlogs, and the
/// results the reader threads built) in its arenas for reuse, so the daemon's resident size
/// stays at its peak long after abusive clients are gone. Once a second this compares the
/// anonymous memory the kernel counts as resident with what the allocator has handed out;
/// when more than ``threshold`` is resident but free, it calls `malloc_trim(0)`, which returns
/// the free pages of every arena. If a trim gives back little (the free memory is scattered
/// between live blocks), the next try waits twice as long, up to a minute. A steady daemon
/// never trims.
struct MemoryTrimmer: Sendable {
    /// How much resident free memory makes a trim worth its cost.
    static let threshold = 8 << 20

    /// Fixes the allocator's mapping and trimming thresholds (see `reception_malloc_configure`):
    /// without it, one large reply makes glibc keep every later one in its arenas.
    static func configureAllocator() -> Bool {
        reception_malloc_configure() == 1
    }

    func run() async {
        var wait = 1
        var waited = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            waited += 1
            guard waited >= wait, let before = ProcessMemory.anonymousBytes else { continue }
            waited = 0
            guard before - reception_malloc_allocated() > Self.threshold else {
                wait = 1
                continue
            }
            _ = reception_malloc_trim()
            let after = ProcessMemory.anonymousBytes ?? before
            wait = before - after >= Self.threshold / 8 ? 1 : min(wait * 2, 60)
        }
    }
}

/// The daemon's own memory as the kernel counts it.
enum ProcessMemory {
    /// Resident anonymous memory in bytes (resident minus file-backed and shared pages of
    /// /proc/self/statm), `nil` when unreadable.
    static var anonymousBytes: Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count >= 3, let resident = Int(fields[1]), let shared = Int(fields[2]) else { return nil }
        return (resident - shared) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Resident set size in bytes (`VmRSS` of /proc/self/status), `nil` when unreadable.
    static var residentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kib = Int(fields[1]) { return kib * 1024 }
        }
        return nil
    }
}
