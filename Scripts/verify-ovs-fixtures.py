#!/usr/bin/python3
"""Check the annotated-hex OpenFlow fixtures written by capture-ovs-fixtures.py.

    /usr/bin/python3 Scripts/verify-ovs-fixtures.py Tests/OpenFlowTests/Fixtures/ovs

For every *.hex file (recursively): the hex parses, exactly one OpenFlow message whose
header length equals the byte count, and `ovs-ofctl ofp-print` of the bytes reports no
decode error (`***`, "decode error") and matches the ofp-print text embedded in the file.
Also reports duplicates (equal bytes after zeroing the xid).
"""

import os
import re
import subprocess
import sys


def read_fixture(path):
    data = bytearray()
    printed, in_print = [], False
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("#"):
            if line.startswith("# ofp-print:"):
                in_print = True
            elif in_print and (line.startswith("#   ") or line == "#"):
                printed.append(line[4:] if line != "#" else "")
            else:
                in_print = False
            continue
        in_print = False
        code = line.split("#", 1)[0].strip()
        if not code:
            continue
        for tok in code.split():
            if not re.fullmatch(r"[0-9a-fA-F]{2}", tok):
                raise ValueError("bad hex token %r" % tok)
            data.append(int(tok, 16))
    return bytes(data), "\n".join(printed)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "Tests/OpenFlowTests/Fixtures/ovs"
    bad, n, seen = 0, 0, {}
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if not f.endswith(".hex"):
                continue
            path = os.path.join(dirpath, f)
            n += 1
            try:
                msg, embedded = read_fixture(path)
            except ValueError as e:
                print("FAIL %s: %s" % (path, e)); bad += 1; continue
            if len(msg) < 8 or int.from_bytes(msg[2:4], "big") != len(msg):
                print("FAIL %s: header length != %d bytes" % (path, len(msg))); bad += 1; continue
            key = msg[:4] + b"\0\0\0\0" + msg[8:]
            if key in seen:
                print("DUP  %s == %s" % (path, seen[key]))
            seen[key] = path
            r = subprocess.run(["ovs-ofctl", "ofp-print", msg.hex()], capture_output=True, text=True)
            out = (r.stdout + re.sub(r"(?m)^\S+\|\d+\|", "", r.stderr)).rstrip("\n")
            if "***" in out or "decode error" in out.lower():
                print("WARN %s: ofp-print reports a problem:\n  %s" % (path, out.splitlines()[0]))
            if out != embedded:
                print("FAIL %s: embedded ofp-print differs from a fresh one" % path); bad += 1
    print("%d fixtures checked, %d failures" % (n, bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
