"""What an index on ``articles``' keys costs a night, against none (issue 16, migration 0013).

One table of N articles (id = SHA-1 of the URL, canonical URL, a 1,000-character text), in
three forms: ``none`` (no index: what pantau uses), ``index`` (plain ``CREATE INDEX`` on id and
canonical_url) and ``keys`` (PRIMARY KEY id, UNIQUE canonical_url: pantau before 0013). Then
three nights like the load's: a batch of 4,500 new and 500 existing articles, the UPDATE of the
existing ones joined by id, the INSERT of the new ones WHERE NOT EXISTS, a lookup of the batch by
canonical URL, COMMIT and CHECKPOINT. Each form runs in its own process (peak RSS is not compared:
the bulk build dominates it).

Usage::

    nice .venv/bin/python bench/key_indexes.py [--rows 1000000] [--dir /tmp]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

COLUMNS = {
    "none": "id VARCHAR NOT NULL, canonical_url VARCHAR NOT NULL, text VARCHAR, n INTEGER",
    "index": "id VARCHAR NOT NULL, canonical_url VARCHAR NOT NULL, text VARCHAR, n INTEGER",
    "keys": "id VARCHAR PRIMARY KEY, canonical_url VARCHAR NOT NULL UNIQUE, text VARCHAR, "
            "n INTEGER",
}


def night(con: duckdb.DuckDBPyConnection, rows: int, k: int) -> dict[str, float]:
    took: dict[str, float] = {}
    con.execute("BEGIN")
    con.execute(
        f"""CREATE TEMP TABLE b AS
        SELECT sha1('https://x/' || i) AS id, 'https://x/' || i AS cu
        FROM range({rows * k}, {rows * k + 4500}) r(i)
        UNION ALL SELECT sha1('https://x/' || i), 'https://x/' || i
        FROM range({k * 7}, {k * 7 + 500 * (rows // 600)}, {rows // 600}) r(i)""")
    for name, sql in (
        ("update", "UPDATE a SET n = n + 1 FROM b WHERE a.id = b.id"),
        ("insert", "INSERT INTO a SELECT b.id, b.cu, 'x', 0 FROM b "
                   "WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.id = b.id)"),
        ("lookup", "SELECT count(*) FROM a JOIN b ON a.canonical_url = b.cu"),
        ("commit", "DROP TABLE b; COMMIT"),
        ("checkpoint", "CHECKPOINT"),
    ):
        started = time.perf_counter()
        con.execute(sql).fetchall()
        took[name] = time.perf_counter() - started
    return took


def run_form(form: str, rows: int, folder: Path) -> None:
    path = folder / f"key_indexes_{form}.duckdb"
    con = duckdb.connect(str(path))
    con.execute(f"CREATE TABLE a ({COLUMNS[form]})")
    con.execute(f"INSERT INTO a SELECT sha1('https://x/' || i), 'https://x/' || i, "
                f"repeat('kata ', 200), i FROM range({rows}) r(i)")
    if form == "index":
        con.execute("CREATE INDEX a_id ON a (id)")
        con.execute("CREATE INDEX a_cu ON a (canonical_url)")
    con.execute("CHECKPOINT")
    for k in (1, 2, 3):
        took = night(con, rows, k)
        print(f"| {form} | {k} | " + " | ".join(f"{took[n]:.2f}" for n in took)
              + f" | {sum(took.values()):.2f} |", flush=True)
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--form", choices=sorted(COLUMNS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        if args.form:
            run_form(args.form, args.rows, Path(tmp))
            return
        print(f"{args.rows:,} articles; seconds per statement of a night of 5,000")
        print("| form | night | update | insert | lookup | commit | checkpoint | total |")
        print("|---|---|---|---|---|---|---|---|", flush=True)
        for form in ("none", "index", "keys"):
            subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--form", form]
                           + (["--dir", str(args.dir)] if args.dir else []), check=True)


if __name__ == "__main__":
    main()
