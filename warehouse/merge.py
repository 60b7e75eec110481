"""The set-based merge of a run's batch (:mod:`warehouse.batch`) into ``pages``, ``articles``,
``article_versions`` and ``article_removals``, and the per-outlet outcome counts read back.

Every statement joins the batch to the tables by key, so its cost follows the batch (the night),
not the history. The caller holds the transaction.
"""

from __future__ import annotations

from typing import Any

import duckdb

from core.leaks import LEAK_REGEX
from warehouse import schema
from warehouse.lookups import id_filter

# An article text shorter than this is counted as suspect in the outlet's extraction health.
SHORT_TEXT_CHARS = 300


# The merge's article statements, their column lists from warehouse/schema.py. In them ``b`` is
# the batch row of an article's latest fetch, ``a`` its current row, ``{newer}`` the comparison
# of fetch times (see _merge).
#
# A changed article's row is replaced (deleted and inserted again), not updated in place: an
# UPDATE of its text would make the commit's checkpoint rewrite the text of every row group the
# night's changes fall into, that is of the whole history; a delete is only marked.
_CHANGED_IDS = """
    CREATE OR REPLACE TEMP TABLE changed_ids AS
    SELECT a.id FROM articles a JOIN batch_articles b ON a.id = b.article_id
    WHERE a.content_hash <> b.content_hash AND b.fetched_at {newer} a.last_seen_at
"""
_SAVE_VERSIONS = f"""
    INSERT INTO article_versions ({", ".join(name for name, _ in schema.versioned())})
    SELECT {", ".join(sql for _, sql in schema.versioned())}
    FROM changed_old a JOIN batch_articles b ON a.id = b.article_id
    WHERE NOT EXISTS (SELECT 1 FROM article_versions v
                      WHERE v.article_id = a.id AND v.version = a.version)
"""
_CHANGED_VALUES = dict(schema.updated())
_REPLACE_CHANGED = f"""
    INSERT INTO articles ({", ".join(c.name for c in schema.ARTICLE_COLUMNS)})
    SELECT {", ".join(_CHANGED_VALUES.get(c.name, f"a.{c.name}") for c in schema.ARTICLE_COLUMNS)}
    FROM changed_old a JOIN batch_articles b ON a.id = b.article_id
"""
_INSERT_NEW = f"""
    INSERT INTO articles ({", ".join(name for name, _ in schema.inserted())})
    SELECT {", ".join(sql for _, sql in schema.inserted())}
    FROM batch_articles b
    WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = b.article_id)
"""


