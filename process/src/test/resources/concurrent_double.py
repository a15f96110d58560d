#!/usr/bin/env python3
"""A test double that declares concurrent requests and answers them two at a time, the later one
first (MODE "reverse"), or answers the first with a seq no request has (MODE "unknown-seq").
Every operation is answered failed(EINVAL). Not named concurrent.py: that would shadow the standard
library's concurrent package for the scripts beside it that import the example."""
import json
import sys

mode = sys.argv[1]
waiting = []
for line in sys.stdin:
    msg = json.loads(line)
    if msg["type"] == "hello":
        print(json.dumps({"type": "hello", "protocol": 1, "name": "concurrent-double", "concurrent": True}), flush=True)
    elif msg["type"] == "reset":
        print(json.dumps({"type": "ready"}), flush=True)
    elif msg["type"] == "apply":
        if not msg.get("concurrent"):
            print("a plain request to a concurrent double", file=sys.stderr, flush=True)
            sys.exit(4)
        if mode == "unknown-seq":
            print(json.dumps({"type": "result", "seq": 999, "result": {"result": "done"}}), flush=True)
            continue
        waiting.append(msg["seq"])
        if len(waiting) == 2:
            for seq in reversed(waiting):
                print(json.dumps({"type": "result", "seq": seq, "result": {"result": "failed", "errno": "EINVAL"}}),
                      flush=True)
            waiting.clear()
    elif msg["type"] == "bye":
        break
