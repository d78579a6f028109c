import CGlibcMalloc
import Foundation

/// Gives memory freed after a burst back to the system.
///
/// glibc keeps what a burst of connections freed (their buffers, replies and backlogs) in its
/// arenas for reuse, so the daemon's resident size stays at its peak long after abusive clients
/// are gone. Once a second this checks how much the allocator has handed out; when that has
/// fallen by at least ``threshold`` since its highest point after the last trim, it calls
/// `malloc_trim(0)`, which returns the free pages of every arena. A steady daemon never trims.
///
/// It also keeps ``ReplyMemory``'s budget and reply limit in step with a reloaded
/// `reply_memory_bytes` and `max_reply_bytes`.
struct MemoryTrimmer: Sendable {
    let memory: ReplyMemory
    let settings: SettingsBox
    /// How far the allocator's use must fall before a trim is worth its cost.
    static let threshold = 8 << 20

    func run() async {
        var highest = reception_malloc_in_use()
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let limits = settings.current.limits
            if memory.limit != limits.replyMemoryBytes { memory.limit = limits.replyMemoryBytes }
            if memory.maxReplyBytes != limits.maxReplyBytes { memory.maxReplyBytes = limits.maxReplyBytes }
            let inUse = reception_malloc_in_use()
            if inUse > highest {
                highest = inUse
            } else if highest - inUse >= Self.threshold {
                _ = reception_malloc_trim()
                highest = inUse
            }
        }
    }
}

/// The daemon's own memory as the kernel counts it.
enum ProcessMemory {
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
