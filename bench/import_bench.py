"""Import benchmark (issue 2): Takt's full import path against a bare DuckDB read of the file.

    python bench/import_bench.py                       # 1M and 10M lines, 3 runs each
    python bench/import_bench.py --sizes 1M --runs 1   # quick look
    python bench/import_bench.py --sizes 10M --profile # where the time and memory go

For each size the delivery file is generated once (bench/gen_deliveries.py) under --dir, then
every run measures, each in a fresh subprocess and into a fresh database file:

- bare: `CREATE TABLE t AS SELECT * FROM read_csv(csv, columns={declared types})` into a
  fresh DuckDB file with default settings, then close (checkpoint);
- full: `Store(db, extra_dirs=(csv_dir,))` then `import_file(store, csv, today=2026-11-26)`:
  sniff, sha256, map, stage as text, decide formats, type, validate, upsert, history, the
  refresh of the materialised marts, and the checkpoint when the store is closed;
- with --without-marts also `import_file(..., refresh_marts=False)`: the importer alone.

Wall and CPU seconds are measured inside the child around exactly that work; peak RSS is the
child's own `ru_maxrss` (so it includes the interpreter and imports, about 40 MiB, in every
measurement). Every import's report must say rows_read == inserted == N, rejected == 0.
Results: a markdown table on stdout, appended as a dated section to bench/results.md.
Targets of the issue: full <= 2x bare, full peak RSS <= 1 GiB at 10M lines.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# --src=DIR measures the `analytics` package of another tree (a patched copy) instead.
_SRC = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--src=")), None)
sys.path.insert(0, str(Path(_SRC).resolve()) if _SRC else str(ROOT))
sys.path.insert(0, str(HERE))

TODAY = date(2026, 11, 26)
TIME_TARGET = 2.0  # full / bare
RSS_TARGET_MIB = 1024  # at 10M lines
BARE_COLUMNS = {
    "PO Number": "VARCHAR",
    "Line": "VARCHAR",
    "GRN": "VARCHAR",
    "Vendor": "VARCHAR",
    "Material": "VARCHAR",
    "PO Date": "DATE",
    "Delivery Date": "DATE",
    "Quantity": "DOUBLE",
    "Receipt Date": "DATE",
    "Received Qty": "DOUBLE",
    "Net Price": "DOUBLE",
}
MODES = {
    "bare": "bare DuckDB read",
    "full": "full import",
    "nomarts": "import without marts refresh",
}


def parse_size(text: str) -> int:
    t = text.strip().upper().replace("_", "")
    mult = {"K": 10**3, "M": 10**6}.get(t[-1:], 1)
    return int(float(t[:-1] if mult > 1 else t) * mult)


def label(n: int) -> str:
    if n % 10**6 == 0:
        return f"{n // 10**6}M"
    if n % 10**3 == 0:
        return f"{n // 10**3}k"
    return str(n)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def dir_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


# -- children ------------------------------------------------------------------------------
def child_bare(csv: Path, db: Path) -> dict:
    import duckdb

    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    con = duckdb.connect(str(db))
    cols = "{" + ", ".join(f"'{k}': '{v}'" for k, v in BARE_COLUMNS.items()) + "}"
    con.execute(
        f"CREATE TABLE t AS SELECT * FROM read_csv('{csv}', header = true, "
        f"auto_detect = false, delim = ',', columns = {cols})"
    )
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    con.close()
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "cpu": cpu_seconds() - cpu0, "peak_mib": peak_mib(), "rows": rows}


class _Sampler(threading.Thread):
    """Polls this process's RSS every 10 ms; `window()` gives the peak since the last call."""

    def __init__(self):
        super().__init__(daemon=True)
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.peak = 0

    def rss(self) -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * self.page

    def run(self):
        while True:
            self.peak = max(self.peak, self.rss())
            time.sleep(0.01)

    def window(self) -> float:
        peak, self.peak = max(self.peak, self.rss()), 0
        return peak / 2**20


class _TimedCursor:
    """Passes everything to a DuckDB cursor; logs each execute's wall time and peak RSS."""

    def __init__(self, cur, log, sampler):
        self._cur, self._log, self._sampler = cur, log, sampler

    def execute(self, sql, *args, **kwargs):
        self._sampler.window()
        t0 = time.perf_counter()
        try:
            return self._cur.execute(sql, *args, **kwargs)
        finally:
            what = " ".join(sql.split())
            self._log.append(("sql", what, time.perf_counter() - t0, self._sampler.window()))

    def __getattr__(self, name):
        return getattr(self._cur, name)


