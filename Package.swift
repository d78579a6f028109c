// swift-tools-version:6.2
// receptiond: the front-desk daemon, its plugin SDK, its client, and its department plugins.
//
// Module graph (dependencies point down only):
//
//   receptiond ─► ReceptionDaemon ─► ReceptionStore, ReceptionPluginHost, ReceptionSystemd ─► ReceptionProtocol
//   receptionctl ─► ReceptionClient ─► ReceptionProtocol
//   receptiond, receptionctl ─► ReceptionTOML (strict TOML config files)
//   Plugins/* (dynamic libraries) ─► ReceptionPluginSDK ─► ReceptionPluginContract, CReceptionABI
//   ReceptionPluginHost ─► ReceptionPluginContract ─► ReceptionProtocol
//   ReceptionPluginTesting ─► ReceptionPluginSDK (plugin tests run a department in-process)
//
// The daemon never links the SDK and plugins never link the daemon: they meet only at the C ABI
// in `CReceptionABI`, with JSON bytes crossing it. Both sides read and write those bytes with the
// one `ReceptionPluginContract` module.
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "receptiond",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "receptiond", targets: ["receptiond"]),
        .executable(name: "receptionctl", targets: ["receptionctl"]),
        /// The benchmark tool (issue 6): seeds a state directory and drives load over the socket.
        .executable(name: "reception-bench", targets: ["reception-bench"]),
        /// The library third parties build department plugins against.
        .library(name: "ReceptionPluginSDK", targets: ["ReceptionPluginSDK"]),
        /// The in-process testing kit for department plugins (issue 11): a plugin on a temporary
        /// SQLite file, called through the daemon's own contract code.
        .library(name: "ReceptionPluginTesting", targets: ["ReceptionPluginTesting"]),
        /// Department plugins, loaded by the daemon at run time (`libreceptiond-<name>.so`).
        .library(name: "receptiond-example", type: .dynamic, targets: ["ExamplePluginExport"]),
        .library(name: "receptiond-parcels", type: .dynamic, targets: ["ParcelsPluginExport"]),
        .library(name: "receptiond-access", type: .dynamic, targets: ["AccessPluginExport"]),
        .library(name: "receptiond-utilities", type: .dynamic, targets: ["UtilitiesPluginExport"]),
        .library(name: "receptiond-meetings", type: .dynamic, targets: ["MeetingsPluginExport"]),
        .library(name: "receptiond-visitors", type: .dynamic, targets: ["VisitorsPluginExport"]),
        .library(name: "receptiond-desk", type: .dynamic, targets: ["DeskPluginExport"]),
        .library(name: "receptiond-cases", type: .dynamic, targets: ["CasesPluginExport"]),
        /// Test fixtures: deliberately broken plugins (not named `libreceptiond-*`, so never loaded by default).
        .library(name: "fixture-badabi", type: .dynamic, targets: ["BadABIFixture"]),
        /// Test fixture (LD_PRELOAD): sockets of any family but AF_UNIX refused, as under the unit's hardening.
        .library(name: "fixture-noinet", type: .dynamic, targets: ["NoInetFixture"]),
        /// Test fixture: a plugin built against the ABI header before `stop` was appended.
        .library(name: "fixture-oldtable", type: .dynamic, targets: ["OldTableFixture"]),
        .library(name: "fixture-badmigration", type: .dynamic, targets: ["BadMigrationFixture"]),
        /// Test fixture: an LD_PRELOAD shim that gives the Swift runtime an empty argv.
        .library(name: "fixture-emptyargv", type: .dynamic, targets: ["EmptyArgvShim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // MARK: C boundaries
        .target(name: "CReceptionABI"),
        /// <sys/epoll.h> for the benchmark's load client.
        .target(name: "CBenchEpoll"),
        /// glibc's <malloc.h>: the daemon trims freed memory after bursts.
        .target(name: "CGlibcMalloc"),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),

        // MARK: Wire format shared by every side
        .target(name: "ReceptionProtocol", swiftSettings: strict),
        /// The plugin contract (manifest, method descriptors, roles, schema subset, params
        /// validation, caller and event records), used by the host and the SDK alike.
        .target(
            name: "ReceptionPluginContract", dependencies: ["ReceptionProtocol", "CReceptionABI"], swiftSettings: strict),
        /// TOML config files read strictly (the daemon's receptiond.conf, receptionctl's config.toml).
        .target(
            name: "ReceptionTOML", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")], swiftSettings: strict),

        // MARK: Plugin SDK
        .target(
            name: "ReceptionPluginSDK",
            dependencies: [
                "ReceptionProtocol", "ReceptionPluginContract", "CReceptionABI",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),

        .target(
            name: "ReceptionPluginTesting",
            dependencies: [
                "ReceptionPluginSDK", "ReceptionPluginContract",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),

        // MARK: Daemon layers
        .target(
            name: "ReceptionSystemd",
            dependencies: ["CSystemd", "ReceptionProtocol", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "ReceptionStore",
            dependencies: [
                "ReceptionProtocol",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "ReceptionPluginHost",
            dependencies: [
                "ReceptionProtocol", "ReceptionPluginContract", "CReceptionABI",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "ReceptionDaemon",
            dependencies: [
                "ReceptionProtocol", "ReceptionPluginContract", "ReceptionStore", "ReceptionPluginHost",
                "ReceptionSystemd", "CGlibcMalloc", "ReceptionTOML",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "receptiond",
            dependencies: [
                "ReceptionDaemon", "ReceptionProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // MARK: Client
        .target(name: "ReceptionClient", dependencies: ["ReceptionProtocol"], swiftSettings: strict),
        .executableTarget(
            name: "receptionctl",
            dependencies: [
                "ReceptionClient", "ReceptionProtocol", "ReceptionTOML",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // MARK: Benchmark tool
        .executableTarget(
            name: "reception-bench",
            dependencies: [
                "ReceptionProtocol",
                "CBenchEpoll",
                // DeskText.unitKey: the seeder keys units as parcels.receive does.
                "ReceptionPluginSDK",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),

        // MARK: Department plugins
        .target(
            name: "ExamplePlugin", dependencies: ["ReceptionPluginSDK"], path: "Plugins/Example", exclude: ["Export"],
            swiftSettings: strict),
        .target(
            name: "ExamplePluginExport", dependencies: ["ExamplePlugin", "ReceptionPluginSDK"], path: "Plugins/Example/Export",
            swiftSettings: strict),
        .target(
            name: "ParcelsPlugin", dependencies: ["ReceptionPluginSDK"], path: "Plugins/Parcels", exclude: ["Export"],
            swiftSettings: strict),
        .target(
            name: "ParcelsPluginExport", dependencies: ["ParcelsPlugin", "ReceptionPluginSDK"], path: "Plugins/Parcels/Export",
            swiftSettings: strict),
        .target(
            name: "AccessPlugin", dependencies: ["ReceptionPluginSDK"], path: "Plugins/Access", exclude: ["Export"],
            swiftSettings: strict),
        .target(
            name: "AccessPluginExport", dependencies: ["AccessPlugin", "ReceptionPluginSDK"], path: "Plugins/Access/Export",
            swiftSettings: strict),
        .target(
            name: "UtilitiesPlugin", dependencies: ["ReceptionPluginSDK"], path: "Plugins/Utilities", exclude: ["Export"],
            swiftSettings: strict),
        .target(
            name: "UtilitiesPluginExport", dependencies: ["UtilitiesPlugin", "ReceptionPluginSDK"],
            path: "Plugins/Utilities/Export", swiftSettings: strict),
        .target(
            name: "MeetingsPlugin", dependencies: ["ReceptionPluginSDK"], path: "Plugins/Meetings", exclude: ["Export"],
            swiftSettings: strict),
        .target(
            name: "MeetingsPluginExport", dependencies: ["MeetingsPlugin", "ReceptionPluginSDK"],
            path: "Plugins/Meetings/Export", swiftSettings: strict),
        .target(
            name: "VisitorsPlugin", dependencies: ["ReceptionPluginSDK"], path: "Plugins/Visitors", exclude: ["Export"],
            swiftSettings: strict),
        .target(
            name: "VisitorsPluginExport", dependencies: ["VisitorsPlugin", "ReceptionPluginSDK"],
            path: "Plugins/Visitors/Export", swiftSettings: strict),
        .target(
            name: "DeskPlugin", dependencies: ["ReceptionPluginSDK"], path: "Plugins/Desk", exclude: ["Export"],
            swiftSettings: strict),
        .target(
            name: "DeskPluginExport", dependencies: ["DeskPlugin", "ReceptionPluginSDK"],
            path: "Plugins/Desk/Export", swiftSettings: strict),
        .target(
            name: "CasesPlugin", dependencies: ["ReceptionPluginSDK"], path: "Plugins/Cases", exclude: ["Export"],
            swiftSettings: strict),
        .target(
            name: "CasesPluginExport", dependencies: ["CasesPlugin", "ReceptionPluginSDK"],
            path: "Plugins/Cases/Export", swiftSettings: strict),

        // MARK: Tests
        .target(name: "BadABIFixture", dependencies: ["CReceptionABI"], path: "Tests/Fixtures/BadABIFixture", swiftSettings: strict),
        .target(name: "EmptyArgvShim", path: "Tests/Fixtures/EmptyArgvShim"),
        .target(name: "COldReceptionABI", path: "Tests/Fixtures/COldReceptionABI"),
        .target(name: "NoInetFixture", path: "Tests/Fixtures/NoInetFixture"),
        .target(
            name: "OldTableFixture", dependencies: ["COldReceptionABI"], path: "Tests/Fixtures/OldTableFixture",
            swiftSettings: strict),
        .target(name: "BadMigrationFixture", dependencies: ["ReceptionPluginSDK"], path: "Tests/Fixtures/BadMigrationFixture", swiftSettings: strict),
        /// A thread of a test connecting as another user (per-thread setresuid).
        .target(name: "CThreadCredentials", path: "Tests/CThreadCredentials"),
        .target(
            name: "ReceptionTestSupport",
            dependencies: ["ReceptionClient", "ReceptionProtocol"],
            path: "Tests/ReceptionTestSupport",
            swiftSettings: strict),
        .testTarget(
            name: "ReceptionDaemonTests",
            dependencies: [
                "ReceptionTestSupport", "ReceptionClient", "ReceptionProtocol", "ReceptionDaemon", "receptiond",
                "receptionctl", "reception-bench",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "ReceptionSystemdTests",
            dependencies: ["ReceptionSystemd", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(
            name: "ReceptionClientTests",
            dependencies: ["ReceptionClient", "ReceptionProtocol"],
            swiftSettings: strict),
        .testTarget(
            name: "ReceptionStoreTests",
            dependencies: [
                "ReceptionStore", "ReceptionProtocol", .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "ReceptionPluginSDKTests",
            dependencies: ["ReceptionPluginSDK", .product(name: "GRDBSQLite", package: "GRDB.swift")],
            swiftSettings: strict),
        .testTarget(
            name: "ReceptionProtocolTests",
            dependencies: ["ReceptionProtocol", "ReceptionPluginSDK", "ReceptionPluginContract"],
            swiftSettings: strict),
        /// The template department's rules, in-process through the testing kit.
        .testTarget(
            name: "ExamplePluginTests", dependencies: ["ExamplePlugin", "ReceptionPluginTesting"],
            swiftSettings: strict),
        .testTarget(
            name: "ParcelsPluginTests",
            dependencies: [
                "ReceptionTestSupport", "ReceptionClient", "ReceptionProtocol", "receptiond", "receptionctl",
                "ParcelsPlugin", "ReceptionPluginTesting",
            ],
            swiftSettings: strict),
        /// Issue 10's fault suite: the real daemon under fuzzing, kill -9, SIGTERM, storage faults and
        /// abuse; `RECEPTIOND_SOAK=1` makes it a soak, `RECEPTIOND_FAULT_REPORT=<file>` collects its figures.
        .testTarget(
            name: "FaultSuiteTests",
            dependencies: [
                "ReceptionTestSupport", "ReceptionClient", "ReceptionProtocol", "receptiond", "CThreadCredentials",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "AccessPluginTests",
            dependencies: [
                "ReceptionTestSupport", "ReceptionClient", "ReceptionProtocol", "receptiond", "receptionctl",
                "AccessPlugin", "ReceptionPluginTesting",
            ],
            swiftSettings: strict),
        /// Issue 13's utility prepurchase desk: rules in-process through the testing kit.
        .testTarget(
            name: "UtilitiesPluginTests",
            dependencies: [
                "ReceptionTestSupport", "ReceptionClient", "ReceptionProtocol", "receptiond", "receptionctl",
                "UtilitiesPlugin", "ReceptionPluginTesting",
            ],
            swiftSettings: strict),
        /// Issue 14's meeting rooms: rules in-process through the testing kit.
        .testTarget(
            name: "MeetingsPluginTests",
            dependencies: [
                "ReceptionTestSupport", "ReceptionClient", "ReceptionProtocol", "receptiond", "receptionctl",
                "MeetingsPlugin", "ReceptionPluginTesting",
            ],
            swiftSettings: strict),
        /// Issue 15's visitors desk: rules in-process through the testing kit.
        .testTarget(
            name: "VisitorsPluginTests",
            dependencies: [
                "ReceptionTestSupport", "ReceptionClient", "ReceptionProtocol", "receptiond", "receptionctl",
                // AccessPlugin: the key rules run it beside visitors, as the daemon loads both.
                "VisitorsPlugin", "AccessPlugin", "ReceptionPluginTesting",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "DeskPluginTests",
            dependencies: [
                "ReceptionTestSupport", "ReceptionClient", "ReceptionProtocol", "receptiond", "receptionctl",
                "DeskPlugin", "ReceptionPluginTesting", "ParcelsPlugin", "AccessPlugin", "UtilitiesPlugin", "CasesPlugin",
            ],
            swiftSettings: strict),
        /// Issue 16's front-desk cases: rules in-process through the testing kit, flows over the socket.
        .testTarget(
            name: "CasesPluginTests",
            dependencies: [
                "ReceptionTestSupport", "ReceptionClient", "ReceptionProtocol", "receptiond", "receptionctl",
                "CasesPlugin", "ReceptionPluginTesting",
            ],
            swiftSettings: strict),
    ]
)
