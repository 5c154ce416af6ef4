#!/usr/bin/env python3
"""A small os-ken (the maintained Ryu) controller app, the peer of SubstrateTests' switch agent
test: a controller nobody in vnm wrote.

- On SWITCH_FEATURES it installs the table-miss flow (priority 0, match all, output CONTROLLER
  with the whole frame).
- On each PACKET_IN it installs a flow (priority 1, in_port and eth_dst of the packet, output
  port 2) and sends the frame out of port 2 with a PACKET_OUT.

Usage: python3 Scripts/osken_simple_switch.py PORT
(os-ken 4.x has no osken-manager command; this starts its AppManager directly. os-ken ignores
SIGTERM: stop it with SIGKILL.)
"""
import sys

from os_ken import cfg
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.ofproto import ofproto_v1_3


class SimpleSwitch(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def switch_features(self, ev):
        datapath = ev.msg.datapath
        ofp = datapath.ofproto
        parser = datapath.ofproto_parser
        actions = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)]
        instructions = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        datapath.send_msg(
            parser.OFPFlowMod(datapath=datapath, priority=0, match=parser.OFPMatch(), instructions=instructions))

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        msg = ev.msg
        datapath = msg.datapath
        ofp = datapath.ofproto
        parser = datapath.ofproto_parser
        in_port = msg.match["in_port"]
        data = msg.data
        eth_dst = ":".join("%02x" % b for b in data[0:6])
        actions = [parser.OFPActionOutput(2)]
        instructions = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        datapath.send_msg(
            parser.OFPFlowMod(
                datapath=datapath, priority=1, match=parser.OFPMatch(in_port=in_port, eth_dst=eth_dst),
                instructions=instructions))
        datapath.send_msg(
            parser.OFPPacketOut(
                datapath=datapath, buffer_id=ofp.OFP_NO_BUFFER, in_port=in_port, actions=actions, data=data))


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 6653
    cfg.CONF(args=["--ofp-tcp-listen-port", str(port), "--ofp-listen-host", "127.0.0.1"], project="os_ken")
    app_manager.AppManager.run_apps([__name__])


if __name__ == "__main__":
    main()
