/// Why the embedded network cannot be built as asked; each case names the element.
public enum EmbeddedNetworkError: Error, Hashable, Sendable, CustomStringConvertible {
    case duplicateName(String)
    case unknownNode(String)
    case portInUse(node: String, port: UInt32)
    case hostAlreadyLinked(String)
    case duplicateDatapathID(UInt64, name: String)
    case invalidOption(element: String, String)

    public var description: String {
        switch self {
        case .duplicateName(let name): "the name '\(name)' is used twice"
        case .unknownNode(let name): "no switch or host is called '\(name)'"
        case .portInUse(let node, let port): "port \(port) of '\(node)' already has a link"
        case .hostAlreadyLinked(let name): "host '\(name)' has one interface and it already has a link"
        case .duplicateDatapathID(let id, let name): "switch '\(name)': datapath id \(id) is already used"
        case .invalidOption(let element, let why): "'\(element)': \(why)"
        }
    }
}
