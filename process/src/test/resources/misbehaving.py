#!/usr/bin/env python3
"""A test double that keeps the protocol until step N, then breaks it the way MODE says:
crash, hang, garbage, out-of-order, wrong-type; or wrong-protocol / silent-hello at the hello.
Until then it answers every operation with failed(EINVAL), which the model allows only for
operations that are refused, so tests use steps that are: the engine must report the break."""
import json
import sys
import time

mode, at = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1
applied = 0
for line in sys.stdin:
    msg = json.loads(line)
    if msg["type"] == "hello":
        if mode == "silent-hello":
            time.sleep(60)
        print(json.dumps({"type": "hello", "protocol": 99 if mode == "wrong-protocol" else 1, "name": "misbehaving"}), flush=True)
    elif msg["type"] == "reset":
        print(json.dumps({"type": "ready"}), flush=True)
    elif msg["type"] == "apply":
        applied += 1
        if applied == at:
            print("about to " + mode, file=sys.stderr, flush=True)
            if mode == "crash":
                sys.exit(3)
            if mode == "hang":
                time.sleep(60)
            if mode == "garbage":
                print("Segmentation fault (core dumped)", flush=True)
                continue
            if mode == "out-of-order":
                print(json.dumps({"type": "result", "seq": msg["seq"] + 1, "result": {"result": "done"}}), flush=True)
                continue
            if mode == "wrong-type":
                print(json.dumps({"type": "result", "seq": msg["seq"], "result": {"result": "allocated", "id": "one"}}), flush=True)
                continue
        print(json.dumps({"type": "result", "seq": msg["seq"], "result": {"result": "failed", "errno": "EINVAL"}}), flush=True)
    elif msg["type"] == "bye":
        break
