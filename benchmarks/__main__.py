"""`make bench`: the portal measured at province and national scale on PostgreSQL and Redis.

For each scale (BENCH_SCALES, default "11,700" districts) it builds a throwaway database
`hoabinh_bench_<n>` (migrate, `seed_demo`, `generate_dataset`), serves the portal with
gunicorn under production settings (DEBUG off, a secret key, ALLOWED_HOSTS, Redis cache,
persistent connections) and measures, from a separate load-generator process:

- a trivial view with one query (the floor) and every main page of every role: median and
  p95 under concurrent load, and the SQL queries each page runs. The servers of all scales
  run at once and the load generator goes round after round over every page of every scale;
- the consolidation and its .xlsx/.docx exports (one period, all periods) beside openpyxl's
  write-only mode writing the same cells, with the peak memory of the process;
- Excel upload of one report, a MARC import of 10,000 records and the organisation import
  of 45,000 schools (at the largest scale), time and peak memory;
- one reminder sweep: time and queries;
- 50 simulated users for 60 seconds across all roles (at the largest scale).

Prints a table and writes BENCHMARKS.md and benchmarks/results.json. Environment:
BENCH_SCALES ("11" for a quick run), BENCH_QUICK=1 (fewer requests, 15 s of load),
BENCH_PORT (8013, and the next ports for the other scales), BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_REDIS
(redis://127.0.0.1:6379/3), BENCH_WORKERS (3), BENCH_DB (the databases' prefix, hoabinh_bench).
"""

