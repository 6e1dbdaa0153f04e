"""The load generator: a separate process, threads with a keep-alive HTTP connection each.

    python -m benchmarks.load pages HOST PORT PAGES.json OUT.json [--concurrency 4 --requests 40 --max-seconds 8]
    python -m benchmarks.load mix HOST PORT PAGES.json OUT.json [--users 50 --seconds 60]

`pages` measures the floor and then every page in turn under `concurrency` parallel clients
(median and p95 of the response times, in ms); `mix` runs `users` simulated users for
`seconds`, each picking a random page of a random role, with a short think time, and counts
requests and errors (anything but 200, or no answer within 30 s).
"""

import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time

HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "vi", "Connection": "keep-alive"}


class Client:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.conn = None

    def get(self, url: str, cookie: str | None) -> tuple[int, float]:
        headers = dict(HEADERS)
        if cookie:
            headers["Cookie"] = cookie
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            start = time.perf_counter()
            try:
                self.conn.request("GET", url, headers=headers)
                response = self.conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - start
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, elapsed
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    return 0, time.perf_counter() - start
        return 0, 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure(host, port, url, cookie, *, concurrency, requests, max_seconds) -> dict:
    times: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + max_seconds
    remaining = [requests]

    def worker():
        client = Client(host, port)
        client.get(url, cookie)  # warm-up: connection and the worker's first render
        while True:
            with lock:
                if remaining[0] <= 0 or (time.perf_counter() > deadline and len(times) >= 5):
                    return
                remaining[0] -= 1
            status, elapsed = client.get(url, cookie)
            with lock:
                times.append(elapsed * 1000)
                statuses.append(status)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 0.95), 1) if times else None,
        "n": len(times),
        "errors": sum(1 for s in statuses if s != 200),
    }


def run_pages(args, spec) -> dict:
    kwargs = {"concurrency": args.concurrency, "requests": args.requests, "max_seconds": args.max_seconds}
    anonymous_floor = measure(args.host, args.port, spec["floor"], None, **kwargs)
    results = []
    for page in spec["pages"]:
        results.append({**page, **measure(args.host, args.port, page["url"], page["cookie"], **kwargs)})
    # The floor again at the end: the machine is shared, so keep the better of the two.
    again = measure(args.host, args.port, spec["floor"], None, **kwargs)
    floor = min((anonymous_floor, again), key=lambda r: r["p95_ms"] or 1e9)
    return {"floor": {**floor, "queries": spec.get("floor_queries", 1)}, "pages": results}


def run_mix(args, spec) -> dict:
    pages = spec["pages"]
    end = time.perf_counter() + args.seconds
    counts = {"requests": 0, "errors": 0}
    failures: dict[str, int] = {}
    times: list[float] = []
    lock = threading.Lock()

    def user(number):
        rng = random.Random(number)
        client = Client(args.host, args.port)
        while time.perf_counter() < end:
            page = rng.choice(pages)
            status, elapsed = client.get(page["url"], page["cookie"])
            with lock:
                counts["requests"] += 1
                times.append(elapsed * 1000)
                if status != 200:
                    counts["errors"] += 1
                    key = f"{status} {page['name']}"
                    failures[key] = failures.get(key, 0) + 1
            time.sleep(rng.uniform(0.5, 1.5))  # think time

    threads = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "users": args.users,
        "seconds": args.seconds,
        **counts,
        "failures": failures,
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 0.95), 1) if times else None,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["pages", "mix"])
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("spec")
    parser.add_argument("out")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--max-seconds", type=float, default=8)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args(argv)
    with open(args.spec) as fh:
        spec = json.load(fh)
    result = run_pages(args, spec) if args.mode == "pages" else run_mix(args, spec)
    with open(args.out, "w") as fh:
        json.dump(result, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
