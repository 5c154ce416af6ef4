import NIOCore

/// Renders decoded OpenFlow values as one readable line per message, in the spirit of
/// `ovs-ofctl ofp-print`: `name=value` pairs, nested structures in braces, lists in brackets,
/// bit sets and ids in hex, payloads as (at most 64 bytes of) hex.
///
/// It walks values with `Mirror`, so every message type prints without a hand-written
/// description; types that have a better short form (matches, actions, addresses) provide
/// `CustomStringConvertible` and are printed with it.
public enum MessageFormatter {
    public static func format(_ value: Any) -> String {
        switch value {
        case let buffer as ByteBuffer:
            let view = buffer.readableBytesView
            if view.isEmpty { return "\"\"" }
            let shown = HexBytes.format(view.prefix(64))
            return view.count > 64 ? "\(shown)...(\(view.count) bytes)" : shown
        case let string as String:
            return "\"\(string)\""
        case let convertible as any CustomStringConvertible:
            return convertible.description
        case let raw as any RawRepresentable:
            // Bit sets and other raw-valued types without a description: the raw value in hex.
            return hex(rawValue(of: raw))
        default:
            return formatChildren(value)
        }
    }

    private static func rawValue<T: RawRepresentable>(of value: T) -> Any { value.rawValue }

    private static func hex(_ value: Any) -> String {
        guard let integer = value as? any BinaryInteger else { return "\(value)" }
        return "0x" + String(integer, radix: 16)
    }

    private static func formatChildren(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let child = mirror.children.first else { return "none" }
            return format(child.value)
        case .enum:
            guard let child = mirror.children.first else { return "\(value)" }
            let name = child.label ?? "\(value)"
            let inner = Mirror(reflecting: child.value)
            if inner.displayStyle == .tuple {
                let parts = inner.children.map { c -> String in
                    let label = c.label.map { $0.hasPrefix(".") ? "" : $0 + "=" } ?? ""
                    return label + format(c.value)
                }
                return "\(name)(\(parts.joined(separator: ",")))"
            }
            return "\(name)(\(format(child.value)))"
        case .struct, .class:
            let parts = mirror.children.map { child in
                "\(child.label ?? "?")=\(format(child.value))"
            }
            return "{" + parts.joined(separator: " ") + "}"
        case .collection, .set:
            return "[" + mirror.children.map { format($0.value) }.joined(separator: ", ") + "]"
        case .tuple:
            return "(" + mirror.children.map { format($0.value) }.joined(separator: ", ") + ")"
        default:
            return "\(value)"
        }
    }
}

extension OpenFlowMessage: CustomStringConvertible {
    /// `OFPT_FLOW_MOD (OF1.3) xid=0x7: {cookie=... match=in_port=1,... instructions=[...]}`
    public var description: String {
        let head = "\(typeName) (\(OpenFlowVersion.name(version))) xid=0x\(String(xid, radix: 16))"
        switch self {
        case .hello(let hello, _, _):
            return "\(head): \(hello)"
        case .of10(let message, _):
            return "\(head): \(MessageFormatter.format(message))"
        case .of13(let message, _):
            return "\(head): \(MessageFormatter.format(message))"
        }
    }
}
