#!/usr/bin/env python3
"""Plays the browser for the installed native messaging host: starts it, sends native messages
(a 32-bit little-endian length, then UTF-8 JSON) on its stdin and checks what comes back.

    native_host_channel.py ORIGIN EXPECT -- HOST_COMMAND...

EXPECT is "hello" (the channel opens: {"open": {}}, then the adapter's hello frame) or a close
code ("4403": the adapter refused the origin, the host says so and ends). Exits 0 when the host
answered as expected; otherwise prints what came and exits 1. Every read has a deadline.
"""
import json
import select
import struct
import subprocess
import sys
import time

DEADLINE_SECONDS = 60


def read_exactly(stream, count, deadline):
    data = b""
    while len(data) < count:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([stream], [], [], left)[0]:
            raise TimeoutError(f"no native message within {DEADLINE_SECONDS} s")
        chunk = stream.read1(count - len(data))
        if not chunk:
            raise EOFError("the host closed its stdout")
        data += chunk
    return data


def next_message(stream, deadline):
    (length,) = struct.unpack("<I", read_exactly(stream, 4, deadline))
    return json.loads(read_exactly(stream, length, deadline))


def main():
    origin, expect = sys.argv[1], sys.argv[2]
    command = sys.argv[sys.argv.index("--") + 1:]
    host = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + DEADLINE_SECONDS
    received = []
    try:
        body = json.dumps({"open": {"origin": origin}}).encode()
        host.stdin.write(struct.pack("<I", len(body)) + body)
        host.stdin.flush()
        received.append(next_message(host.stdout, deadline))
        if expect == "hello":
            received.append(next_message(host.stdout, deadline))
            ok = received[0] == {"open": {}} and json.loads(received[1]["frame"]).get("type") == "hello"
        else:
            ok = received[0].get("close", {}).get("code") == int(expect)
    except (TimeoutError, EOFError, ValueError, KeyError) as error:
        print(f"native host: {error}")
        ok = False
    finally:
        host.stdin.close()  # the browser closed the channel: the host ends
        try:
            host.wait(timeout=DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            host.kill()
            host.wait()
    if not ok:
        print(f"native host sent: {received}")
        print(f"native host stderr: {host.stderr.read().decode(errors='replace')}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
