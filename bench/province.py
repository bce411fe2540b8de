"""Issue 13's benchmark in one command: for each size, a database seeded by bench/seed.py (kept between
runs, reseeded with --reseed), then bench/pages.py against it — every page and API list per role
through a real gunicorn (median and p95 latency, query count), complaint intake against a bare view
under load, one alert rescan — and the other benches' sections; printed as markdown tables with the
sizes side by side and the ratios to the first size.

    .venv/bin/python scripts/with_services.py .venv/bin/python bench/province.py 0.01 0.1
    .venv/bin/python scripts/with_services.py .venv/bin/python bench/province.py 0.01:wt_bench_1 0.1:wt_bench_10

A size is a fraction of the province scale (bench/seed.py); FRACTION:DBNAME uses that database as it is
(e.g. a copy made with ``createdb -T wt_bench_10 mine``), else it is portal_bench_<fraction>, seeded
when missing. Options: --n N requests per page (default 7), --load SECONDS per load round (default 10,
0 skips the load test and the rescan), --reseed, --json PATH (the figures, for the README).

Sections of other benches: a module bench/<name>.py that defines ``province_section(database_url)``
returning markdown is run (in a process of its own, with the bench's settings) for each size.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.benchenv import PYTHON, ROOT, bench_environ

SECTIONS = ["province_sections"]
TEMPLATE = "portal_bench_template"


def database_url(name: str) -> str:
    import os

    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_connection():
    import psycopg

    return psycopg.connect(database_url("postgres").replace("postgres://", "postgresql://", 1), autocommit=True)


def seeded_marker(fraction: float) -> str:
    return f"portal bench seed, fraction {fraction:g}"


def database_state(name: str) -> str | None:
    """The database's comment (the seeder's marker), "" when it has none, None when it does not exist."""
    with admin_connection() as conn:
        row = conn.execute(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    return None if row is None else row[0]


def make_template() -> None:
    """A freshly migrated database the sizes are created from (migrating once, not once per size)."""
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}"')
        conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=bench_environ(database_url(TEMPLATE)), check=True)  # fmt: skip # noqa: S603


def seed_size(fraction: float, name: str) -> float:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    start = time.perf_counter()
    subprocess.run([PYTHON, "bench/seed.py", str(fraction)], cwd=ROOT, env=bench_environ(database_url(name)), check=True, stdout=sys.stderr)  # fmt: skip # noqa: S603
    seconds = time.perf_counter() - start
    with admin_connection() as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{seeded_marker(fraction)}'")
    return seconds


def prepare(sizes: list[tuple[float, str | None]], reseed: bool) -> list[tuple[float, str, float | None]]:
    """The database of each size, seeding those that are missing (or all, with ``reseed``)."""
    prepared, template_ready = [], False
    for fraction, given in sizes:
        if given:
            prepared.append((fraction, given, None))
            continue
        name = "portal_bench_" + f"{fraction:g}".replace(".", "_").replace("-", "m")
        seconds = None
        if reseed or database_state(name) != seeded_marker(fraction):
            if not template_ready:
                make_template()
                template_ready = True
            print(f"seeding {name} ({fraction:g} of the province scale)", file=sys.stderr, flush=True)
            seconds = seed_size(fraction, name)
        prepared.append((fraction, name, seconds))
    return prepared


def run_pages(name: str, n: int, load_seconds: float) -> dict:
    command = [PYTHON, "bench/pages.py", str(n), str(load_seconds), "--json"]
    done = subprocess.run(command, cwd=ROOT, env=bench_environ(database_url(name)), check=True, stdout=subprocess.PIPE, text=True)  # fmt: skip # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_sections(name: str) -> list[str]:
    out = []
    for section in SECTIONS:
        path = ROOT / "bench" / f"{section}.py"
        if not path.exists() or "def province_section(" not in path.read_text():
            out.append(f"- `bench/{section}.py`: no `province_section(database_url)` yet (hook); run it by hand.")
            continue
        code = f"import sys; from bench.{section} import province_section; print(province_section(sys.argv[1]))"
        done = subprocess.run([PYTHON, "-c", code, database_url(name)], cwd=ROOT, env=bench_environ(database_url(name)), stdout=subprocess.PIPE, text=True)  # fmt: skip # noqa: S603
        out.append(done.stdout.strip() or f"- `bench/{section}.py` failed (exit {done.returncode})")
    return out


def cell(figures: dict | None) -> str:
    if figures is None:
        return "—"
    flag = "" if figures["status"] == 200 else f" **HTTP {figures['status']}**"
    return f"{figures['median_ms']:.0f} / {figures['p95_ms']:.0f} ms, {figures['queries']} q{flag}"


def pages_table(labels: list[str], results: list[dict]) -> str:
    head = ["page", "role", *[f"{label} (median / p95, queries)" for label in labels]]
    head += [f"{label}/{labels[0]}" for label in labels[1:]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    first = results[0]["pages"]
    for role, pages in first.items():
        for name in pages:
            cells = [r["pages"].get(role, {}).get(name) for r in results]
            row = [name, role, *[cell(c) for c in cells]]
            for c in cells[1:]:
                ratio = c["median_ms"] / cells[0]["median_ms"] if c and cells[0]["median_ms"] else 0
                same = "" if c and c["queries"] == cells[0]["queries"] else " (queries differ)"
                row.append(f"{ratio:.2f}×{same}")
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def load_table(labels: list[str], results: list[dict]) -> str:
    lines = ["| size | bare view req/s | intake req/s | intake / bare | intake p50 | errors | alert rescan |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    for label, r in zip(labels, results, strict=True):
        if "intake" not in r:
            continue
        i = r["intake"]
        bare = (i["bare"]["rps"] + i["bare_again"]["rps"]) / 2
        errors = i["intake"]["errors"] + i["bare"]["errors"] + i["bare_again"]["errors"]
        lines.append(f"| {label} | {bare:.0f} ({i['bare_path']}) | {i['intake']['rps']:.1f} | {i['ratio']:.3f}× "
                     f"| {i['intake']['p50_ms']:.0f} ms | {errors} | {r.get('rescan_s', 0):.1f} s |")  # fmt: skip
    return "\n".join(lines)


def parse(argv: list[str]) -> tuple[list[tuple[float, str | None]], dict]:
    options = {"n": 7, "load": 10.0, "reseed": False, "json": None}
    sizes, args = [], iter(argv)
    for arg in args:
        if arg == "--reseed":
            options["reseed"] = True
        elif arg in ("--n", "--load", "--json"):
            value = next(args)
            options[arg[2:]] = value if arg == "--json" else float(value)
        else:
            fraction, _colon, name = arg.partition(":")
            sizes.append((float(fraction), name or None))
    if not sizes:
        raise SystemExit(__doc__)
    return sizes, options


def main(argv: list[str]) -> None:
    sizes, options = parse(argv)
    prepared = prepare(sizes, options["reseed"])
    labels = [f"{fraction * 100:g} %" for fraction, _name, _s in prepared]
    results = []
    for (_fraction, name, seeded), label in zip(prepared, labels, strict=True):
        print(f"measuring {label} ({name})", file=sys.stderr, flush=True)
        result = run_pages(name, int(options["n"]), options["load"])
        result.update(database=name, seed_seconds=seeded, sections=run_sections(name))
        results.append(result)
    print("## Pages and API lists\n\n" + pages_table(labels, results))
    print("\n## Complaint intake under load, alert rescan\n\n" + load_table(labels, results))
    for label, result in zip(labels, results, strict=True):
        seeded = f", seeded in {result['seed_seconds']:.0f} s" if result["seed_seconds"] else ""
        print(f"\n## Other benches at {label} ({result['database']}{seeded})\n\n" + "\n".join(result["sections"]))
    if options["json"]:
        Path(options["json"]).write_text(json.dumps(dict(zip(labels, results, strict=True)), indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
