/// Why a probe or a traffic generator cannot be set up as asked.
public enum ProbeError: Error, Equatable, CustomStringConvertible {
    case datagramTooSmall(Int, minimum: Int)
    case datagramTooLarge(Int)
    case rateNotPositive(Double)

    public var description: String {
        switch self {
        case .datagramTooSmall(let size, let minimum):
            "a \(size)-byte packet cannot carry a probe: the smallest is \(minimum) bytes (IP + UDP headers + 24-byte probe)"
        case .datagramTooLarge(let size):
            "a \(size)-byte packet is larger than an IPv4 datagram can be (65535 bytes)"
        case .rateNotPositive(let rate):
            "the rate must be more than 0 packets/s, not \(rate)"
        }
    }
}
