// swift-tools-version:6.1
// libFuzzer targets for callspool's parsers of hostile input. Not part of the
// main package: built only by Fuzz/run.sh, with -sanitize=fuzzer,address
// (libFuzzer supplies `main`). `callspool` is a symlink to the package root,
// so the dependency's identity is "callspool" whatever the checkout is named.
import PackageDescription

let package = Package(
    name: "callspool-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "callspool"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        .executableTarget(
            name: "FuzzJobFile",
            dependencies: [.product(name: "CallSpoolCore", package: "callspool")]),
        .executableTarget(
            name: "FuzzCallbackEvent",
            dependencies: [.product(name: "VoiceCallAPI", package: "callspool")]),
        .executableTarget(
            name: "FuzzCallbackAuth",
            dependencies: [
                .product(name: "VoiceCallAPI", package: "callspool"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
    ]
)