def merge_batch(con: duckdb.DuckDBPyConnection, run_id: str, reprocess: bool = False) -> None:
    """Set-based merge of the ``batch`` temp table into pages/articles/article_versions.

    A normal load replaces an article only with a later fetch. A reprocess re-extracts the
    same archived fetch, so there the fetch that produced the current row (``>=``) may
    replace it when the new extractor reads it differently; it never rolls a page back to an
    older fetch, nor changes its validators.

    Removals (see :func:`_mark_removals`): a 404/410 for an article's URL fetched after it was
    last seen live sets ``articles.removed_at``; a later live fetch clears it again.
    """
    newer = ">=" if reprocess else ">"
    # Within one run keep the last fetch of each URL, and of each canonical article.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE batch_pages AS
        SELECT * FROM batch
        QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE batch_articles AS
        SELECT * FROM batch_pages WHERE kind = 'article'
        QUALIFY row_number() OVER (PARTITION BY canonical_url ORDER BY fetched_at DESC) = 1
        """
    )
    # Changed articles: keep the current row as an earlier version, then replace it. Found by
    # narrow columns first; their whole rows are then looked up by id in the index
    # (warehouse.lookups), so the night's few are read, not the history's text.
    con.execute(_CHANGED_IDS.replace("{newer}", newer))
    changed = id_filter(con, "id", "changed_ids")
    if changed != "FALSE":
        con.execute("CREATE OR REPLACE TEMP TABLE changed_old AS SELECT * FROM articles "
                    f"WHERE {changed}")
        con.execute(_SAVE_VERSIONS)
        con.execute(f"DELETE FROM articles WHERE {changed}")
        con.execute(_REPLACE_CHANGED, {"run_id": run_id})
        con.execute("DROP TABLE changed_old")
    # Unchanged articles seen again: only last_seen_at moves (never backwards).
    con.execute(
        """
        UPDATE articles AS a SET last_seen_at = b.fetched_at
        FROM batch_articles b
        WHERE a.id = b.article_id AND a.content_hash = b.content_hash
          AND b.fetched_at > a.last_seen_at
        """
    )
    # Credits outside the content hash (editors, migration 0008): the latest extraction's, without
    # a new version, so a reprocess fills them in for articles loaded before. The articles seen
    # again are found by narrow columns, their editors then read through the index.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE seen_ids AS
        SELECT a.id FROM articles a JOIN batch_articles b ON a.id = b.article_id
        WHERE a.content_hash = b.content_hash AND b.fetched_at >= a.last_seen_at
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE credited_ids AS
        SELECT a.id FROM (SELECT id, editors FROM articles
                          WHERE {id_filter(con, 'id', 'seen_ids')}) a
        JOIN batch_articles b ON a.id = b.article_id WHERE a.editors IS DISTINCT FROM b.editors
        """
    )
    credited = id_filter(con, "a.id", "credited_ids")
    if credited != "FALSE":
        con.execute(
            f"""
            UPDATE articles AS a SET editors = b.editors FROM batch_articles b
            WHERE {credited} AND a.id = b.article_id
            """
        )
    con.execute("DROP TABLE seen_ids")
    con.execute("DROP TABLE credited_ids")
    con.execute(_INSERT_NEW, {"run_id": run_id})
    if not reprocess:  # a reprocess re-reads old fetches: it neither removes nor restores
        _mark_removals(con, run_id)
    # Pages: every fetched or failed URL. Attempts count failed runs, once per run. A failed
    # fetch keeps the page's link to its article and the validators of its last good fetch.
    # A page fetched again is replaced (deleted and appended), not updated in place: an UPDATE
    # makes the commit's checkpoint rewrite the updated columns of every row group it touches,
    # and a night's refetches fall all over the history.
    failed = "b.kind IN ('error', 'discovery_error')"
    keep_validator = f"{failed} OR {'true' if reprocess else 'false'}"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE pages_again AS
        SELECT p.* REPLACE (
            b.final_url AS final_url, b.canonical_url AS canonical_url, b.kind AS kind,
            b.status AS status, b.error AS error,
            CASE WHEN p.run_id = $run THEN p.attempts WHEN {failed} THEN p.attempts + 1
                 ELSE 1 END AS attempts,
            b.content_hash AS content_hash,
            CASE WHEN {failed} THEN coalesce(b.article_id, p.article_id)
                 ELSE b.article_id END AS article_id,
            CASE WHEN {keep_validator} THEN p.etag ELSE b.etag END AS etag,
            CASE WHEN {keep_validator} THEN p.last_modified ELSE b.last_modified END
                AS last_modified,
            b.archive AS archive,
            greatest(p.last_fetched_at, b.fetched_at) AS last_fetched_at,
            $run AS run_id)
        FROM pages p JOIN batch_pages b ON p.url = b.url
        WHERE {'b.fetched_at >= p.last_fetched_at' if reprocess else 'true'}
        """,
        {"run": run_id},
    )
    con.execute(
        """
        INSERT INTO pages (url, source, final_url, canonical_url, kind, status, error, attempts,
            content_hash, article_id, archive, first_seen_at, last_fetched_at, run_id, etag,
            last_modified)
        SELECT b.url, b.source, b.final_url, b.canonical_url, b.kind, b.status, b.error, 1,
            b.content_hash, b.article_id, b.archive, b.fetched_at, b.fetched_at, ?, b.etag,
            b.last_modified
        FROM batch_pages b WHERE NOT EXISTS (SELECT 1 FROM pages p WHERE p.url = b.url)
        """,
        [run_id],
    )
    con.execute("DELETE FROM pages WHERE url IN (SELECT url FROM pages_again)")
    con.execute("INSERT INTO pages SELECT * FROM pages_again")
    con.execute("DROP TABLE pages_again")


def _mark_removals(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Articles whose URL answered 404/410 after they were last seen live, and back again.

    Gone: ``articles.removed_at`` (when the crawler saw it gone, from the staged record) and
    ``removed_status`` are set, and the removal is recorded in ``article_removals``; the first
    sighting counts, later 404s of the same removal change nothing. Back: a live fetch after
    the removal clears both columns and closes the ``article_removals`` row (``restored_at``).
    Articles and their versions are never deleted.
    """
    con.execute(
        """
        UPDATE article_removals AS r SET restored_at = b.fetched_at
        FROM batch_articles b
        WHERE r.article_id = b.article_id AND r.restored_at IS NULL
          AND b.fetched_at > r.removed_at
        """
    )
    con.execute(
        """
        UPDATE articles AS a SET removed_at = NULL, removed_status = NULL
        FROM batch_articles b
        WHERE a.id = b.article_id AND a.removed_at IS NOT NULL AND b.fetched_at > a.removed_at
        """
    )
    # The page's URL is the article's own, its canonical one, or a page that fed it.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE batch_gone AS
        WITH gone AS (
            SELECT url, fetched_at, status FROM batch_pages
            WHERE kind = 'error' AND status IN (404, 410)
        ), hits AS (
            SELECT a.id AS article_id, g.fetched_at, g.status
            FROM gone g JOIN articles a ON a.url = g.url
            UNION ALL
            SELECT a.id, g.fetched_at, g.status
            FROM gone g JOIN articles a ON a.canonical_url = g.url
            UNION ALL
            SELECT p.article_id, g.fetched_at, g.status FROM gone g JOIN pages p ON p.url = g.url
            WHERE p.article_id IS NOT NULL
        )
        SELECT h.article_id, min(h.fetched_at) AS removed_at,
               arg_min(h.status, h.fetched_at) AS removed_status
        FROM hits h JOIN articles a ON a.id = h.article_id
        WHERE a.removed_at IS NULL AND h.fetched_at > a.last_seen_at
        GROUP BY h.article_id
        """
    )
    con.execute(
        """
        INSERT INTO article_removals (article_id, removed_at, removed_status, run_id)
        SELECT article_id, removed_at, removed_status, ? FROM batch_gone g
        WHERE NOT EXISTS (SELECT 1 FROM article_removals r
                          WHERE r.article_id = g.article_id AND r.removed_at = g.removed_at)
        """,
        [run_id],
    )
    con.execute(
        """
        UPDATE articles AS a SET removed_at = g.removed_at, removed_status = g.removed_status
        FROM batch_gone g WHERE a.id = g.article_id
        """
    )
    con.execute("DROP TABLE batch_gone")


def count_removals(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Per source: articles this run saw gone."""
    rows = con.execute(
        """
        SELECT a.source, count(*) FROM article_removals r JOIN articles a ON a.id = r.article_id
        WHERE r.run_id = ? GROUP BY a.source
        """,
        [run_id],
    ).fetchall()
    return {r[0]: int(r[1]) for r in rows}


