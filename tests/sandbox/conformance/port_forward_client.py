#!/usr/bin/python3
"""Client side of the port-forward tests and benchmark: talks to a local port that a
`kubectl port-forward` (or a direct connection) leads to a simulated workload port.

  ping PORT VERSION        GET /api/v4/system/ping; exits 1 unless the body names VERSION
  concurrent PORT N VERSION  N pings at once, each on its own connection; all must succeed
  bulk PORT BYTES          asks the bulk port for BYTES bytes; checks count and pattern
  throughput PORT BYTES    like bulk, prints "BYTES SECONDS" (no pattern check: measure only)
"""
import json
import socket
import sys
import threading
import time
import urllib.request


def ping(port, version):
    url = f"http://127.0.0.1:{port}/api/v4/system/ping"
    with urllib.request.urlopen(url, timeout=60) as response:
        body = json.loads(response.read())
    want = {"status": "OK", "version": version}
    if body != want:
        raise AssertionError(f"ping answered {body}, want {want}")


def read_bulk(port, count, check):
    """Requests `count` bytes from the bulk port; returns (received, seconds)."""
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        start = time.monotonic()
        sock.sendall(f"{count}\n".encode())
        buffer = bytearray(1 << 20)
        view = memoryview(buffer)
        received = 0
        alphabet = bytes(range(ord("a"), ord("z") + 1)) * ((len(buffer) // 26) + 2)
        while True:
            n = sock.recv_into(view)
            if n == 0:
                break
            if check:
                offset = received % 26
                if view[:n] != alphabet[offset:offset + n]:
                    raise AssertionError(f"bulk data differs from the pattern near byte {received}")
            received += n
        return received, time.monotonic() - start


def main(argv):
    command, port = argv[1], int(argv[2])
    if command == "ping":
        ping(port, argv[3])
        print("ping ok")
    elif command == "concurrent":
        count, version = int(argv[3]), argv[4]
        errors = []
        barrier = threading.Barrier(count)

        def one():
            try:
                barrier.wait(timeout=60)
                ping(port, version)
            except Exception as error:  # collected and reported below
                errors.append(repr(error))

        threads = [threading.Thread(target=one) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise AssertionError(f"{len(errors)} of {count} pings failed: {errors[:3]}")
        print(f"{count} concurrent pings ok")
    elif command in ("bulk", "throughput"):
        count = int(argv[3])
        received, seconds = read_bulk(port, count, check=command == "bulk")
        if received != count:
            raise AssertionError(f"bulk port sent {received} bytes, want {count}")
        if command == "bulk":
            print(f"bulk {received} bytes intact")
        else:
            print(f"{received} {seconds:.6f}")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except AssertionError as error:
        print(f"FAIL: {error}", file=sys.stderr)
        sys.exit(1)
