import NIOCore
import NetworkAddresses
import OpenFlow
import Packets
@testable import Datapath
