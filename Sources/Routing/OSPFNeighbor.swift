import NIOCore
import NetworkAddresses
import Packets

/// The neighbour data structure of RFC 2328 §10 for the one neighbour of a point-to-point
/// interface.
struct OSPFNeighbor: Sendable {
    var routerID: IPv4Address
    /// The neighbour's interface address (the source of its packets): the next hop.
    var address: IPv4Address
    var options: OSPFv2Options = []
    var state: OSPFNeighborState = .down
    var inactivityDeadline: NIODeadline

    // Database exchange (§10.6, §10.8).
    var isMaster = false
    var ddSequenceNumber: UInt32 = 0
    /// Flags, options and sequence number of the last DD accepted, to spot duplicates.
    var lastReceivedDD: (flags: OSPFv2DatabaseDescription.Flags, options: OSPFv2Options, sequence: UInt32)?
    var lastSentDD: OSPFv2DatabaseDescription?
    /// When the master resends its last DD if unanswered.
    var ddRetransmitDeadline: NIODeadline?
    /// LSA headers still to describe (the Database summary list).
    var summaryList: [OSPFv2LSAHeader] = []

    /// The Link state request list: LSAs the neighbour has that are newer than ours.
    var requestList: [OSPFv2LSAHeader] = []
    /// Requests in the last LSR sent, still unanswered.
    var outstandingRequests: Set<OSPFv2LSAHeader.Key> = []
    var requestRetransmitDeadline: NIODeadline?

    /// The Link state retransmission list: LSAs flooded to the neighbour and not acknowledged.
    var retransmissionList: [OSPFv2LSAHeader.Key: OSPFv2LSA] = [:]
    var retransmitDeadline: NIODeadline?

    init(routerID: IPv4Address, address: IPv4Address, now: NIODeadline) {
        self.routerID = routerID
        self.address = address
        inactivityDeadline = now
    }

    /// Empties the three lists (§10.3, on SeqNumberMismatch, BadLSReq, 1-Way, KillNbr).
    mutating func clearLists() {
        summaryList = []
        requestList = []
        outstandingRequests = []
        requestRetransmitDeadline = nil
        retransmissionList = [:]
        retransmitDeadline = nil
        lastReceivedDD = nil
        lastSentDD = nil
        ddRetransmitDeadline = nil
    }

    func requestIndex(_ key: OSPFv2LSAHeader.Key) -> Int? { requestList.firstIndex { $0.key == key } }
}

/// A neighbour as seen from outside.
public struct OSPFNeighborSummary: Hashable, Sendable {
    public var interface: String
    public var routerID: IPv4Address
    public var address: IPv4Address
    public var state: OSPFNeighborState
}
