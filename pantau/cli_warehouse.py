"""``pantau migrate-warehouse``: the warehouse's backend (docs/scale-out.md)."""

from __future__ import annotations

from pathlib import Path

import click

from pantau.cli_context import settings_of


@click.command("migrate-warehouse")
@click.option("--from", "source", type=click.Path(dir_okay=False, path_type=Path),
              help="the DuckDB warehouse file to move [default: --db / PANTAU_DB]")
@click.pass_context
def migrate_warehouse(ctx: click.Context, source: Path | None) -> None:
    """Copy a DuckDB warehouse file into the DuckLake PANTAU_WAREHOUSE names.

    The lake must be empty; the file is upgraded to the current schema, copied in one
    transaction and checked (rows per table, keys). The file itself is left as it was.
    See docs/scale-out.md.
    """
    from core.settings import lake_config
    from warehouse.lake_copy import copy_into_lake

    settings = settings_of(ctx)
    lake = lake_config(settings.db)
    if lake is None:
        raise click.UsageError(
            "set PANTAU_WAREHOUSE=ducklake:<catalog> (e.g. ducklake:sqlite:data/catalog.sqlite "
            "or ducklake:postgres:dbname=pantau host=db.internal) and, for the data files, "
            "PANTAU_LAKE_DATA: the lake to move the warehouse into")
    source = source or settings.db
    click.echo(f"moving {source} into the DuckLake {lake.catalog} (data {lake.data_path})")
    report = copy_into_lake(source, lake,
                            progress=lambda table, n: click.echo(f"  {table}: {n} rows"))
    click.echo(f"{report.total} rows in {len(report.rows)} tables copied and checked; lake "
               f"snapshot {report.snapshot}. {source} is unchanged.")
