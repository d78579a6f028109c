// ReceptionDaemon: the daemon behind the socket. This file holds only its documentation:
// which thread runs what, and in which order an event and a reply leave.
//
// # Threads
//
// Event loops: `MultiThreadedEventLoopGroup`, one thread per core (`SocketServer.start`).
//   A connection lives on one loop for its whole life. On that loop: the connection and
//   per-user limits, the peer's credentials and role, line framing (`BoundedLineDecoder` over
//   ReceptionProtocol's `LineSplitter`), the `ConnectionHandler` (deadlines, backpressure, the
//   loop's `FairShare` of busy connections), and `Dispatcher.handle`: JSON parsing, batches,
//   role and params checks, routing. Built-ins that answer at once (`daemon.ping`, `daemon.hello`,
//   `daemon.status`, `daemon.methods`, `events.subscribe`, `events.unsubscribe`) run there to the
//   end. Replies are framed and written there, in request order; events are written to each
//   subscriber there. A plugin write is queued on the writer from the loop as its line is
//   dispatched, so one connection's writes commit in the order it sent them.
//
// Reader threads: `ReaderPool`, one thread per core (2 to 8) `receptiond.reader.N`, each with its own read-only
//   SQLite connection. Plugin methods with access `read` or `connection` run there, each in one
//   read transaction, in submission order as threads come free. A read that a connection
//   pipelines after one of its writes is handed to the readers only once that write's outcome
//   is known (read your own writes); that hand-over runs on the writer's thread. A read's outcome
//   goes back to its connection's loop through an `EventLoopPromise` (`Pending` → promise), and
//   the reply is framed there.
//
// The writer: one serial dispatch queue, `receptiond.writer` (`WriteQueue`). Every plugin write,
//   from the socket or from a plugin's background work (`submit_write`), runs there in the order
//   queued: up to 256 jobs per transaction, each in its own savepoint, its audit record in the
//   same transaction. SQLite's WAL hook runs there after each commit (`Checkpointer`). The commit
//   does not wait for the disk (`synchronous=NORMAL`): the group goes to `WALSync`, whose thread
//   `receptiond.walsync` `fdatasync`s the WAL (one sync for every group committed meanwhile)
//   while the writer runs the next group; a lone request with nothing queued behind it is synced
//   on the writer's own thread instead. Once the sync has returned, that thread does, for each
//   group in commit order:
//   1. `EventHub.publish`: numbers the commit's events (`seq`) and queues each subscriber's lines
//      on that subscriber's event loop (`EventLoop.execute`), where they are written unless the
//      subscriber's unsent events pass `subscriber_buffer_bytes` (it is then dropped);
//   2. `PluginRegistry.deliverCommitted`: calls each plugin's `committed` hook with the events on
//      the topics it asked for (`committedTopics`, all of its own by default), synchronously;
//   3. each job's completion, in job order: a refused job is counted in the `RefusalLedger`; the
//      job's `Pending` completes, which resolves its reply's promise (the reply is then framed on
//      the connection's loop, queued after the event lines of step 1) and hands reads waiting for
//      it to the readers.
//
// Other threads of the store: `receptiond.checkpoint` copies the WAL back on its own connection;
//   GRDB's pool has two reader connections for the daemon's own reads (`audit.query`,
//   `audit.refusals`); `receptiond.refusals` flushes the refusal ledger through GRDB's writer
//   connection; `receptiond.backup` copies the database for `admin.backup`;
//   `receptiond.repeating-error-log` times the once-a-minute log summaries.
//
// Swift tasks (the global concurrent executor): built-ins that wait (`audit.query`,
//   `audit.refusals`, `admin.backup`, `daemon.reload`) and batches run as tasks started from the
//   loop (`EventLoopPromise.completeWithTask`); their reply goes back to the loop through the
//   promise. A built-in read waits for the connection's last write first. `Daemon.run` is the
//   service's task: start-up, then child tasks for SIGHUP reloads (`Reloader`), the systemd
//   watchdog (when systemd asks for one), the status line and the memory trimmer (each waking
//   periodically), then the shutdown sequence.
//
// Plugins run on the thread of the work: a method on a reader thread (one read per reader at once)
//   or on the writer's thread, `committed` on the thread that answers the commit (above), `configure`
//   on the start-up task and on the reload's task (reloads run one at a time; the daemon does
//   not hold calls for them), `shutdown` once, on `Daemon.run`'s task after the writer has
//   drained, the readers have stopped and the event loops are shut down. A plugin may own
//   threads or queues of its own (the parcels notifier runs its command on the serial queue
//   `parcels.notifier`); what they change comes back through `submit_write`, to the writer.
//
// # An event and the writer's reply
//
// A connection subscribed to a topic that makes a write emitting an event on it receives the
// `event` line before the write's reply (unless it is dropped for falling behind): the event's lines are queued on the connection's loop
// (step 1) before the write's completion resolves the reply's promise (step 3), the loop runs
// queued work in order, and the reply is written no earlier than its promise is resolved (later,
// if an earlier request of the connection is still unanswered). The same holds for every event
// of the commit and every reply to that commit's writes, batches included (their task resumes
// after step 3). Other connections get the event whenever their own loops run it, with no order
// against the writer's reply. protocol.md's "Events" section states the guarantee;
// `EventOrderTests` checks it.
