#!/usr/bin/env python3
"""A remote Agent Hive worker in Python (protocol: docs/worker-protocol.md).

Needs only Debian's python3-websockets (apt-get install python3-websockets). It registers with
the capabilities given, then answers every task with a word count of its input; replace
`work()` with a call to a local model or a tool.

    HIVE_WORKER_TOKEN=secret python3 examples/python-worker/worker.py \
        --url ws://127.0.0.1:8080/ws/worker --name py-worker --capability text=0.8
"""
import argparse
import asyncio
import inspect
import json
import os

import websockets


def work(task):
    text = task.get("input")
    text = text if isinstance(text, str) else json.dumps(text)
    return {"words": len(text.split()), "chars": len(text)}


async def run(args):
    headers = {"Authorization": "Bearer " + args.token}
    # websockets >= 14 calls the option additional_headers, older releases extra_headers
    params = inspect.signature(websockets.connect).parameters
    option = "additional_headers" if "additional_headers" in params else "extra_headers"
    async with websockets.connect(args.url, **{option: headers}) as ws:
        register = {"type": "register", "name": args.name, "agent_type": "worker",
                    "capabilities": [{"name": c.split("=")[0],
                                      "proficiency": float(c.split("=")[1]) if "=" in c else 0.5}
                                     for c in args.capability]}
        if args.agent_id:
            register["agent_id"] = args.agent_id
        await ws.send(json.dumps(register))
        async for raw in ws:
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "registered":
                print("registered", frame["agent_id"], flush=True)
            elif kind == "heartbeat":
                await ws.send(json.dumps({"type": "heartbeat"}))
            elif kind == "task_assigned":
                key = {"task_id": frame["task_id"], "attempt": frame["attempt"]}
                await ws.send(json.dumps({"type": "accepted", **key}))
                try:
                    output = work(frame)
                    await ws.send(json.dumps({"type": "result", **key, "output": output}))
                except Exception as error:  # report it; the hub's retry policy decides
                    await ws.send(json.dumps({"type": "failed", **key, "error": str(error),
                                              "retryable": True}))
            elif kind == "error":
                print("hub says:", frame.get("message"), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="ws://127.0.0.1:8080/ws/worker")
    parser.add_argument("--token", default=os.environ.get("HIVE_WORKER_TOKEN"))
    parser.add_argument("--name", default="py-worker")
    parser.add_argument("--agent-id")
    parser.add_argument("--capability", action="append", default=[])
    args = parser.parse_args()
    if not args.token:
        parser.error("a worker token: --token or HIVE_WORKER_TOKEN")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
