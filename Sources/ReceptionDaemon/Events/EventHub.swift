import Foundation
import Logging
import NIOCore
import ReceptionProtocol
import ReceptionStore

/// Delivers committed changes to subscribed connections as `event` notifications.
///
/// Events arrive from the writer thread after each commit, get the next per-daemon sequence
/// number, and are written to every subscriber whose topic prefixes match, in commit order.
/// A subscriber whose unsent events pass `subscriber_buffer_bytes` (it stopped reading) gets a
/// final `events.dropped` notice and is disconnected, so one slow client never grows the daemon's
/// memory. Only events count: a subscriber that pipelines requests and reads its replies is
/// never dropped for them (those replies are bounded by `reply_buffer_bytes`).
public final class EventHub: @unchecked Sendable {
    // `sequence` and `subscribers` are guarded by `lock`.
    private let lock = NSLock()
    private var sequence: Int64 = 0
    private var subscribers: [Int: ConnectionState] = [:]
    private let settings: SettingsBox
    private let replyMemory: ReplyMemory
    private let logger: Logger

    init(settings: SettingsBox, replyMemory: ReplyMemory, logger: Logger) {
        self.settings = settings
        self.replyMemory = replyMemory
        self.logger = logger
    }

    /// The last sequence number handed out.
    public var currentSequence: Int64 { lock.withLock { sequence } }
    /// How many connections are subscribed.
    public var subscriberCount: Int { lock.withLock { subscribers.count } }

    /// Subscribes `connection` to `topics` (prefixes; empty means everything).
    func subscribe(_ connection: ConnectionState, topics: [String]) -> Int64 {
        connection.setTopics(topics)
        return lock.withLock {
            subscribers[connection.id] = connection
            return sequence
        }
    }

    /// Removes a subscription.
    func unsubscribe(_ connection: ConnectionState) {
        connection.setTopics(nil)
        _ = lock.withLock { subscribers.removeValue(forKey: connection.id) }
    }

    /// Whether `topic` falls under one of `prefixes` (whole dot-separated segments).
    static func matches(_ topic: String, _ prefixes: [String]) -> Bool {
        if prefixes.isEmpty { return true }
        for prefix in prefixes {
            if prefix.isEmpty || prefix == "*" || topic == prefix || topic.hasPrefix(prefix + ".") { return true }
        }
        return false
    }

    /// An event as published: numbered and timed.
    struct Published {
        let topic: String
        let seq: Int64
        let time: String
        let data: String
    }

    /// Publishes the events of one commit. Called on the writer thread. Returns them numbered.
    @discardableResult
    func publish(_ events: [PendingEvent]) -> [Published] {
        let time = Timestamp.format(Date())
        let (numbered, targets, published): ([(String, String)], [ConnectionState], [Published]) = lock.withLock {
            var numbered: [(String, String)] = []
            var published: [Published] = []
            numbered.reserveCapacity(events.count)
            // The lines are written only when someone is watching (most commits, nobody is).
            let watched = !subscribers.isEmpty
            for event in events {
                sequence += 1
                published.append(Published(topic: event.topic, seq: sequence, time: time, data: event.data))
                guard watched else { continue }
                var line = "{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"data\":"
                line += event.data
                line += ",\"operator\":"
                Self.writeOptional(event.operator, to: &line)
                line += ",\"seq\":\(sequence),\"time\":\"\(time)\",\"topic\":"
                JSONValue.writeString(event.topic, to: &line)
                line += ",\"workstation\":"
                Self.writeOptional(event.workstation, to: &line)
                line += "}}\n"
                numbered.append((event.topic, line))
            }
            return (numbered, Array(subscribers.values), published)
        }
        if targets.isEmpty { return published }
        let lastSequence = currentSequence
        let limit = settings.current.limits.subscriberBufferBytes
        let memory = replyMemory
        for subscriber in targets {
            guard let topics = subscriber.topics else { continue }
            let lines = numbered.filter { Self.matches($0.0, topics) }.map(\.1)
            if lines.isEmpty { continue }
            guard let channel = subscriber.channel else { continue }
            channel.eventLoop.execute {
                // Dropped (or unsubscribed) since this delivery was queued: send nothing more.
                guard channel.isActive, subscriber.topics != nil else { return }
                // Checked per line: one large commit must not overrun the backlog limit.
                let unsent = subscriber.unsentEventBytes.load(ordering: .relaxed)
                var buffer = channel.allocator.buffer(capacity: lines.reduce(0) { $0 + $1.utf8.count })
                var overflow = false
                for line in lines {
                    // One event always goes out to a subscriber that has nothing unsent, however large.
                    let queued = unsent + buffer.readableBytes
                    if queued > 0, queued + line.utf8.count > limit {
                        overflow = true
                        break
                    }
                    buffer.writeString(line)
                }
                let size = buffer.readableBytes
                if size > 0 {
                    subscriber.unsentEventBytes.add(size, ordering: .relaxed)
                    // Unsent events count in the daemon-wide budget too.
                    memory.add(size)
                    channel.writeAndFlush(buffer).whenComplete { _ in
                        subscriber.unsentEventBytes.subtract(size, ordering: .relaxed)
                        memory.release(size)
                    }
                }
                if overflow { self.drop(subscriber, lastSequence: lastSequence) }
            }
        }
        return published
    }

    /// Writes `text` as a JSON string, or `null` when there is none.
    private static func writeOptional(_ text: String?, to line: inout String) {
        if let text {
            JSONValue.writeString(text, to: &line)
        } else {
            line += "null"
        }
    }

    private func drop(_ subscriber: ConnectionState, lastSequence: Int64) {
        unsubscribe(subscriber)
        logger.warning(
            "event subscriber dropped: it stopped reading and its backlog is full",
            metadata: subscriber.metadata())
        let notice = RPCResponse.notification(
            method: "events.dropped",
            params: [
                "reason": "subscriber too slow: unsent events exceeded the backlog limit; reconnect and resubscribe",
                "seq": .int(lastSequence),
            ])
        guard let channel = subscriber.channel else { return }
        // The notice goes out once the client reads its backlog; a client that never reads is
        // closed after a short grace period regardless.
        channel.writeAndFlush(channel.allocator.buffer(string: notice + "\n")).whenComplete { _ in
            channel.close(promise: nil)
        }
        channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
    }
}