def count_outcomes(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, dict[str, Any]]:
    """Per source: new/updated/unchanged articles as they stand after the merge, the extraction
    health counts, and how the articles this run wrote read (median text length, dated and
    leaky shares: :mod:`warehouse.extraction_drops` compares them night by night)."""
    rows = con.execute(
        """
        SELECT b.source,
               count(*) FILTER (WHERE a.version = 1 AND a.run_id = $run),
               count(*) FILTER (WHERE a.version > 1 AND a.run_id = $run),
               count(*) FILTER (WHERE a.run_id <> $run),
               count(*),
               count(*) FILTER (WHERE length(b.text) < $short),
               count(*) FILTER (WHERE b.published_at IS NULL),
               median(length(b.text)) FILTER (WHERE a.run_id = $run),
               avg(CASE WHEN b.published_at IS NULL THEN 0 ELSE 1 END)
                   FILTER (WHERE a.run_id = $run),
               avg(CASE WHEN regexp_matches(b.text, $leak) THEN 1 ELSE 0 END)
                   FILTER (WHERE a.run_id = $run)
        FROM batch_articles b JOIN articles a ON a.id = b.article_id
        GROUP BY b.source
        """,
        {"run": run_id, "short": SHORT_TEXT_CHARS, "leak": "(?im)" + LEAK_REGEX},
    ).fetchall()
    keys = ("new", "updated", "unchanged", "loaded", "short", "undated", "median_text", "dated",
            "leaky")
    return {r[0]: dict(zip(keys, r[1:], strict=True)) for r in rows}


def written_articles(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """Ids of the articles whose current version ``run_id`` wrote (new and changed ones), read
    from the batch (the night), not from all articles."""
    rows = con.execute(
        "SELECT a.id FROM batch_articles b JOIN articles a ON a.id = b.article_id "
        "WHERE a.run_id = ?", [run_id]).fetchall()
    return [r[0] for r in rows]