import contextlib
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "11,700").split(",") if s.strip()]
PORT = int(os.environ.get("BENCH_PORT", "8013"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/3")
WORKERS = os.environ.get("BENCH_WORKERS", "3")
DB_PREFIX = os.environ.get("BENCH_DB", "hoabinh_bench")
PG_HOST, PG_PORT = "127.0.0.1", "5432"

EXPORT_JOBS = ["export_xlsx_one", "export_xlsx_all", "export_docx_one", "consolidate_all"]
IMPORT_JOBS = ["import_report_excel", "import_marc_10000", "import_organisations_45000"]


def log(text: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {text}", flush=True)


def run(cmd, env=None, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def services_ensure() -> None:
    """PostgreSQL and Redis, started the way .ci/run starts them when they are down."""
    if subprocess.run(["pg_isready", "-h", PG_HOST, "-p", PG_PORT], capture_output=True).returncode != 0:
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
        for _ in range(30):
            if subprocess.run(["pg_isready", "-h", PG_HOST, "-p", PG_PORT], capture_output=True).returncode == 0:
                break
            time.sleep(1)
    if subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True).returncode != 0:
        os.makedirs("/var/lib/redis", exist_ok=True)
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                "6379",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=False,
        )
        time.sleep(1)


def psql(sql: str) -> None:
    run(["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", "postgres", "-q", "-c", sql], capture_output=True)


def redis_for(db: str) -> str:
    """Each database its own Redis database (BENCH_REDIS's number, then the next ones): the
    servers of both scales run at once, and cached figures keyed by the same ids in both
    databases must not be read across scales (the settings' KEY_PREFIX, the database's name,
    keeps them apart too)."""
    base, _sep, number = REDIS.rpartition("/")
    suffix = db.rsplit("_", 1)[1]  # the scale, or "seed" for the template database
    offset = SCALES.index(int(suffix)) if suffix.isdigit() else 0
    return f"{base}/{int(number) + offset}"


def django_env(db: str, var_dir: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{PG}/{db}",
        CACHE_URL=redis_for(db),
        CELERY_BROKER_URL=redis_for(db),
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        PORTAL_VAR_DIR=var_dir,
        DB_CONN_MAX_AGE="60",
        AXES_ENABLED="1",
        # Every simulated user comes from this one address: the per-address API limit would
        # throttle the load generator, not a real population of users.
        API_THROTTLE_ADDRESS="1000000/minute",
        API_THROTTLE_TOKEN="1000000/minute",
    )
    return env


def build(scale: int, var_dir: str, template: str | None) -> tuple[str, float, str]:
    """The scale's database; returns (name, seconds, template to reuse)."""
    db = f"{DB_PREFIX}_{scale}"
    psql(f"DROP DATABASE IF EXISTS {db}")
    start = time.perf_counter()
    if template is None:
        template = f"{DB_PREFIX}_seed"
        psql(f"DROP DATABASE IF EXISTS {template}")
        psql(f"CREATE DATABASE {template}")
        env = django_env(template, var_dir)
        log("migrate and seed_demo (template database)")
        run([PY, "manage.py", "migrate", "-v0", "--noinput"], env=env)
        run([PY, "manage.py", "seed_demo", "--force"], env=env, stdout=subprocess.DEVNULL)
        run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=env)
    psql(f"CREATE DATABASE {db} TEMPLATE {template}")
    env = django_env(db, var_dir)
    log(f"generate_dataset --districts {scale}")
    out = run(
        [PY, "manage.py", "generate_dataset", "--districts", str(scale), "--seed", "13"],
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    log(out.strip().splitlines()[-1])
    return db, time.perf_counter() - start, template


class Server:
    def __init__(self, env: dict, port: int):
        self.env = env
        self.port = port
        self.proc = None

    def __enter__(self):
        cmd = [
            PY, "-m", "gunicorn", "hoabinh_library.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", WORKERS, "--worker-class", "gthread", "--threads", "4",
            "--log-level", "warning", "--timeout", "120",
        ]  # fmt: skip
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT)
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer /healthz")

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def job(name: str, env: dict, tmp: str) -> dict:
    out = os.path.join(tmp, f"{name}.json")
    try:
        run([PY, "-m", "benchmarks.tasks", name, out], env=env, timeout=900)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        return {"error": str(exc)}
    with open(out) as fh:
        return json.load(fh)


def main() -> int:
    services_ensure()
    for scale in SCALES:
        subprocess.run(["redis-cli", "-u", redis_for(f"{DB_PREFIX}_{scale}"), "flushdb"], capture_output=True)
    tmp = tempfile.mkdtemp(prefix="hb-bench-")
    var_dir = os.path.join(tmp, "var")
    os.makedirs(var_dir)
    started = time.perf_counter()
    results = {
        "machine": f"{platform.node()} · {os.cpu_count()} cores · {platform.platform()} · Python {platform.python_version()}",
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "make bench"
        + (f" BENCH_SCALES={','.join(map(str, SCALES))}" if "BENCH_SCALES" in os.environ else "")
        + (" BENCH_QUICK=1" if QUICK else ""),
        "floor": [],
        "pages": [],
        "exports": [],
        "imports": [],
        "sweep": [],
        "load": [],
        "build": [],
    }
    template = None
    largest = max(SCALES)
    rounds, burst = (2, 8) if QUICK else (8, 24)  # 192 samples a page and scale
    envs, specs = {}, {}
    for scale in SCALES:
        db, seconds, template = build(scale, var_dir, template)
        results["build"].append({"scale": scale, "seconds": round(seconds, 1)})
        envs[scale] = env = django_env(db, var_dir)
        specs[scale] = os.path.join(tmp, f"pages-{scale}.json")
        log(f"pages at {scale} districts: query counts and sessions")
        run([PY, "-m", "benchmarks.pages", specs[scale]], env=env)
    # One server per scale, all running at once, and the pages measured round after round
    # across the scales (benchmarks.load), so the shared machine's slow moments are spread
    # over every page and scale instead of falling on one of them.
    ports = {scale: PORT + k for k, scale in enumerate(SCALES)}
    measured = os.path.join(tmp, "measured.json")
    with contextlib.ExitStack() as servers:
        for scale in SCALES:
            servers.enter_context(Server(envs[scale], ports[scale]))
        log(f"pages under load: {rounds} rounds of {burst} requests a page and scale")
        targets = ",".join(f"{ports[scale]}:{specs[scale]}" for scale in SCALES)
        run(
            [PY, "-m", "benchmarks.load", "pages", "127.0.0.1", targets, measured,
             "--concurrency", "4", "--rounds", str(rounds), "--burst", str(burst)]
        )  # fmt: skip
        users_seconds = 15 if QUICK else 60
        log(f"50 users for {users_seconds} s at {largest} districts")
        mix = os.path.join(tmp, "mix.json")
        run([PY, "-m", "benchmarks.load", "mix", "127.0.0.1", str(ports[largest]), specs[largest], mix,
             "--users", "50", "--seconds", str(users_seconds)])  # fmt: skip
        with open(mix) as fh:
            results["load"].append({"scale": largest, **json.load(fh)})
    with open(measured) as fh:
        data = json.load(fh)
    for scale, target in zip(SCALES, data["targets"], strict=True):
        results["floor"].append({"scale": scale, **target["floor"]})
        for page in target["pages"]:
            page.pop("cookie", None)
            results["pages"].append({"scale": scale, **page})
    for scale in SCALES:
        env = envs[scale]
        log(f"exports at {scale} districts")
        for name in EXPORT_JOBS:
            results["exports"].append({"name": name, "scale": scale, **job(name, env, tmp)})
        if scale == largest:
            log("imports")
            for name in IMPORT_JOBS:
                results["imports"].append({"name": name, "scale": scale, **job(name, env, tmp)})
        log("reminder sweep")
        results["sweep"].append({"scale": scale, **job("sweep", env, tmp)})
        psql(f"DROP DATABASE IF EXISTS {DB_PREFIX}_{scale}")
    if template:
        psql(f"DROP DATABASE IF EXISTS {template}")
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    from benchmarks import report

    text = report.markdown(results)
    print(text)
    (ROOT / "BENCHMARKS.md").write_text(text)
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
