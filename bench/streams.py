#!/usr/bin/env python3
"""Holds N idle /api/v1/events streams on one daemon, reads its RSS, then times one write's event to all of them."""
import argparse
import asyncio
import json
import resource
import time
import urllib.request


def rss_mib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


async def open_stream(port, token, sem, opened):
    async with sem:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
        await writer.drain()
        seen = b""
        while b": connected" not in seen:
            chunk = await reader.read(4096)
            if not chunk:
                raise RuntimeError("stream closed before it opened: " + seen[:200].decode(errors="replace"))
            seen += chunk
        opened.append((reader, writer))


async def wait_event(reader, deadline):
    seen = b""
    while b"event: dashboard" not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        chunk = await asyncio.wait_for(reader.read(4096), left)
        if not chunk:
            return None
        seen += chunk
    return time.monotonic()


def write_once(port, token):
    body = json.dumps({"name": f"Stream bench client {time.time()}"}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/clients", data=body, method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status


async def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("-n", type=int, default=10000)
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, a.n + 1000), hard))

    before = rss_mib(a.pid)
    sem, opened = asyncio.Semaphore(256), []
    t0 = time.monotonic()
    await asyncio.gather(*(open_stream(a.port, a.token, sem, opened) for _ in range(a.n)))
    open_s = time.monotonic() - t0
    await asyncio.sleep(2)
    held = rss_mib(a.pid)

    loop = asyncio.get_running_loop()
    start = time.monotonic()
    status = await loop.run_in_executor(None, write_once, a.port, a.token)
    deadline = start + 10
    arrivals = await asyncio.gather(*(wait_event(r, deadline) for r, _ in opened))
    got = [t for t in arrivals if t is not None]
    last_ms = (max(got) - start) * 1000 if got else float("nan")
    print(f"streams opened: {len(opened)} in {open_s:.1f} s")
    print(f"daemon RSS: {before:.1f} MiB before, {held:.1f} MiB holding {len(opened)} idle streams")
    print(f"one write (HTTP {status}): the event reached {len(got)}/{len(opened)} streams, "
          f"the last {last_ms:.0f} ms after the write was sent")
    for _, w in opened:
        w.close()


if __name__ == "__main__":
    asyncio.run(main())
