#!/usr/bin/env python3
"""The Python example behind the protocol loop of PROTOCOL.md, with snapshots offered as MODE
says: "none" (not offered: the tool replays), "pickle" (as the example does), or "forgetful"
(offered, but a restore does nothing: the tool must tell, not report a trace that does not replay)."""
import json
import os
import pickle
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "examples", "python"))
import ioasid_impl  # noqa: E402

mode = sys.argv[1]
instance, saved = None, {}
for line in sys.stdin:
    msg = json.loads(line)
    kind = msg["type"]
    if kind == "hello":
        answer = {"type": "hello", "protocol": 1, "name": "snapshots-" + mode, "snapshots": mode != "none"}
    elif kind == "reset":
        instance, saved = ioasid_impl.Ioasid(msg["bounds"]), {}
        answer = {"type": "ready"}
    elif kind == "snapshot":
        saved[len(saved) + 1] = pickle.dumps(instance)
        answer = {"type": "snapshot", "id": len(saved)}
    elif kind == "restore":
        if mode != "forgetful":
            instance = pickle.loads(saved[msg["id"]])
        answer = {"type": "ready"}
    elif kind == "apply":
        answer = {"type": "result", "seq": msg["seq"], "result": instance.apply(msg["op"])}
    else:
        break
    print(json.dumps(answer, separators=(",", ":")), flush=True)
