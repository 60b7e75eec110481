"""The columns of ``articles`` (and ``article_versions``), declared once.

The migrations (``warehouse/migrations/*.sql``) are history: they create these columns over
several steps. This table says what the columns are today, in their logical order (the order
``pantau export`` writes them), and the code reads it instead of listing them again: the
loader's batch file and its merge statements (:mod:`warehouse.loader`), the export columns
(:mod:`warehouse.export`) and the README's column table (:func:`markdown_table`).
``tests/warehouse/test_schema.py`` checks that a freshly migrated warehouse has exactly these
columns with these types, and that the README shows this table; a new migration that adds an
article column adds its row here.

Run ``python -m warehouse.schema`` to print the README's table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of ``articles`` and how the load fills it.

    SQL expressions are over ``b``, the batch row of the article's latest fetch in a load,
    ``a``, the current ``articles`` row, and the named parameter ``$run_id``.
    """

    name: str
    type: str  # DuckDB type, as the migrations spell it
    doc: str  # one line for the README
    #: The key of ``extract_article``'s JSON the value comes from; the load's batch file
    #: carries it under :attr:`name` with :attr:`type` (None: not from the extractor).
    extracted: str | None = None
    #: What a new article's row gets (None: NULL, filled later by another step).
    new: str | None = None
    #: What it becomes when the article's content changes (None: kept as it is).
    changed: str | None = None
    #: The ``article_versions`` column that keeps the superseded value (None: not kept).
    version: str | None = None
    #: Written by ``pantau export``.
    exported: bool = False


def _extracted(name: str, type_: str, doc: str, key: str | None = None, *,
               versioned: bool = True, exported: bool = True) -> Column:
    """A column read from the extracted article: set on insert, rewritten on each change."""
    return Column(name, type_, doc, extracted=key or name, new=f"b.{name}", changed=f"b.{name}",
                  version=name if versioned else None, exported=exported)


TIMESTAMPTZ = "TIMESTAMPTZ"

ARTICLE_COLUMNS: tuple[Column, ...] = (
    Column("id", "VARCHAR", "stable id: the first 20 hex digits of the SHA-1 of `canonical_url`",
           new="b.article_id", version="article_id", exported=True),
    Column("source", "VARCHAR", "the outlet's `name` in sources.yaml",
           new="b.source", exported=True),
    Column("url", "VARCHAR", "the address fetched for its current version",
           new="b.url", changed="b.url", exported=True),
    Column("canonical_url", "VARCHAR", "the address it is kept under: one row per canonical URL",
           new="b.canonical_url", exported=True),
    _extracted("title", "VARCHAR", "headline"),
    _extracted("text", "VARCHAR", "the article's body text"),
    _extracted("authors", "VARCHAR[]", "people credited as writing it (empty: none found)"),
    _extracted("editors", "VARCHAR[]",
               "people credited as editors, apart from `authors` (migration 0008; NULL for "
               "articles loaded before it until `pantau reprocess` or their next fetch)"),
    _extracted("published_at", TIMESTAMPTZ, "when it was published"),
    _extracted("published_at_local", "VARCHAR",
               "the same as ISO 8601 with the outlet's own offset, e.g. "
               "`2026-11-20T14:05:00+07:00`", key="published_at"),
    _extracted("updated_at", TIMESTAMPTZ, "when the outlet says it was last updated"),
    _extracted("updated_at_local", "VARCHAR", "the same with the outlet's own offset",
               key="updated_at", versioned=False, exported=False),
    _extracted("section", "VARCHAR", "the outlet's section (rubric)"),
    _extracted("tags", "VARCHAR[]", "the outlet's tags or keywords"),
    _extracted("language", "VARCHAR", "language code, e.g. `id`", versioned=False),
    _extracted("site_name", "VARCHAR", "the outlet's name as the page gives it", versioned=False),
    _extracted("dateline", "VARCHAR", "the place the story was filed from, e.g. `BEKASI`",
               versioned=False),
    Column("first_seen_at", TIMESTAMPTZ, "when pantau first fetched it",
           new="b.fetched_at", exported=True),
    Column("last_seen_at", TIMESTAMPTZ, "when pantau last fetched it",
           new="b.fetched_at", changed="b.fetched_at", version="first_seen_at", exported=True),
    Column("content_hash", "VARCHAR",
           "hash of what a reader sees; a change makes a new version",
           new="b.content_hash", changed="b.content_hash", version="content_hash",
           exported=True),
    Column("version", "INTEGER", "1 for the first version, one more for each change",
           new="1", changed="a.version + 1", version="version", exported=True),
    Column("run_id", "VARCHAR", "the run that wrote this version",
           new="$run_id", changed="$run_id", version="run_id"),
    Column("archive", "VARCHAR",
           "the staging file holding this version's raw page: `staging/<run>/<outlet>.jsonl.gz`, "
           "or the week's `staging/archive/<YYYY>-W<ww>.jsonl.gz` once compacted",
           new="b.archive", changed="b.archive", version="archive"),
    Column("cluster_id", "VARCHAR",
           "near-duplicates: the id of the earliest article of its story (syndicated copies "
           "share it)", exported=True),
    Column("removed_at", TIMESTAMPTZ,
           "when a re-check found it gone (404/410); NULL while it is live (the row is never "
           "deleted)"),
    Column("removed_status", "INTEGER", "the status it was found gone with (404 or 410)"),
)

