#!/usr/bin/env python3
"""catalogprobe.py --url ws://HOST:PORT/ws/catalog?namespace=NS --clients N --expect-pods P

Opens N WebSocket clients one after another (a raw client: no library, nothing but the
handshake and frame reading), each until it knows every pod: its first "catalog" message and,
when that says "complete":false (a large namespace), the pod upserts that follow. Prints
key=value lines: snapshot_ms_median and _max (from sending the handshake to the last byte of
the snapshot), snapshot_bytes, pods, jobs. Exits 1 when fewer than P pods are told."""
import argparse
import base64
import json
import os
import socket
import statistics
import struct
import sys
import time
from urllib.parse import urlsplit


def read_exact(sock, buf, n):
    while len(buf) < n:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise EOFError("connection closed")
        buf += chunk
    return buf


def first_message(url, expect_pods):
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
    key = base64.b64encode(os.urandom(16)).decode()
    path = parts.path + ("?" + parts.query if parts.query else "")
    started = time.monotonic()
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
                  f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: pullwatch.v2\r\n\r\n")
                 .encode())
    buf = b""
    snapshot, size, names = None, 0, set()
    while b"\r\n\r\n" not in buf:
        buf = read_exact(sock, buf, len(buf) + 1)
    head, buf = buf.split(b"\r\n\r\n", 1)
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError("no upgrade: " + head.split(b"\r\n", 1)[0].decode(errors="replace"))
    while True:
        message = b""
        while True:  # one message, in one or more frames
            buf = read_exact(sock, buf, 2)
            b0, b1 = buf[0], buf[1]
            length, at = b1 & 0x7F, 2
            if length == 126:
                buf = read_exact(sock, buf, 4)
                length, at = struct.unpack(">H", buf[2:4])[0], 4
            elif length == 127:
                buf = read_exact(sock, buf, 10)
                length, at = struct.unpack(">Q", buf[2:10])[0], 10
            buf = read_exact(sock, buf, at + length)
            message += buf[at:at + length]
            buf = buf[at + length:]
            if b0 & 0x80:
                break
        if (b0 & 0x0F) in (0x9, 0xA):  # ping or pong: not a message
            continue
        doc = json.loads(message)
        if doc.get("type") == "catalog":
            snapshot, size = doc, len(message)
            names = {p["name"] for p in doc.get("pods", [])}
        elif doc.get("type") == "pod" and doc.get("action") == "upsert" and snapshot:
            names.add(doc["pod"]["name"])
            size += len(message)
        else:
            continue
        if snapshot.get("complete", True) or len(names) >= expect_pods:
            elapsed = time.monotonic() - started
            sock.close()
            snapshot["pods"] = sorted(names)
            return elapsed, size, snapshot


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--clients", type=int, default=5)
    p.add_argument("--expect-pods", type=int, default=0)
    a = p.parse_args()
    times, size, pods, jobs = [], 0, 0, 0
    for _ in range(a.clients):
        elapsed, size, doc = first_message(a.url, a.expect_pods)
        times.append(elapsed * 1000)
        pods, jobs = len(doc.get("pods", [])), len(doc.get("jobs", []))
        if pods < a.expect_pods:
            print(f"catalogprobe: {pods} pods listed, {a.expect_pods} expected", file=sys.stderr)
            return 1
    print(f"snapshot_ms_median={statistics.median(times):.2f}")
    print(f"snapshot_ms_max={max(times):.2f}")
    print(f"snapshot_bytes={size}")
    print(f"pods={pods}")
    print(f"jobs={jobs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
