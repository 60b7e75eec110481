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
_CHANGED_OLD = """
    CREATE OR REPLACE TEMP TABLE changed_old AS
    SELECT * FROM articles WHERE id IN (SELECT id FROM changed_ids)
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
    # narrow columns first; their whole rows are read only when there are any.
    con.execute(_CHANGED_IDS.replace("{newer}", newer))
    found = con.execute("SELECT count(*) FROM changed_ids").fetchone()
    if found and found[0]:
        con.execute(_CHANGED_OLD)
        con.execute(_SAVE_VERSIONS)
        con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM changed_ids)")
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
    # a new version, so a reprocess fills them in for articles loaded before
    con.execute(
        """
        UPDATE articles AS a SET editors = b.editors
        FROM batch_articles b
        WHERE a.id = b.article_id AND a.content_hash = b.content_hash
          AND a.editors IS DISTINCT FROM b.editors AND b.fetched_at >= a.last_seen_at
        """
    )
    con.execute(_INSERT_NEW, {"run_id": run_id})
    if not reprocess:  # a reprocess re-reads old fetches: it neither removes nor restores
        _mark_removals(con, run_id)
    # Pages: every fetched or failed URL. Attempts count failed runs, once per run. A failed
    # fetch keeps the page's link to its article and the validators of its last good fetch.
    con.execute(
        """
        MERGE INTO pages AS p
        USING (SELECT b.*, ? AS run_id, b.fetched_at AS last_fetched_at FROM batch_pages b)
            AS excluded
        ON p.url = excluded.url
        WHEN MATCHED AND (NOT {reprocess} OR excluded.last_fetched_at >= p.last_fetched_at)
        THEN UPDATE SET
            final_url = excluded.final_url, canonical_url = excluded.canonical_url,
            kind = excluded.kind, status = excluded.status, error = excluded.error,
            attempts = CASE
                WHEN p.run_id = excluded.run_id THEN p.attempts
                WHEN excluded.kind IN ('error', 'discovery_error') THEN p.attempts + 1
                ELSE 1 END,
            content_hash = excluded.content_hash,
            article_id = CASE WHEN excluded.kind IN ('error', 'discovery_error')
                THEN coalesce(excluded.article_id, p.article_id) ELSE excluded.article_id END,
            etag = CASE WHEN excluded.kind IN ('error', 'discovery_error') OR {reprocess}
                THEN p.etag ELSE excluded.etag END,
            last_modified = CASE WHEN excluded.kind IN ('error', 'discovery_error')
                OR {reprocess}
                THEN p.last_modified ELSE excluded.last_modified END,
            archive = excluded.archive,
            last_fetched_at = greatest(p.last_fetched_at, excluded.last_fetched_at),
            run_id = excluded.run_id
        WHEN NOT MATCHED THEN INSERT (url, source, final_url, canonical_url, kind, status, error,
            attempts, content_hash, article_id, archive, first_seen_at, last_fetched_at, run_id,
            etag, last_modified)
        VALUES (excluded.url, excluded.source, excluded.final_url, excluded.canonical_url,
            excluded.kind, excluded.status, excluded.error, 1, excluded.content_hash,
            excluded.article_id, excluded.archive, excluded.fetched_at, excluded.fetched_at,
            excluded.run_id, excluded.etag, excluded.last_modified)
        """.replace("{reprocess}", "true" if reprocess else "false"),
        [run_id],
    )


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