#: ``article_versions`` columns that are no column of ``articles``: (name, type, SQL, doc).
VERSION_ONLY_COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("superseded_at", TIMESTAMPTZ, "b.fetched_at", "when the next version was seen"),
)


def batch_columns() -> dict[str, str]:
    """The extracted article fields of the loader's batch file: name -> DuckDB type."""
    return {c.name: c.type for c in ARTICLE_COLUMNS if c.extracted}


def batch_values(article: dict[str, object]) -> dict[str, object]:
    """The batch file's article fields for one extracted article (lists never NULL)."""
    row: dict[str, object] = {}
    for c in ARTICLE_COLUMNS:
        if c.extracted:
            value = article.get(c.extracted)
            row[c.name] = (value or []) if c.type.endswith("[]") else value
    return row


def inserted() -> list[tuple[str, str]]:
    """(column, SQL) of a new article's row."""
    return [(c.name, c.new) for c in ARTICLE_COLUMNS if c.new]


def updated() -> list[tuple[str, str]]:
    """(column, SQL) rewritten when an article's content changes."""
    return [(c.name, c.changed) for c in ARTICLE_COLUMNS if c.changed]


def versioned() -> list[tuple[str, str]]:
    """(``article_versions`` column, SQL) of the version a change supersedes."""
    kept = [(c.version, f"a.{c.name}") for c in ARTICLE_COLUMNS if c.version]
    return kept + [(name, sql) for name, _, sql, _ in VERSION_ONLY_COLUMNS]


def version_columns() -> dict[str, str]:
    """The columns of ``article_versions``: name -> DuckDB type."""
    kept = {c.version: c.type for c in ARTICLE_COLUMNS if c.version}
    return kept | {name: type_ for name, type_, _, _ in VERSION_ONLY_COLUMNS}


def exported() -> list[str]:
    """The columns ``pantau export`` writes, in order."""
    return [c.name for c in ARTICLE_COLUMNS if c.exported]


def markdown_table() -> str:
    """The README's table of the ``articles`` columns."""
    lines = ["| column | type | what it holds | kept in `article_versions` as "
             "| in `pantau export` |", "|---|---|---|---|---|"]
    for c in ARTICLE_COLUMNS:
        kept = f"`{c.version}`" if c.version else ""
        lines.append(f"| `{c.name}` | {c.type} | {c.doc} | {kept} | "
                     f"{'yes' if c.exported else ''} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
