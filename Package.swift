// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "callspool",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "VoiceCallAPI", targets: ["VoiceCallAPI"]),
        .library(name: "CallSpoolCore", targets: ["CallSpoolCore"]),
        .library(name: "CallSpoolSQLite", targets: ["CallSpoolSQLite"]),
        .library(name: "CallSpoolPostgres", targets: ["CallSpoolPostgres"]),
        .library(name: "CallSpool", targets: ["CallSpool"]),
        .library(name: "CallSpoolCLI", targets: ["CallSpoolCLI"]),
        .library(name: "VoiceCallSimulator", targets: ["VoiceCallSimulator"]),
        .executable(name: "callspool", targets: ["callspool"]),
        .executable(name: "callspool-bench", targets: ["CallspoolBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // The HTTP API's runtime (docs/api/openapi.yaml): the generated code
        // is committed (packaging/generate-api.sh), so the generator itself
        // is not a dependency and no build runs it.
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
    ],
    targets: [
        .target(
            name: "VoiceCallAPI",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // renameat2(2) for the spool (not exported by Swift's Glibc module).
        .target(name: "CSpoolSystem"),
        // The engine: model, policies, scheduler, intake, callbacks, results,
        // the store core and the driver protocol. Imports no database library.
        .target(
            name: "CallSpoolCore",
            dependencies: [
                "VoiceCallAPI",
                "CSpoolSystem",
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // The SQLite driver: the only target that imports GRDB.
        .target(
            name: "CallSpoolSQLite",
            dependencies: [
                "CallSpoolCore", "VoiceCallAPI",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The PostgreSQL driver: the only target that imports PostgresNIO.
        .target(
            name: "CallSpoolPostgres",
            dependencies: [
                "CallSpoolCore", "VoiceCallAPI",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Types and server stubs generated from docs/api/openapi.yaml by
        // swift-openapi-generator (packaging/generate-api.sh), committed as
        // generated: never edited by hand, kept out of the warnings check.
        .target(
            name: "CallSpoolOpenAPI",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ]
        ),
        // The daemon on top: opens a store of either kind, loads and reloads
        // the configuration, runs the services (the HTTP API among them).
        .target(
            name: "CallSpool",
            dependencies: [
                "CallSpoolCore", "CallSpoolSQLite", "CallSpoolPostgres", "VoiceCallAPI", "CallSpoolOpenAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // What the CLI shows (status, job, export, report, check) and the demo:
        // presentation over the engine's public API, outside the engine.
        .target(
            name: "CallSpoolCLI",
            dependencies: [
                "CallSpool", "CallSpoolCore", "CallSpoolSQLite", "CallSpoolPostgres", "VoiceCallAPI", "VoiceCallSimulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(
            name: "VoiceCallSimulator",
            dependencies: [
                "VoiceCallAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "callspool",
            dependencies: [
                "VoiceCallAPI",
                "CallSpool", "CallSpoolCore", "CallSpoolSQLite", "CallSpoolPostgres", "CallSpoolCLI",
                "VoiceCallSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "CallspoolBench",
            dependencies: [
                "CallSpool", "CallSpoolCore", "CallSpoolSQLite", "CallSpoolPostgres", "CallSpoolCLI", "VoiceCallAPI", "VoiceCallSimulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Benchmarks/CallspoolBench"
        ),
        // Clocks and polling shared by the test targets.
        .target(name: "CallspoolTestSupport", dependencies: ["VoiceCallAPI"], path: "Tests/TestSupport"),
        .testTarget(
            name: "VoiceCallAPITests",
            dependencies: [
                "VoiceCallAPI", "CallspoolTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "CallSpoolTests",
            dependencies: [
                "CallSpool", "CallSpoolCore", "CallSpoolSQLite", "CallSpoolPostgres", "CallSpoolCLI", "VoiceCallAPI", "CallspoolTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "CallSpool", "CallSpoolCore", "CallSpoolSQLite", "CallSpoolPostgres", "CallSpoolCLI", "VoiceCallAPI", "VoiceCallSimulator", "CallspoolTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "VoiceCallSimulatorTests",
            dependencies: [
                "VoiceCallSimulator", "VoiceCallAPI", "CallspoolTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
