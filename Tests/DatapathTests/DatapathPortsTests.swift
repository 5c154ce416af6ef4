import NIOCore
import NetworkAddresses
import OpenFlow
import Testing

@testable import Datapath

@Suite struct DatapathPortsTests {
    func status(_ outputs: [DatapathOutput]) -> [OF13.PortStatus] {
        outputs.messages.compactMap { if case .portStatus(let s) = $0 { s } else { nil } }
    }

    @Test func addModifyRemoveReportPortStatus() throws {
        var dp = Datapath()
        let added = status(dp.addPort(number: 5, name: "eth5", now: t0))
        #expect(added.map(\.reason) == [.add])
        #expect(added.first?.port.name == "eth5")
        #expect(added.first?.port.state.contains(.live) == true)
        let down = status(dp.setLink(5, up: false, now: t0))
        #expect(down.map(\.reason) == [.modify])
        #expect(down.first?.port.state.contains(.linkDown) == true)
        #expect(dp.setLink(5, up: false, now: t0).isEmpty)  // no change, no message
        #expect(status(dp.removePort(5, now: t0)).map(\.reason) == [.delete])
        #expect(dp.portList.isEmpty)
        #expect(dp.removePort(5, now: t0).isEmpty)
    }

    @Test func portModChangesConfigUnderTheMask() {
        var dp = makeDatapath(ports: 2)
        let port = dp.port(1)!
        let outputs = dp.send(.portMod(OF13.PortMod(portNumber: 1, hardwareAddress: port.hardwareAddress, config: [.portDown, .noPacketIn], mask: [.portDown])))
        #expect(status(outputs).first?.port.config == [.portDown])
        #expect(dp.send(.portMod(OF13.PortMod(portNumber: 9, hardwareAddress: port.hardwareAddress, config: [], mask: []))).errorName == "OFPET_PORT_MOD_FAILED/OFPPMFC_BAD_PORT")
        #expect(dp.send(.portMod(OF13.PortMod(portNumber: 1, hardwareAddress: mac(0xFFF), config: [], mask: []))).errorName == "OFPET_PORT_MOD_FAILED/OFPPMFC_BAD_HW_ADDR")
    }

    @Test func noPacketInSilencesPacketInsFromThatPort() {
        var dp = makeDatapath(ports: 2)
        dp.install(priority: 0, [], [apply(.output(port: OF13.PortNumber.controller, maxLength: 0xFFFF))])
        let port = dp.port(1)!
        _ = dp.send(.portMod(OF13.PortMod(portNumber: 1, hardwareAddress: port.hardwareAddress, config: [.noPacketIn], mask: [.noPacketIn])))
        #expect(dp.receive(packet: udpFrame(), inPort: 1, now: t0).isEmpty)
        #expect(dp.receive(packet: udpFrame(), inPort: 2, now: t0).packetIns.count == 1)
    }
}
