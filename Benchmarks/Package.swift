// swift-tools-version: 6.1
// Benchmarks of vnm, with ordo-one's package-benchmark: time and allocations per operation.
// Run: swift package --package-path Benchmarks benchmark
import PackageDescription

let package = Package(
    name: "vnm-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "vnm", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "CodecBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "OpenFlow", package: "vnm"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/CodecBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
