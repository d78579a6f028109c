import Foundation
import Synchronization

/// A value read on every call and replaced rarely (the configured plugin, replaced on reload):
/// readers share a read-write lock, so reader threads never wait for each other, where a mutex
/// made them queue on the hot path.
final class ReadMostly<Value: Sendable>: @unchecked Sendable {
    // `value` is guarded by `lock`, which is allocated once and never moves.
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    private var value: Value

    /// A box holding `value`.
    init(_ value: Value) {
        self.value = value
        lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// The value now.
    var current: Value {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return value
    }

    /// Replaces the value; calls already running keep the one they read.
    func replace(_ newValue: Value) {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        value = newValue
    }
}

/// What the SDK works out once per Swift type (a params struct's or a record's layout), found
/// again without a lock: lookups read an immutable list published through an atomic pointer;
/// adding a type (once per type, at first use) publishes a longer copy under a mutex. Every list
/// ever published is kept: there are as many as there are types, and a reader may still hold one.
final class TypeCache<Value: Sendable>: Sendable {
    /// One published list.
    private final class Entries: Sendable {
        let items: [(ObjectIdentifier, Value)]
        init(_ items: [(ObjectIdentifier, Value)]) { self.items = items }
    }

    /// The newest list's address (retained by `lists`; 0 before the first).
    private let published = Atomic<Int>(0)
    /// Every list published, keeping each alive.
    private let lists = Mutex<[Entries]>([])

    /// An empty cache.
    init() {}

    /// The value for `type`, made by `make` (outside any lock: it may look up other types) the
    /// first time.
    func value(for type: Any.Type, make: () -> Value) -> Value {
        let key = ObjectIdentifier(type)
        if let found = lookup(key) { return found }
        let made = make()
        return lists.withLock { lists in
            let current = lists.last?.items ?? []
            if let found = current.first(where: { $0.0 == key }) { return found.1 }
            let next = Entries(current + [(key, made)])
            lists.append(next)
            published.store(Int(bitPattern: Unmanaged.passUnretained(next).toOpaque()), ordering: .releasing)
            return made
        }
    }

    private func lookup(_ key: ObjectIdentifier) -> Value? {
        guard let raw = UnsafeRawPointer(bitPattern: published.load(ordering: .acquiring)) else { return nil }
        return Unmanaged<Entries>.fromOpaque(raw)._withUnsafeGuaranteedRef { entries in
            for (candidate, value) in entries.items where candidate == key { return value }
            return nil
        }
    }
}
