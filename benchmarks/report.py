"""BENCHMARKS.md from the results of one run, with the issue's targets checked."""


def _fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _ok(flag: bool | None) -> str:
    return "–" if flag is None else ("yes" if flag else "**no**")


def markdown(r: dict) -> str:
    scales = sorted({p["scale"] for p in r["pages"]})
    small, large = scales[0], scales[-1]
    floor = {f["scale"]: f for f in r["floor"]}
    lines = [
        "# Benchmarks",
        "",
        f"- Machine: {r['machine']}",
        f"- Date: {r['date']}",
        f"- Command: `{r['command']}` ({r['total_seconds']:.0f} s in all)",
        "- PostgreSQL and Redis of this machine; the portal served by gunicorn (gthread) with DEBUG off, one server",
        "  per scale, all running at once. The load generator is a separate process (`benchmarks/load.py`, threads",
        "  with keep-alive connections, 4 at once) going round after round over the floor and every page, a burst",
        "  of requests each in which the scales take turns request by request, so the shared machine's slow moments",
        "  fall on every page and scale alike; p50 and p95 are over all of a page's samples ("
        + ", ".join(sorted({f"{p.get('n')}" for p in r["pages"]}))
        + " a page and scale).",
        "- Datasets: `manage.py generate_dataset --districts N --seed 13` on top of `seed_demo`; built in "
        + ", ".join(f"{b['seconds']:.0f} s ({b['scale']} districts)" for b in r["build"])
        + ".",
        "- The floor is `/_bench/floor`: one query, same server, same middleware, measured in the same run.",
        "",
        "## Floor",
        "",
        "| scale | p50 ms | p95 ms | queries |",
        "|---|---|---|---|",
    ]
    for s in scales:
        f = floor[s]
        lines.append(f"| {s} | {_fmt(f['p50_ms'])} | {_fmt(f['p95_ms'])} | {f['queries']} |")
    lines += ["", "## Pages", ""]
    header = "| page | role |"
    rule = "|---|---|"
    for s in scales:
        header += f" p50 ms ({s}) | p95 ms ({s}) | queries ({s}) | p95/floor ({s}) |"
        rule += "---|---|---|---|"
    if len(scales) > 1:
        header += " p95 large/small | same queries |"
        rule += "---|---|"
    lines += [header, rule]
    by_key = {(p["name"], p["role"], p["scale"]): p for p in r["pages"]}
    keys = []
    for p in r["pages"]:
        if (p["name"], p["role"]) not in keys:
            keys.append((p["name"], p["role"]))
    checks = {"ratio_scale": [], "ratio_floor": [], "queries": [], "errors": []}
    for name, role in keys:
        row = f"| {name} | {role} |"
        for s in scales:
            p = by_key.get((name, role, s))
            if p is None:
                row += " – | – | – | – |"
                continue
            ratio = p["p95_ms"] / floor[s]["p95_ms"] if p.get("p95_ms") and floor[s].get("p95_ms") else None
            if s == large and ratio is not None:
                checks["ratio_floor"].append((ratio <= 10, name, role, ratio))
            if p.get("status") != 200 or p.get("errors"):
                checks["errors"].append((name, role, s, p.get("status"), p.get("errors")))
            row += f" {_fmt(p['p50_ms'])} | {_fmt(p['p95_ms'])} | {p['queries']} | {_fmt(ratio)} |"
        if len(scales) > 1:
            a, b = by_key.get((name, role, small)), by_key.get((name, role, large))
            if a and b and a.get("p95_ms") and b.get("p95_ms"):
                scale_ratio = b["p95_ms"] / a["p95_ms"]
                same = a["queries"] == b["queries"]
                checks["ratio_scale"].append((scale_ratio <= 1.3, name, role, scale_ratio))
                checks["queries"].append((same, name, role, (a["queries"], b["queries"])))
                row += f" {_fmt(scale_ratio, 2)} | {_ok(same)} |"
            else:
                row += " – | – |"
        lines.append(row)

    if any("after_write_ms" in p for p in r["pages"]):
        lines += [
            "",
            "## After a write",
            "",
            "The pages above are visits with the data unchanged since the last one, the common case. Here each",
            "page's first visit after a write: every data version renewed (as any save in the domain apps renews",
            "the kept parts and figures), then one request in-process, no load; the median of three.",
            "",
        ]
        header, rule = "| page | role |", "|---|---|"
        for s in scales:
            header += f" ms ({s}) | queries ({s}) |"
            rule += "---|---|"
        lines += [header + " same queries |", rule + "---|"]
        for name, role in keys:
            row = f"| {name} | {role} |"
            cells = [by_key.get((name, role, s)) for s in scales]
            for p in cells:
                row += f" {_fmt(p.get('after_write_ms'))} | {_fmt(p.get('after_write_queries'))} |" if p else " – | – |"
            counts = tuple(p.get("after_write_queries") if p else None for p in cells)
            same = len(set(counts)) == 1 and None not in counts
            checks["queries"].append((same, f"{name} (after a write)", role, (counts[0], counts[-1])))
            lines.append(row + f" {_ok(same)} |")

    lines += [
        "",
        "## Exports (one process each; peak = the process's maximum resident memory, Django included)",
        "",
        "The .xlsx exports and openpyxl alone take turns three times in the process; the seconds are the medians.",
        "",
        "| export | scale | seconds | openpyxl write-only, same cells | ratio | cells | peak MB |",
        "|---|---|---|---|---|---|---|",
    ]
    export_checks = []
    for e in r["exports"]:
        ratio = e["seconds"] / e["openpyxl_seconds"] if e.get("openpyxl_seconds") and e.get("seconds") else None
        lines.append(
            f"| {e['name']} | {e['scale']} | {_fmt(e.get('seconds'), 3)} | {_fmt(e.get('openpyxl_seconds'), 3)} | "
            f"{_fmt(ratio, 2)} | {_fmt(e.get('cells'))} | {_fmt(e.get('peak_mb'))} |"
            + (f" error: {e['error']}" if e.get("error") else "")
        )
        if e["scale"] == large and e["name"] in ("export_xlsx_one", "export_xlsx_all") and ratio is not None:
            limit = 1.5 if e["name"] == "export_xlsx_all" else 2.0
            export_checks.append((ratio <= limit and e["peak_mb"] < 200, e["name"], ratio, e["peak_mb"]))
    lines += ["", "## Imports", "", "| import | scale | seconds | peak MB | detail |", "|---|---|---|---|---|"]
    for i in r["imports"]:
        detail = {k: v for k, v in i.items() if k not in ("name", "scale", "seconds", "peak_mb", "baseline_mb")}
        lines.append(
            f"| {i['name']} | {i['scale']} | {_fmt(i.get('seconds'), 2)} | {_fmt(i.get('peak_mb'))} | {detail} |"
        )
    lines += [
        "",
        "## Reminder sweep",
        "",
        "| scale | organisations | seconds | queries | reminders decided |",
        "|---|---|---|---|---|",
    ]
    for s in r["sweep"]:
        lines.append(
            f"| {s['scale']} | {s.get('organisations')} | {_fmt(s.get('seconds'), 2)} | {s.get('queries')} | {s.get('decided')} |"
        )
    lines += [
        "",
        "## 50 users",
        "",
        "| scale | users | seconds | requests | errors | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for x in r["load"]:
        lines.append(
            f"| {x['scale']} | {x['users']} | {x['seconds']:.0f} | {x['requests']} | {x['errors']} | "
            f"{_fmt(x['p50_ms'])} | {_fmt(x['p95_ms'])} |"
        )

    sweep_queries = {s["scale"]: s.get("queries") for s in r["sweep"]}
    targets = [
        (
            "every page's p95 at the large scale ≤ 1.3× the small scale's",
            all(c[0] for c in checks["ratio_scale"]) if checks["ratio_scale"] else None,
            [f"{n} ({ro}) {v:.2f}×" for ok, n, ro, v in checks["ratio_scale"] if not ok],
        ),
        (
            "every page's p95 ≤ 10× the floor's p95 (large scale)",
            all(c[0] for c in checks["ratio_floor"]) if checks["ratio_floor"] else None,
            [f"{n} ({ro}) {v:.1f}×" for ok, n, ro, v in checks["ratio_floor"] if not ok],
        ),
        (
            "no page's query count differs between the scales",
            all(c[0] for c in checks["queries"]) if checks["queries"] else None,
            [f"{n} ({ro}) {v[0]}→{v[1]}" for ok, n, ro, v in checks["queries"] if not ok],
        ),
        (
            "xlsx export: all periods ≤ 1.5×, one period ≤ 2× openpyxl alone, peak < 200 MB",
            all(c[0] for c in export_checks) if export_checks else None,
            [f"{n} {v:.2f}× {m} MB" for ok, n, v, m in export_checks if not ok],
        ),
        (
            "the sweep's query count does not depend on the number of organisations",
            len(set(sweep_queries.values())) == 1 if len(sweep_queries) > 1 else None,
            [f"{k}: {v}" for k, v in sweep_queries.items()],
        ),
        (
            "50 users: zero errors",
            all(x["errors"] == 0 for x in r["load"]) if r["load"] else None,
            [f"{x['errors']} errors" for x in r["load"] if x["errors"]],
        ),
        ("every page answered 200", not checks["errors"], [str(e) for e in checks["errors"]]),
    ]
    lines += ["", "## Targets (issue 13)", ""]
    total = len(checks["ratio_floor"])
    if total:
        lines.append(
            f"Pages within 1.3× of their own small-scale p95: {sum(c[0] for c in checks['ratio_scale'])} of "
            f"{len(checks['ratio_scale'])}; within 10× the floor's p95 at the large scale: "
            f"{sum(c[0] for c in checks['ratio_floor'])} of {total}."
        )
        lines.append("")
    lines += ["| target | met | misses |", "|---|---|---|"]
    for text, ok, misses in targets:
        shown = "; ".join(misses[:12]) + (f"; and {len(misses) - 12} more" if len(misses) > 12 else "")
        lines.append(f"| {text} | {_ok(ok)} | {shown} |")
    return "\n".join(lines) + "\n"
