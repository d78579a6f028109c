import NIOCore

/// Round-robin service of busy connections on one event loop, in short runs between polls.
///
/// A connection dispatches only a few lines straight from a read; a client that pipelines
/// more leaves the rest in its backlog and queues here. Each run serves the queued connections
/// one slice each (``ConnectionHandler/sliceLines`` lines), in turn, for at most ``runTime``, then
/// schedules the next run a moment later. NIO runs every ready task before it polls its sockets
/// again, so an immediate task would keep a flood of pipelined requests ahead of everyone; a
/// task in the (near) future ends the loop's turn, and the sockets are polled first. So a desk
/// sending one request waits for at most one run and one poll, however many requests the other
/// connections have queued.
final class FairShare: @unchecked Sendable {
    // Every member is touched on `eventLoop` only (the handlers it serves live there).
    /// The loop this scheduler serves.
    let eventLoop: any EventLoop
    /// Longest run of slices before the loop polls its sockets again.
    static let runTime = TimeAmount.milliseconds(1)
    /// Pause between runs: long enough for the loop to end its turn and poll.
    static let pause = TimeAmount.microseconds(50)
    private var queue = CircularBuffer<() -> Bool>()
    private var scheduled = false

    /// A scheduler for `eventLoop`.
    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Queues a connection's next slice. `slice` dispatches what it may and says whether the
    /// connection has more to do now (it is then queued again, at the back).
    func enqueue(_ slice: @escaping () -> Bool) {
        eventLoop.preconditionInEventLoop()
        queue.append(slice)
        scheduleRun()
    }

    private func scheduleRun() {
        guard !scheduled, !queue.isEmpty else { return }
        scheduled = true
        eventLoop.assumeIsolated().scheduleTask(in: Self.pause) { self.run() }
    }

    private func run() {
        scheduled = false
        let end = NIODeadline.now() + Self.runTime
        // Round-robin until the run's time is up: a connection goes to the back after its slice.
        while let slice = queue.popFirst() {
            if slice() { queue.append(slice) }
            if NIODeadline.now() >= end { break }
        }
        scheduleRun()
    }
}

/// The ``FairShare`` of each event loop of the server's group.
struct FairShares: Sendable {
    private let byLoop: [ObjectIdentifier: FairShare]

    /// One scheduler per loop of `group`.
    init(group: any EventLoopGroup) {
        var byLoop: [ObjectIdentifier: FairShare] = [:]
        for loop in group.makeIterator() {
            byLoop[ObjectIdentifier(loop)] = FairShare(eventLoop: loop)
        }
        self.byLoop = byLoop
    }

    /// The scheduler of `loop` (a new one if the loop is not of the group).
    func of(_ loop: any EventLoop) -> FairShare {
        byLoop[ObjectIdentifier(loop)] ?? FairShare(eventLoop: loop)
    }
}
