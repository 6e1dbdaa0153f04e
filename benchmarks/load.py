"""The load generator: a separate process, threads with a keep-alive HTTP connection each.

    python -m benchmarks.load pages HOST PORT:PAGES.json[,PORT:PAGES.json...] OUT.json [--concurrency 4 --rounds 5 --burst 24]
    python -m benchmarks.load mix HOST PORT PAGES.json OUT.json [--users 50 --seconds 60]

`pages` measures the floor and every page of every target (one server per scale, all running
at once) under `concurrency` parallel clients, in `rounds`: each round sends a burst of
`burst` requests to the floor and to every page at every scale, the scales taking turns request
by request, so a moment when the shared machine is slow falls on every page and every scale
alike instead of on whichever page or scale was being measured then. OUT.json holds, per target, the median and p95 of all its samples (ms).
`mix` runs `users` simulated users for `seconds`, each picking a random page of a random role,
with a short think time, and counts requests and errors (anything but 200, or no answer within
30 s).
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


def burst(host, targets, *, concurrency, requests) -> list[tuple[list[float], list[int]]]:
    """`requests` requests to each of `targets` [(port, url, cookie)] from `concurrency`
    clients at once, each client going from one target to the next request by request, so
    the same page at every scale is measured in the same moments of the shared machine.
    Returns (times in ms, statuses) per target."""
    samples: list[tuple[list[float], list[int]]] = [([], []) for _ in targets]
    lock = threading.Lock()
    sent = [0]
    total = requests * len(targets)

    def worker():
        clients = [Client(host, port) for port, _url, _cookie in targets]
        for client, (_port, url, cookie) in zip(clients, targets, strict=True):
            client.get(url, cookie)  # warm-up: the connection and the worker's first render
        while True:
            with lock:
                if sent[0] >= total:
                    return
                k = sent[0] % len(targets)
                sent[0] += 1
            _port, url, cookie = targets[k]
            status, elapsed = clients[k].get(url, cookie)
            with lock:
                samples[k][0].append(elapsed * 1000)
                samples[k][1].append(status)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples


def summary(times: list[float], statuses: list[int]) -> dict:
    return {
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 0.95), 1) if times else None,
        "n": len(times),
        "errors": sum(1 for s in statuses if s != 200),
    }


def run_pages(args, targets) -> dict:
    """targets: [(port, spec)], one per scale. Returns {"targets": [{"floor", "pages"}]}."""
    samples = {}  # (target index, page index or -1 for the floor) -> (times, statuses)
    for _round in range(args.rounds):
        for index in range(-1, max(len(spec["pages"]) for _port, spec in targets)):
            at = [
                (
                    t,
                    port,
                    *(
                        (spec["floor"], None)
                        if index < 0
                        else (spec["pages"][index]["url"], spec["pages"][index]["cookie"])
                    ),
                )
                for t, (port, spec) in enumerate(targets)
                if index < len(spec["pages"])
            ]
            measured = burst(args.host, [a[1:] for a in at], concurrency=args.concurrency, requests=args.burst)
            for (t, *_rest), (times, statuses) in zip(at, measured, strict=True):
                got = samples.setdefault((t, index), ([], []))
                got[0].extend(times)
                got[1].extend(statuses)
    out = []
    for t, (_port, spec) in enumerate(targets):
        floor = {**summary(*samples[(t, -1)]), "queries": spec.get("floor_queries", 1)}
        pages = [{**page, **summary(*samples[(t, i)])} for i, page in enumerate(spec["pages"])]
        out.append({"floor": floor, "pages": pages})
    return {"targets": out}


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
    parser.add_argument("port", help="pages: PORT:PAGES.json[,PORT:PAGES.json...]; mix: PORT")
    parser.add_argument("spec", nargs="?", help="mix: PAGES.json")
    parser.add_argument("out", nargs="?")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--burst", type=int, default=24)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args(argv)
    if args.mode == "pages":
        # pages HOST PORT:SPEC[,PORT:SPEC] OUT
        args.out = args.spec if args.out is None else args.out
        targets = []
        for item in args.port.split(","):
            port, path = item.split(":", 1)
            with open(path) as fh:
                targets.append((int(port), json.load(fh)))
        result = run_pages(args, targets)
    else:
        args.port = int(args.port)
        with open(args.spec) as fh:
            result = run_mix(args, json.load(fh))
    with open(args.out, "w") as fh:
        json.dump(result, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
