// swift-tools-version: 6.0
import PackageDescription

// Dependency direction: taizhang (CLI) → plugin modules → TaizhangCore.
// The core links no C library and knows nothing about the member-ledger domain.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Taizhang",
    products: [
        .executable(name: "taizhang", targets: ["taizhang"]),
        .library(name: "TaizhangCore", targets: ["TaizhangCore"]),
        .library(name: "TaizhangTesting", targets: ["TaizhangTesting"]),
        .plugin(name: "CheckPipelines", targets: ["CheckPipelines"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries from Debian, as system-library targets.
        .systemLibrary(name: "CCSV", path: "Sources/CCSV"),
        .systemLibrary(name: "CUchardet", path: "Sources/CUchardet", pkgConfig: "uchardet"),
        .systemLibrary(name: "CExpat", path: "Sources/CExpat", pkgConfig: "expat"),
        .systemLibrary(name: "CFreeXL", path: "Sources/CFreeXL", pkgConfig: "freexl"),
        .systemLibrary(name: "COpenCC", path: "Sources/COpenCC", pkgConfig: "opencc"),
        .systemLibrary(name: "CXLSXWriter", path: "Sources/CXLSXWriter", pkgConfig: "xlsxwriter"),

        .target(
            name: "TaizhangCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: settings),

        // Built-in plugins: one module per role, one file per plugin.
        .target(
            name: "TaizhangReaders",
            dependencies: ["TaizhangCore", "CCSV", "CUchardet", "CFreeXL", "CExpat",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Plugins/Readers",
            swiftSettings: settings),
        .target(
            name: "TaizhangMemberLedger",
            dependencies: ["TaizhangCore", "TaizhangLinkage", "TaizhangForms", "TaizhangStore", "COpenCC", .product(name: "Crypto", package: "swift-crypto")],
            path: "Plugins/MemberLedger",
            resources: [.embedInCode("member-ledger.yml"), .embedInCode("visit-log.yml"), .embedInCode("forms/objects.yml"), .embedInCode("forms/shares.yml"), .embedInCode("forms/arrangements.yml"), .embedInCode("forms/visits.yml")],
            swiftSettings: settings),
        .target(
            name: "TaizhangExec",
            dependencies: ["TaizhangCore"],
            path: "Plugins/Exec",
            swiftSettings: settings),
        .target(
            name: "TaizhangWriters",
            dependencies: ["TaizhangCore", "CXLSXWriter", "TaizhangForms"],
            path: "Plugins/Writers",
            swiftSettings: settings),
        .target(
            name: "TaizhangFields",
            dependencies: ["TaizhangCore"],
            path: "Plugins/Fields",
            swiftSettings: settings),
        // The store (资料库): the ledger kept between runs, SQLite through GRDB.
        .target(
            name: "TaizhangStore",
            dependencies: ["TaizhangCore", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Plugins/Store",
            swiftSettings: settings),
        // Statistical forms as data: the form file, counting persons into any number of forms.
        .target(
            name: "TaizhangForms",
            dependencies: ["TaizhangCore", "TaizhangReaders", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Plugins/Forms",
            swiftSettings: settings),
        .target(
            name: "TaizhangLinkage",
            dependencies: ["TaizhangCore"],
            path: "Plugins/Linkage",
            swiftSettings: settings),

        // Every built-in plugin in one registry (the CLI's and the tests').
        .target(
            name: "TaizhangBuiltins",
            dependencies: ["TaizhangCore", "TaizhangReaders", "TaizhangWriters", "TaizhangFields", "TaizhangMemberLedger", "TaizhangExec", "TaizhangLinkage", "TaizhangForms", "TaizhangStore"],
            swiftSettings: settings),

        // libFuzzer harness (built only by fuzz/run.sh, with -sanitize=fuzzer,address).
        .executableTarget(
            name: "taizhang-fuzz",
            dependencies: ["TaizhangCore", "TaizhangReaders", "TaizhangBuiltins"],
            path: "fuzz/Harness",
            swiftSettings: settings + [.unsafeFlags(["-parse-as-library"])]),

        .executableTarget(
            name: "taizhang",
            dependencies: [
                "TaizhangCore", "TaizhangBuiltins", "TaizhangReaders", "TaizhangWriters", "TaizhangMemberLedger", "TaizhangForms", "TaizhangStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: settings),

        // The conformance kit plugin authors run against their own plugins.
        .target(
            name: "TaizhangTesting",
            dependencies: ["TaizhangCore"],
            swiftSettings: settings),

        // `swift package check-pipelines`: `taizhang check` on every pipeline under pipelines/.
        .plugin(
            name: "CheckPipelines",
            capability: .command(intent: .custom(verb: "check-pipelines", description: "Check every pipeline under pipelines/ with taizhang check")),
            dependencies: ["taizhang"],
            path: "Plugins/CheckPipelines"),

        // Reads written workbooks back for tests (cells, fills, comments, merges).
        .target(
            name: "TaizhangTestSupport",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Tests/Support"),
        .testTarget(
            name: "TaizhangCoreTests",
            dependencies: ["TaizhangCore"],
            swiftSettings: settings),
        .testTarget(
            name: "TaizhangReadersTests",
            dependencies: ["TaizhangCore", "TaizhangReaders", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: settings),
        .testTarget(
            name: "TaizhangPluginsTests",
            dependencies: ["TaizhangCore", "TaizhangBuiltins", "TaizhangReaders", "TaizhangWriters", "TaizhangFields", "TaizhangLinkage", "TaizhangTestSupport"],
            swiftSettings: settings),
        .testTarget(
            name: "TaizhangMemberLedgerTests",
            dependencies: ["TaizhangCore", "TaizhangBuiltins", "TaizhangMemberLedger", "TaizhangForms", "TaizhangReaders", "TaizhangWriters", "TaizhangFields", "TaizhangTestSupport"],
            swiftSettings: settings),
        .testTarget(
            name: "ConformanceKitTests",
            dependencies: ["TaizhangCore", "TaizhangBuiltins", "TaizhangTesting", "TaizhangReaders", "TaizhangWriters", "TaizhangFields", "TaizhangMemberLedger", "TaizhangExec", "TaizhangLinkage"],
            swiftSettings: settings),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TaizhangCore", "TaizhangTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"), .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings),
    ]
)
