"""Schema migrations: applied once, in order, recorded; newer warehouses are refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from core.settings import lake_config
from warehouse import db as wdb
from warehouse import migrate as wmig

pytestmark = pytest.mark.usefixtures("warehouse_backend")


def test_fresh_warehouse_gets_every_migration(tmp_path: Path) -> None:
    con = wdb.connect_writer(tmp_path / "w.duckdb")
    rows = con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
    versions = [r[0] for r in rows]
    assert versions == [m.version for m in wmig.migrations()]
    assert wdb.migrate(con) == 0  # nothing left to apply
    con.close()


def test_older_warehouse_is_upgraded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "w.duckdb"
    all_migrations = wmig.migrations()
    monkeypatch.setattr(wmig, "migrations", lambda: all_migrations[:1])
    wdb.connect_writer(path).close()
    monkeypatch.setattr(wmig, "migrations", lambda: all_migrations)
    con = wdb.connect_writer(path)
    assert wmig.schema_version(con) == all_migrations[-1].version
    con.close()


def raw(path: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse without pantau's migrations: the file itself, or the lake attached."""
    lake = lake_config(path)
    if lake is None:
        return wdb.connect_file(path, read_only=False)
    return wdb.connect_lake(lake, read_only=False)


def test_newer_warehouse_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    wdb.connect_writer(path).close()
    con = raw(path)
    con.execute("INSERT INTO schema_migrations VALUES (9999, 'from_the_future', now())")
    con.close()
    with pytest.raises(wdb.WarehouseError, match="newer than this pantau"):
        wdb.connect_writer(path)
    with pytest.raises(wdb.WarehouseError, match="upgrade pantau"):
        wdb.connect_reader(path)


def test_failed_migration_leaves_no_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "0999_broken.sql"
    bad.write_text("CREATE TABLE half_done (x INTEGER); SELECT * FROM no_such_table;")
    good = wmig.migrations()
    monkeypatch.setattr(wmig, "migrations", lambda: [*good, wmig.Migration(999, "broken", bad)])
    path = tmp_path / "w.duckdb"
    with pytest.raises(duckdb.Error):
        wdb.connect_writer(path)
    con = raw(path)
    rows = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    tables = {r[0] for r in rows}
    assert "half_done" not in tables
    applied = con.execute("SELECT version FROM schema_migrations").fetchall()
    assert 999 not in {r[0] for r in applied}
    con.close()
