import ArgumentParser
import ReceptionProtocol

/// `reception-bench`: fills a state directory with realistic data and measures a running
/// `receptiond` from outside, over its socket, like a real client (issue 6).
@main
struct Bench: AsyncParsableCommand {
    /// The command line: `seed`, `run` and `floor`.
    static let configuration = CommandConfiguration(
        commandName: "reception-bench",
        abstract: "Seeds a receptiond state directory and drives load against a running daemon.",
        discussion: """
            reception-bench seed --state-dir DIR                fill DIR with 20,000 units and 1,000,000 parcels
            reception-bench run --socket S --workload ping      50 connections, 10 s after a 1 s warm-up
            reception-bench floor --state-dir DIR               the disk's and SQLite's floor under durable writes

            Build it in release mode for measurements (swift build -c release); the daemon, its plugins and \
            this tool are then side by side in .build/release.
            """,
        version: ReceptionVersion.current,
        subcommands: [SeedCommand.self, RunCommand.self, FloorCommand.self])
}
