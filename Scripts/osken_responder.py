#!/usr/bin/env python3
"""The peer of `vnm bench controller`: os-ken (the maintained Ryu) running the same responder
app as vnm's controller: every PACKET_IN is answered with one FLOW_MOD that matches the
packet's in_port and destination MAC and outputs to port 2 (what cbench's emulated switches
count as a response).

Usage: python3 Scripts/osken_responder.py PORT
(os-ken 4.x has no osken-manager command; this starts its AppManager directly.)
"""
import sys

from os_ken import cfg
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import MAIN_DISPATCHER, set_ev_cls
from os_ken.ofproto import ofproto_v1_3


class Responder(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        msg = ev.msg
        datapath = msg.datapath
        ofp = datapath.ofproto
        parser = datapath.ofproto_parser
        in_port = msg.match["in_port"]
        data = msg.data
        eth_dst = ":".join("%02x" % b for b in data[0:6]) if len(data) >= 6 else "00:00:00:00:00:00"
        match = parser.OFPMatch(in_port=in_port, eth_dst=eth_dst)
        actions = [parser.OFPActionOutput(2)]
        instructions = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        datapath.send_msg(
            parser.OFPFlowMod(
                datapath=datapath, priority=1, match=match, instructions=instructions,
                buffer_id=msg.buffer_id))


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 6653
    cfg.CONF(args=["--ofp-tcp-listen-port", str(port), "--ofp-listen-host", "127.0.0.1"], project="os_ken")
    app_manager.AppManager.run_apps([__name__])


if __name__ == "__main__":
    main()