def child_import(csv: Path, db: Path, marts: bool, profile: bool) -> dict:
    from analytics.ingest import import_file
    from analytics.ingest import pipeline as pipeline_mod
    from analytics.store.connection import Store

    log: list[tuple] = []
    store_cls = Store
    if profile:
        sampler = _Sampler()
        sampler.start()

        class ProfiledStore(Store):
            @contextlib.contextmanager
            def writer(self):
                with super().writer() as cur:
                    yield _TimedCursor(cur, log, sampler)

        store_cls = ProfiledStore
        real_open_csv = pipeline_mod.open_csv

        def timed_open_csv(*a, **k):
            sampler.window()
            t0 = time.perf_counter()
            try:
                return real_open_csv(*a, **k)
            finally:
                what = "open_csv (sniff + sha256 of the whole file)"
                log.append(("py", what, time.perf_counter() - t0, sampler.window()))

        pipeline_mod.open_csv = timed_open_csv

    # --memory-limit: what-if runs with another Store memory limit (default: Store's own).
    limit = os.environ.get("TAKT_BENCH_MEMORY_LIMIT")
    kwargs = {"memory_limit": limit} if limit else {}
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    store = store_cls(str(db), extra_dirs=(str(csv.parent),), **kwargs)
    report = import_file(store, csv, today=TODAY, **({} if marts else {"refresh_marts": False}))
    t_close = time.perf_counter()
    store.close()
    end = time.perf_counter()
    if profile:
        log.append(("py", "Store.close() (checkpoint)", end - t_close, sampler.window()))
    out = {
        "seconds": end - t0,
        "cpu": cpu_seconds() - cpu0,
        "peak_mib": peak_mib(),
        "status": report.status,
        "rows_read": report.rows_read,
        "inserted": report.inserted,
        "rejected": report.rejected,
        "message": report.message,
    }
    if profile:
        out["log"] = log
    return out


# -- parent --------------------------------------------------------------------------------
def run_child(mode: str, csv: Path, db: Path, profile: bool, env: dict) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode]
    cmd += ["--csv", str(csv), "--db", str(db)]
    if profile:
        cmd.append("--profile")
    if _SRC:
        cmd.append(f"--src={_SRC}")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} child failed ({proc.returncode}):\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["db_mib"] = dir_mib(db.parent)
    return result


def ensure_csv(n: int, workdir: Path, regen: bool) -> Path:
    import gen_deliveries

    csv = workdir / "csv" / f"deliveries-{label(n)}.csv"
    stamp = csv.with_suffix(".n")
    if regen or not csv.exists() or not stamp.exists() or stamp.read_text() != str(n):
        t0 = time.perf_counter()
        gen_deliveries.generate(n, csv)
        stamp.write_text(str(n))
        size = csv.stat().st_size / 2**20
        print(f"generated {csv} ({size:.0f} MB) in {time.perf_counter() - t0:.1f} s", flush=True)
    # Read it once so every measurement starts from the page cache alike.
    with open(csv, "rb") as fh:
        while fh.read(1 << 24):
            pass
    return csv


def fresh_db(workdir: Path, name: str) -> Path:
    d = workdir / "db" / name
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    return d / "bench.duckdb"


def check(mode: str, r: dict, n: int) -> None:
    if mode == "bare":
        ok, what = r["rows"] == n, f"bare read {r['rows']} rows"
    else:
        ok = (r["status"], r["rows_read"], r["inserted"], r["rejected"]) == ("imported", n, n, 0)
        what = f"import report: {r['status']}: {r['message']}"
    if not ok:
        raise SystemExit(f"N={n}, {mode}: {what}")


