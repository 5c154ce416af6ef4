import ArgumentParser
import Foundation
import NIOCore
import OpenFlow

/// `vnm fuzz codec`: unbounded fuzzing of the OpenFlow decoder. Inputs that trap are written,
/// from a signal handler, as hex files into the crash directory, to be kept as regression
/// fixtures; inputs that break the decode-encode-decode property are written the same way.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Fuzz the codecs with random and mutated messages.",
        subcommands: [Codec.self]
    )

    struct Codec: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fuzz the OpenFlow decoder (unbounded unless --iterations is given)."
        )

        @Option(help: "Stop after this many inputs (default: run until interrupted).")
        var iterations: Int?

        @Option(help: "Random seed.")
        var seed: UInt64 = UInt64(Date().timeIntervalSince1970)

        @Option(help: "A directory of seed messages as hex files (e.g. Tests/OpenFlowTests/Fixtures/ovs).")
        var corpus: String?

        @Option(help: "Where to write inputs that crash or violate a property.")
        var crashDirectory: String = "fuzz-crashes"

        func run() throws {
            var seeds = OpenFlowExamples.all.map { Array($0.encoded.readableBytesView) }
            if let corpus { seeds += try FixtureFile.loadDirectory(corpus).map(\.bytes) }
            try FileManager.default.createDirectory(atPath: crashDirectory, withIntermediateDirectories: true)
            CrashCapture.install(directory: crashDirectory)
            var fuzzer = OpenFlowFuzzer(seed: seed, seeds: seeds)
            print("fuzzing the OpenFlow decoder: seed \(seed), \(seeds.count) seed messages, crashes to \(crashDirectory)/")
            var counts = (decoded: 0, rejected: 0, incomplete: 0, violations: 0)
            let start = Date()
            var done = 0
            while iterations.map({ done < $0 }) ?? true {
                let input = fuzzer.nextInput()
                CrashCapture.remember(input)
                do {
                    switch try OpenFlowFuzzer.check(input) {
                    case .decoded: counts.decoded += 1
                    case .rejected: counts.rejected += 1
                    case .incomplete: counts.incomplete += 1
                    }
                } catch {
                    counts.violations += 1
                    let path = "\(crashDirectory)/violation-\(seed)-\(done).hex"
                    try ("# \(error.description)\n" + HexBytes.format(input) + "\n").write(
                        toFile: path, atomically: true, encoding: .utf8)
                    print("property violated, input written to \(path): \(error.description)")
                }
                done += 1
                if done % 200_000 == 0 {
                    let rate = Double(done) / Date().timeIntervalSince(start)
                    print(
                        "\(done) inputs (\(Int(rate))/s): \(counts.decoded) decoded, \(counts.rejected) rejected, "
                            + "\(counts.incomplete) incomplete, \(counts.violations) violations")
                }
            }
            print(
                "\(done) inputs: \(counts.decoded) decoded, \(counts.rejected) rejected, "
                    + "\(counts.incomplete) incomplete, \(counts.violations) violations")
            if counts.violations > 0 { throw ExitCode(1) }
        }
    }
}

/// Keeps the current fuzz input in preallocated memory and, on a fatal signal, writes it as
/// hex to `crash-<pid>.hex` using only async-signal-safe calls.
enum CrashCapture {
    nonisolated(unsafe) static var input = UnsafeMutablePointer<UInt8>.allocate(capacity: 70_000)
    nonisolated(unsafe) static var inputCount = 0
    nonisolated(unsafe) static var hex = UnsafeMutablePointer<UInt8>.allocate(capacity: 140_002)
    nonisolated(unsafe) static var path = UnsafeMutablePointer<CChar>.allocate(capacity: 4096)

    static func install(directory: String) {
        let name = "\(directory)/crash-\(getpid()).hex"
        _ = name.withCString { strncpy(path, $0, 4095) }
        for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            signal(sig) { sig in
                let digits: StaticString = "0123456789abcdef"
                let d = digits.utf8Start
                for i in 0..<CrashCapture.inputCount {
                    CrashCapture.hex[2 * i] = d[Int(CrashCapture.input[i] >> 4)]
                    CrashCapture.hex[2 * i + 1] = d[Int(CrashCapture.input[i] & 0xF)]
                }
                CrashCapture.hex[2 * CrashCapture.inputCount] = 10
                let fd = open(CrashCapture.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                if fd >= 0 {
                    _ = write(fd, CrashCapture.hex, 2 * CrashCapture.inputCount + 1)
                    close(fd)
                }
                _exit(128 + sig)
            }
        }
    }

    static func remember(_ bytes: [UInt8]) {
        let count = min(bytes.count, 70_000)
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { input.update(from: base, count: count) }
        }
        inputCount = count
    }
}
