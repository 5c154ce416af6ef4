#!/usr/bin/env python3
"""os-ken's classic learning switch (Ryu's simple_switch_13, unchanged in substance): a
controller nobody in vnm wrote, run as one virtual network's controller behind `vnm slice`.

- On SWITCH_FEATURES: the table-miss flow (priority 0, match all, output CONTROLLER).
- On each PACKET_IN: learn eth_src on in_port; if eth_dst is known, install a flow (priority 1,
  in_port, eth_src, eth_dst -> that port) and send the frame there, else FLOOD it.

It knows nothing of slicing: the proxy confines its match-all table-miss, its flows and its
FLOODs to the network's flowspace and ports.

Usage: python3 Scripts/osken_learning_switch.py PORT   (stop it with SIGKILL: eventlet ignores SIGTERM)
"""
import sys

from os_ken import cfg
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.ofproto import ofproto_v1_3


class LearningSwitch(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mac_to_port = {}

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def switch_features(self, ev):
        datapath = ev.msg.datapath
        ofp = datapath.ofproto
        parser = datapath.ofproto_parser
        actions = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)]
        self.add_flow(datapath, 0, parser.OFPMatch(), actions)

    def add_flow(self, datapath, priority, match, actions):
        ofp = datapath.ofproto
        parser = datapath.ofproto_parser
        instructions = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        datapath.send_msg(parser.OFPFlowMod(datapath=datapath, priority=priority, match=match, instructions=instructions))

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        msg = ev.msg
        datapath = msg.datapath
        ofp = datapath.ofproto
        parser = datapath.ofproto_parser
        in_port = msg.match["in_port"]
        data = msg.data
        dst = ":".join("%02x" % b for b in data[0:6])
        src = ":".join("%02x" % b for b in data[6:12])
        table = self.mac_to_port.setdefault(datapath.id, {})
        table[src] = in_port
        out_port = table.get(dst, ofp.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            self.add_flow(datapath, 1, parser.OFPMatch(in_port=in_port, eth_src=src, eth_dst=dst), actions)
        payload = data if msg.buffer_id == ofp.OFP_NO_BUFFER else None
        datapath.send_msg(
            parser.OFPPacketOut(datapath=datapath, buffer_id=msg.buffer_id, in_port=in_port, actions=actions, data=payload))


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 6653
    cfg.CONF(args=["--ofp-tcp-listen-port", str(port), "--ofp-listen-host", "127.0.0.1"], project="os_ken")
    app_manager.AppManager.run_apps([__name__])


if __name__ == "__main__":
    main()