def profile_table(log: list, total: float) -> str:
    out = ["| step | seconds | share | peak RSS MiB |", "|---|---:|---:|---:|"]
    for kind, what, secs, rss in sorted(log, key=lambda e: -e[2]):
        if secs < 0.005:
            continue
        short = (what if len(what) <= 110 else what[:107] + "...").replace("|", "\\|")
        prefix = "" if kind == "sql" else "(python) "
        out.append(f"| {prefix}`{short}` | {secs:.2f} | {secs / total:.0%} | {rss:.0f} |")
    rest = total - sum(e[2] for e in log)
    out.append(
        f"| everything else (Python between statements) | {rest:.2f} | {rest / total:.0%} | |"
    )
    return "\n".join(out)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1M,10M", help="comma-separated line counts (1M, 10M, ...)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/takt-bench", help="where CSVs and databases go")
    ap.add_argument("--results", default=str(HERE / "results.md"))
    ap.add_argument("--no-write", action="store_true", help="do not append to results.md")
    ap.add_argument("--regen", action="store_true", help="regenerate the CSV files")
    ap.add_argument(
        "--without-marts",
        action="store_true",
        help="also measure import_file(..., refresh_marts=False) in every run",
    )
    ap.add_argument(
        "--profile",
        action="store_true",
        help="one extra profiled full import per size: time and RSS per statement",
    )
    ap.add_argument("--note", default="", help="a line to add to the results section")
    ap.add_argument(
        "--memory-limit", help="what-if: Store(memory_limit=...) for the imports, e.g. 768MB"
    )
    ap.add_argument("--src", help="what-if: import `analytics` from this tree (write --src=DIR)")
    ap.add_argument("--child", choices=tuple(MODES), help=argparse.SUPPRESS)
    ap.add_argument("--csv", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        csv, db = Path(args.csv), Path(args.db)
        if args.child == "bare":
            result = child_bare(csv, db)
        else:
            result = child_import(csv, db, args.child == "full", args.profile)
        print(json.dumps(result))
        return

    import duckdb

    workdir = Path(args.dir)
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    # A 10M-line export is ~870 MB; the importer refuses files over TAKT_MAX_UPLOAD_MB.
    env.setdefault("TAKT_MAX_UPLOAD_MB", "4096")
    if args.memory_limit:
        env["TAKT_BENCH_MEMORY_LIMIT"] = args.memory_limit
    modes = ["bare", "full"] + (["nomarts"] if args.without_marts else [])
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    rows_out, raw_out, profiles, loads = [], [], [], []
    for n in sizes:
        csv = ensure_csv(n, workdir, args.regen)
        runs: dict[str, list[dict]] = {m: [] for m in modes}
        for i in range(args.runs):
            for mode in modes:
                db = fresh_db(workdir, f"{label(n)}-{mode}-{i}")
                loads.append(os.getloadavg()[0])
                r = run_child(mode, csv, db, False, env)
                check(mode, r, n)
                shutil.rmtree(db.parent, ignore_errors=True)
                runs[mode].append(r)
                print(
                    f"{label(n)} run {i + 1}/{args.runs} {mode}: {r['seconds']:.2f} s "
                    f"(CPU {r['cpu']:.1f} s), peak RSS {r['peak_mib']:.0f} MiB, "
                    f"db {r['db_mib']:.0f} MiB",
                    flush=True,
                )
        keys = ("seconds", "cpu", "peak_mib", "db_mib")
        med = {m: {k: statistics.median(r[k] for r in rs) for k in keys} for m, rs in runs.items()}
        bare = med["bare"]
        for mode in modes:
            m = med[mode]
            ratio, cpu_ratio = m["seconds"] / bare["seconds"], m["cpu"] / bare["cpu"]
            time_mark = rss_mark = ""
            if mode == "full":
                time_mark = " ok" if ratio <= TIME_TARGET else " MISS"
                if n >= 10**7:
                    rss_mark = " ok" if m["peak_mib"] <= RSS_TARGET_MIB else " MISS"
            rows_out.append(
                f"| {label(n)} | {MODES[mode]} | {m['seconds']:.2f} | {ratio:.2f}{time_mark} | "
                f"{m['cpu']:.1f} | {cpu_ratio:.2f} | {m['peak_mib']:.0f}{rss_mark} | "
                f"{m['db_mib']:.0f} |"
            )
            raw_out.append(
                f"| {label(n)} | {MODES[mode]} | "
                + ", ".join(f"{r['seconds']:.2f}" for r in runs[mode])
                + " | "
                + ", ".join(f"{r['cpu']:.1f}" for r in runs[mode])
                + " | "
                + ", ".join(f"{r['peak_mib']:.0f}" for r in runs[mode])
                + " |"
            )
        if args.profile:
            db = fresh_db(workdir, f"{label(n)}-profile")
            r = run_child("full", csv, db, True, env)
            check("full", r, n)
            shutil.rmtree(db.parent, ignore_errors=True)
            profiles.append(
                f"Profiled full import, {label(n)} lines: {r['seconds']:.2f} s, "
                f"peak RSS {r['peak_mib']:.0f} MiB (one run; statements by wall time)\n\n"
                + profile_table(r["log"], r["seconds"])
            )

    table = "\n".join(
        [
            "| lines | measurement | wall s | wall vs bare (target <= 2) | CPU s | CPU vs bare "
            "| peak RSS MiB (target <= 1024 at 10M) | db MiB |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
            *rows_out,
        ]
    )
    raw = "\n".join(
        [
            "| lines | measurement | wall s per run | CPU s per run | peak RSS MiB per run |",
            "|---|---|---|---|---|",
            *raw_out,
        ]
    )
    what_if = [f"imports run the `analytics` package of {_SRC}"] if _SRC else []
    if args.memory_limit:
        what_if.append(f"Store(memory_limit={args.memory_limit!r})")
    ram_gib = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    machine = (
        f"{os.cpu_count()} CPUs, {ram_gib:.0f} GiB RAM, Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}; 1-min load average before the measurements: "
        f"{min(loads, default=0):.1f} to {max(loads, default=0):.1f} (above 0: other work "
        "shared the CPUs, and wall times scatter)"
    )
    parts = [
        f"## {datetime.now():%Y-%m-%d %H:%M}: {args.runs} runs, medians",
        f"{machine}. {args.note}".strip(),
        "What-if: " + "; ".join(what_if) + "." if what_if else "",
        table,
        raw,
        *profiles,
    ]
    section = "\n\n".join(p for p in parts if p) + "\n"
    print("\n" + section)
    if not args.no_write:
        results = Path(args.results)
        head = (
            ""
            if results.exists()
            else "# Import benchmark results\n\nAppended by `python bench/import_bench.py`; "
            "see bench/README.md.\n\n"
        )
        with open(results, "a") as fh:
            fh.write(head + section + "\n")


if __name__ == "__main__":
    main()
