// swift-tools-version: 6.1
// vnm: live migration of virtual networks over OpenFlow and plane-separated virtual routers.
// Module layout follows ../shared/DESIGN.md; each library is usable and testable alone.
import PackageDescription

/// The codecs run on every message of every connection. ByteBuffer's inlined accessors
/// otherwise pay a dynamic exclusivity check (swift_beginAccess) on each integer read, which
/// profiling showed to be over a quarter of decode time; the codec holds no shared mutable
/// state that such checks protect. Every target of the package gets it in release builds:
/// ByteBuffer's specialisations are emitted in each module that uses them and the linker keeps
/// one copy, so a single module built with the checks put them back into the codec's hot path.
let fastCodec: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "vnm",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "OpenFlow", targets: ["OpenFlow"]),
        .library(name: "Packets", targets: ["Packets"]),
        .library(name: "NetworkAddresses", targets: ["NetworkAddresses"]),
        .library(name: "OpenFlowNIO", targets: ["OpenFlowNIO"]),
        .library(name: "Datapath", targets: ["Datapath"]),
        .library(name: "LinuxTestbed", targets: ["LinuxTestbed"]),
        .executable(name: "vnm", targets: ["vnm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        /// MAC, IPv4 and IPv6 addresses as plain values, shared by the codecs.
        .target(name: "NetworkAddresses", swiftSettings: fastCodec),
        /// OpenFlow 1.0 and 1.3 wire codec (sans-I/O: ByteBuffer in, typed values out).
        .target(
            name: "OpenFlow",
            dependencies: ["NetworkAddresses", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: fastCodec
        ),
        /// Ethernet/802.1Q, ARP, IPv4, ICMP, UDP, LLDP, OSPFv2: parse and build.
        .target(
            name: "Packets",
            dependencies: ["NetworkAddresses", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: fastCodec
        ),
        /// OpenFlow connections over SwiftNIO: framing, the per-connection state machine, handlers.
        .target(
            name: "OpenFlowNIO",
            dependencies: [
                "OpenFlow", "NetworkAddresses",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: fastCodec
        ),
        /// The software OpenFlow switch core (sans-I/O): tables, matching, actions, groups.
        .target(
            name: "Datapath",
            dependencies: ["OpenFlow", "Packets", "NetworkAddresses", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: fastCodec
        ),
        /// Open vSwitch bridges, network namespaces, veth links and hosts on this machine, started
        /// and torn down by pid: the harness of the integration tests and of the linux backend.
        .target(name: "LinuxTestbed", swiftSettings: fastCodec),
        /// The controller: datapath registry, apps (events in, OpenFlow commands out), topology.
        .target(
            name: "Controller",
            dependencies: [
                "OpenFlow", "OpenFlowNIO", "Packets", "NetworkAddresses",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: fastCodec
        ),
        /// The controller's northbound side: REST API (/v1/...), Prometheus metrics on /metrics.
        .target(
            name: "Northbound",
            dependencies: [
                "Controller", "Migration", "OpenFlow", "OpenFlowNIO", "NetworkAddresses",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: fastCodec
        ),
        /// Virtual router control plane (sans-I/O): OSPFv2 on point-to-point links, LSDB, SPF, RIB.
        .target(
            name: "Routing",
            dependencies: ["Packets", "NetworkAddresses", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: fastCodec
        ),
        /// Physical nodes (sans-I/O): hypervisor, VMs with paged guest memory and dirty tracking,
        /// the shared data plane with one FIB per virtual router, demux, binding table, tunnels.
        .target(
            name: "Virtualization",
            dependencies: ["Routing", "Datapath", "Packets", "NetworkAddresses", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: fastCodec
        ),
        /// Scenario files: physical nodes, links, hosts, controller, virtual networks, traffic (YAML).
        .target(
            name: "Scenario",
            dependencies: ["NetworkAddresses", .product(name: "Yams", package: "Yams")],
            swiftSettings: fastCodec
        ),
        /// Migration planners and executors: flow migration (paper, consistent, bulk, delete-first),
        /// pre-copy live migration (Clark et al. 2005), router migration (standard, plane-separated).
        .target(
            name: "Migration",
            dependencies: [
                "Controller", "Virtualization", "Routing", "OpenFlow", "OpenFlowNIO", "Packets", "NetworkAddresses",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: fastCodec
        ),
        /// Where scenarios run: the embedded substrate (software switches, hosts, links, clocks)
        /// and the switch agent that connects a Datapath to any OpenFlow controller.
        .target(
            name: "Substrate",
            dependencies: [
                "OpenFlow", "OpenFlowNIO", "Datapath", "Packets", "NetworkAddresses", "Controller", "Scenario",
                "Routing", "Virtualization", "Migration", "LinuxTestbed",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: fastCodec
        ),
        /// Traffic generators, load generators, probes, experiments and reports.
        .target(
            name: "Lab",
            dependencies: [
                "OpenFlow", "OpenFlowNIO", "NetworkAddresses", "Packets", "Substrate", "Scenario", "Migration",
                "Controller", "LinuxTestbed", "Routing", "Virtualization", "Datapath",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: fastCodec
        ),
        /// The command-line tool's commands, as a testable library.
        .target(
            name: "VNMCommands",
            dependencies: [
                "OpenFlow",
                "Packets",
                "OpenFlowNIO",
                "Lab",
                "Datapath",
                "Controller",
                "Northbound",
                "Substrate",
                "Scenario",
                "Migration",
                "Routing",
                "Virtualization",
                "LinuxTestbed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: fastCodec
        ),
        .executableTarget(name: "vnm", dependencies: ["VNMCommands"], swiftSettings: fastCodec),
        .testTarget(
            name: "OpenFlowTests",
            dependencies: ["OpenFlow", .product(name: "NIOCore", package: "swift-nio")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PacketsTests",
            dependencies: ["Packets", .product(name: "NIOCore", package: "swift-nio")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "NetworkAddressesTests", dependencies: ["NetworkAddresses"]),
        .testTarget(
            name: "OpenFlowNIOTests",
            dependencies: [
                "OpenFlowNIO", "OpenFlow", "NetworkAddresses", "LinuxTestbed",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DatapathTests",
            dependencies: ["Datapath", "OpenFlow", "Packets", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(name: "LinuxTestbedTests", dependencies: ["LinuxTestbed"]),
        .testTarget(
            name: "ControllerTests",
            dependencies: [
                "Controller", "OpenFlowNIO", "OpenFlow", "Packets", "LinuxTestbed", "NetworkAddresses", "Datapath", "Substrate",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SubstrateTests",
            dependencies: [
                "Substrate", "Scenario", "Controller", "LinuxTestbed", "Datapath", "OpenFlowNIO", "OpenFlow", "Packets", "NetworkAddresses",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "LabTests",
            dependencies: [
                "Lab", "OpenFlowNIO", "OpenFlow", "Substrate", "Scenario", "Packets", "NetworkAddresses",
                "Migration", "Controller", "Routing", "Virtualization", "Datapath",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "NorthboundTests",
            dependencies: [
                "Northbound", "Controller", "Migration", "OpenFlowNIO", "OpenFlow", "NetworkAddresses",
                "Datapath", "Substrate", "LinuxTestbed", "Packets",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "RoutingTests",
            dependencies: ["Routing", "Packets", "NetworkAddresses", "LinuxTestbed", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "VirtualizationTests",
            dependencies: ["Virtualization", "Routing", "Datapath", "Packets", "NetworkAddresses", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "NetworkAddresses"], resources: [.copy("Resources")]),
        .testTarget(
            name: "MigrationTests",
            dependencies: [
                "Migration", "Controller", "Virtualization", "Routing", "OpenFlow", "OpenFlowNIO", "Packets",
                "NetworkAddresses", "LinuxTestbed", "Lab", "Substrate", "Datapath",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "VNMCommandsTests",
            dependencies: ["VNMCommands", "OpenFlow", "Lab", .product(name: "NIOCore", package: "swift-nio")],
            resources: [.copy("Resources")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
