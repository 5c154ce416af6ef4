import NIOCore
import NetworkAddresses

extension OSPFv2Packet {
    /// A Database Description packet carrying `description`.
    public init(databaseDescription description: OSPFv2DatabaseDescription, routerID: IPv4Address, areaID: IPv4Address) {
        self.init(type: .databaseDescription, routerID: routerID, areaID: areaID, body: description.encoded())
    }

    /// A Link State Request packet carrying `request`.
    public init(linkStateRequest request: OSPFv2LinkStateRequest, routerID: IPv4Address, areaID: IPv4Address) {
        self.init(type: .linkStateRequest, routerID: routerID, areaID: areaID, body: request.encoded())
    }

    /// A Link State Update packet carrying `update`.
    public init(linkStateUpdate update: OSPFv2LinkStateUpdate, routerID: IPv4Address, areaID: IPv4Address) {
        self.init(type: .linkStateUpdate, routerID: routerID, areaID: areaID, body: update.encoded())
    }

    /// A Link State Acknowledgment packet carrying `acknowledgment`.
    public init(
        linkStateAcknowledgment acknowledgment: OSPFv2LinkStateAcknowledgment, routerID: IPv4Address, areaID: IPv4Address
    ) {
        self.init(type: .linkStateAcknowledgment, routerID: routerID, areaID: areaID, body: acknowledgment.encoded())
    }
}
