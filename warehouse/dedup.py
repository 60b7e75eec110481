"""Near-duplicate clusters: one story syndicated (and lightly edited) across many outlets.

Each article gets a one-permutation MinHash signature of its word 4-gram shingles: every shingle
hash falls into one of ``BINS`` bins by its low bits and the bin keeps the smallest value. Two
articles' share of equal bins estimates the Jaccard similarity of their shingle sets. Locality-
sensitive hashing over ``BANDS`` bands of ``ROWS`` bins finds candidate pairs without comparing all
pairs; candidates whose estimated similarity is at least ``THRESHOLD`` become edges, and the
connected components of the edges are the clusters. ``articles.cluster_id`` is the id of the
cluster's earliest published article (its own id for a story seen once).

Only new or changed articles are signed on each load, and only the clusters they touch are
recomputed, so the nightly cost follows the night's articles; a full rebuild is linear in the
number of articles (plus the candidate pairs).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from warehouse.lookups import id_filter

log = logging.getLogger(__name__)

BINS = 128
ROWS = 3
BANDS = BINS // ROWS  # 42 bands of 3 bins (the last 2 bins are not banded)
SHINGLE = 4
THRESHOLD = 0.4
EMPTY = np.uint64(2**64 - 1)
_TOKEN_RE = re.compile(r"[^\W_]+")
_MIX = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xC2B2AE3D27D4EB4F),
    np.uint64(0x165667B19E3779F9),
    np.uint64(0x27D4EB2F165667C5),
)
_SHIFT = np.uint64(7)  # log2(BINS)
_MASK = np.uint64(BINS - 1)


class _TokenHashes(dict[str, int]):
    """Stable 64-bit hashes of tokens, computed once per distinct token."""

    def __missing__(self, token: str) -> int:
        value = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")
        self[token] = value
        return value


_token_hashes = _TokenHashes()


def tokens(text: str) -> list[str]:
    """Lower-case, accent-free word tokens."""
    folded = text.lower()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _TOKEN_RE.findall(folded)


def signature(text: str) -> np.ndarray:
    """The MinHash signature (``BINS`` uint64, ``EMPTY`` for empty bins) of a text."""
    toks = tokens(text)
    sig = np.full(BINS, EMPTY, dtype=np.uint64)
    if not toks:
        return sig
    hashes = np.fromiter((_token_hashes[t] for t in toks), dtype=np.uint64, count=len(toks))
    n = max(1, len(hashes) - SHINGLE + 1)
    with np.errstate(over="ignore"):
        shingles = np.zeros(n, dtype=np.uint64)
        for k in range(min(SHINGLE, len(hashes))):
            part = hashes[k : k + n]
            shingles[: len(part)] ^= (part * _MIX[k]) ^ (part >> np.uint64(29 + k))
        shingles ^= shingles >> np.uint64(31)
        shingles *= _MIX[0]
    np.minimum.at(sig, (shingles & _MASK).astype(np.intp), shingles >> _SHIFT)
    return sig


def band_keys(sig: np.ndarray) -> list[tuple[int, int]]:
    """``(band, key)`` with a signed 64-bit key per non-empty band (``article_bands`` rows)."""
    rows = sig[: BANDS * ROWS].reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        mixed = np.arange(BANDS, dtype=np.uint64) * _MIX[ROWS % len(_MIX)]
        for r in range(ROWS):
            col = rows[:, r]
            mixed ^= (col * _MIX[r]) ^ (col >> np.uint64(23 + r))
            mixed *= _MIX[(r + 1) % len(_MIX)]
        mixed ^= mixed >> np.uint64(29)
    keep = ~np.all(rows == EMPTY, axis=1)  # an all-empty band would match every other one
    keys = mixed.view(np.int64)
    return [(int(b), int(keys[b])) for b in np.flatnonzero(keep)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (bins empty in both are ignored)."""
    used = (a != EMPTY) | (b != EMPTY)
    total = int(used.sum())
    return float(((a == b) & used).sum()) / total if total else 0.0


@dataclass
class ClusterSummary:
    signed: int  # articles (re)signed this time
    pairs: int  # new near-duplicate pairs
    clusters: int  # clusters with more than one article, in total
    clustered_articles: int  # articles in such clusters


def _sign_missing(
    con: duckdb.DuckDBPyConnection, candidates: Collection[str] | None = None
) -> dict[str, np.ndarray]:
    """Sign new and changed articles (among ``candidates`` when given); return their signatures
    by id. Their ids are left in the temp table ``signed_ids`` and their bands in ``new_bands``."""
    scope, signed = "articles a", "article_signatures"
    if candidates is not None:
        # the night's articles, read through the index (warehouse.lookups), not the history
        _id_table(con, "candidate_ids", candidates)
        scope = f"articles a WHERE {id_filter(con, 'a.id', 'candidate_ids')}"
        signed = f"article_signatures WHERE {id_filter(con, 'article_id', 'candidate_ids')}"
    todo = con.execute(
        f"""
        SELECT a.id, a.content_hash, coalesce(a.title, '') || ' ' || a.text,
               s.article_id IS NOT NULL
        FROM (SELECT * FROM {scope}) a
        LEFT JOIN (SELECT article_id, content_hash FROM {signed}) s ON s.article_id = a.id
        WHERE s.article_id IS NULL OR s.content_hash <> a.content_hash
        """
    ).fetchall()
    _id_table(con, "signed_ids", [r[0] for r in todo])
    con.execute("CREATE OR REPLACE TEMP TABLE new_bands "
                "(article_id VARCHAR, band TINYINT, bkey BIGINT)")
    if not todo:
        return {}
    # Only a changed article has an earlier signature; a new one has none. Its earlier bands
    # stay until the weekly compact_bands (migration 0014 says why) and it is recorded for it.
    resigned = [r[0] for r in todo if r[3]]
    if resigned:
        _id_table(con, "resigned_ids", resigned)
        con.execute("DELETE FROM article_signatures "
                    f"WHERE {id_filter(con, 'article_id', 'resigned_ids')}")
        con.execute("INSERT INTO retired_bands SELECT id FROM resigned_ids")
        con.execute("DROP TABLE resigned_ids")
    sigs: dict[str, np.ndarray] = {}
    sig_rows: list[tuple[str, str, bytes]] = []
    band_rows: list[tuple[str, int, int]] = []
    for article_id, content_hash, text, _ in todo:
        sig = sigs[article_id] = signature(text)
        sig_rows.append((article_id, content_hash, sig.astype("<u8").tobytes()))
        band_rows.extend((article_id, band, key) for band, key in band_keys(sig))
    _bulk_insert(con, "article_signatures", ["VARCHAR", "VARCHAR", "BLOB"], sig_rows)
    _bulk_insert(con, "new_bands", ["VARCHAR", "TINYINT", "BIGINT"], band_rows)
    con.execute("INSERT INTO article_bands SELECT * FROM new_bands")
    return sigs


def _id_table(con: duckdb.DuckDBPyConnection, name: str, ids: Iterable[str]) -> None:
    """The temp table ``name`` (one column, ``id``) holding the distinct ``ids``."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} (id VARCHAR)")
    _bulk_insert(con, name, ["VARCHAR"], [(i,) for i in set(ids)])


def _bulk_insert(
    con: duckdb.DuckDBPyConnection, table: str, types: list[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert many rows through a temporary JSON Lines file read by DuckDB in one statement.

    (Passing Python lists as query parameters converts value by value and is very slow;
    BLOB values travel as hex.)
    """
    if not rows:
        return
    names = [f"c{i}" for i in range(len(types))]
    with tempfile.TemporaryDirectory(prefix="pantau-dedup-") as tmp:
        path = Path(tmp) / "rows.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                values = [v.hex() if isinstance(v, bytes) else v for v in row]
                fh.write(json.dumps(dict(zip(names, values, strict=True))) + "\n")
        spec = ", ".join(
            f"'{n}': '{'VARCHAR' if t == 'BLOB' else t}'" for n, t in zip(names, types, strict=True)
        )
        select = ", ".join(
            f"unhex({n})" if t == "BLOB" else n for n, t in zip(names, types, strict=True)
        )
        con.execute(
            f"INSERT INTO {table} SELECT {select} FROM read_json(?, "
            f"format = 'newline_delimited', columns = {{{spec}}})",
            [str(path)],
        )


def _load_signatures(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, np.ndarray]:
    # a constant list is pushed into the scan, which then reads the signatures (a KiB each)
    # only where an id matched; a join would read the history's signatures
    _id_table(con, "wanted_ids", ids)
    rows = con.execute("SELECT article_id, signature FROM article_signatures "
                       f"WHERE {id_filter(con, 'article_id', 'wanted_ids')}").fetchall()
    return {r[0]: np.frombuffer(r[1], dtype="<u8") for r in rows}


def _new_pairs(con: duckdb.DuckDBPyConnection, signed: dict[str, np.ndarray]) -> int:
    """Verify candidate pairs involving the newly signed articles (their bands in the temp
    table ``new_bands``); store the near-duplicates."""
    if not signed:
        return 0
    con.execute(
        "DELETE FROM near_duplicates WHERE a IN (SELECT id FROM signed_ids) "
        "OR b IN (SELECT id FROM signed_ids)"
    )
    # the night's bands against the history's: one pass over article_bands
    candidates = con.execute(
        """
        SELECT DISTINCT least(n.article_id, o.article_id), greatest(n.article_id, o.article_id)
        FROM new_bands n
        JOIN article_bands o ON n.band = o.band AND n.bkey = o.bkey
             AND n.article_id <> o.article_id
        """
    ).fetchall()
    if not candidates:
        return 0
    sigs = dict(signed)
    sigs.update(_load_signatures(
        con, {x for pair in candidates for x in pair if x not in signed}))
    edges = []
    for a, b in candidates:
        sim = similarity(sigs[a], sigs[b])
        if sim >= THRESHOLD:
            edges.append((a, b, round(sim, 4)))
    _bulk_insert(con, "near_duplicates", ["VARCHAR", "VARCHAR", "DOUBLE"], edges)
    return len(edges)


def _components(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Union-find: each article id in ``pairs`` mapped to its component's root."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def _linked(con: duckdb.DuckDBPyConnection, seeds: Iterable[str]) -> set[str]:
    """``seeds`` and every article linked to them through stored pairs (their components)."""
    found = set(seeds)
    frontier = set(found)
    while frontier:
        _id_table(con, "frontier_ids", frontier)
        rows = con.execute(
            "SELECT a, b FROM near_duplicates WHERE a IN (SELECT id FROM frontier_ids) "
            "OR b IN (SELECT id FROM frontier_ids)").fetchall()
        frontier = {x for row in rows for x in row} - found
        found |= frontier
    con.execute("DROP TABLE IF EXISTS frontier_ids")
    return found


def _name_clusters(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]],
                   members: str) -> None:
    """Give the articles of ``members`` (SQL: the ``articles a`` rows to recompute, optionally
    joined) the cluster of the components ``pairs`` make. A cluster is named after its earliest
    published member (ties: first seen, then id)."""
    roots = _components(pairs)
    con.execute("CREATE OR REPLACE TEMP TABLE cluster_roots (id VARCHAR, root VARCHAR)")
    _bulk_insert(con, "cluster_roots", ["VARCHAR", "VARCHAR"], list(roots.items()))
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cluster_of AS
        WITH members AS (
            SELECT a.id, coalesce(r.root, a.id) AS root, a.published_at, a.first_seen_at
            FROM {members} LEFT JOIN cluster_roots r ON r.id = a.id
        )
        SELECT id, first_value(id) OVER (
            PARTITION BY root ORDER BY published_at NULLS LAST, first_seen_at, id
        ) AS cluster_id
        FROM members
        """
    )
    con.execute(
        """
        UPDATE articles AS a SET cluster_id = c.cluster_id FROM cluster_of c
        WHERE a.id = c.id AND a.cluster_id IS DISTINCT FROM c.cluster_id
        """
    )
    for name in ("cluster_roots", "cluster_of"):
        con.execute(f"DROP TABLE IF EXISTS {name}")


def _assign_some(con: duckdb.DuckDBPyConnection, affected: set[str]) -> None:
    """Recompute the clusters of the ``affected`` articles: whole components (see
    :func:`_linked`), so no article outside them changes cluster."""
    _id_table(con, "affected_ids", affected)
    pairs = [(r[0], r[1]) for r in con.execute(
        "SELECT a, b FROM near_duplicates WHERE a IN (SELECT id FROM affected_ids)").fetchall()]
    _name_clusters(con, pairs, "affected_ids f JOIN articles a ON a.id = f.id")
    con.execute("DROP TABLE IF EXISTS affected_ids")


def _assign_clusters(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Recompute every article's cluster from all stored pairs; counts of multi-article ones."""
    pairs = [(r[0], r[1]) for r in con.execute("SELECT a, b FROM near_duplicates").fetchall()]
    _name_clusters(con, pairs, "articles a")
    return _existing_counts(con)


def compact_bands(con: duckdb.DuckDBPyConnection) -> int:
    """Replace the bands of the articles re-signed since the last compaction (``retired_bands``)
    with those of their current signatures, dropping their earlier versions' bands; returns the
    band rows deleted. For the weekly maintenance (call inside a transaction): its deletes fall
    all over ``article_bands``, which the CHECKPOINT after it then writes once a week, not
    every night."""
    con.execute("CREATE OR REPLACE TEMP TABLE compacted_ids AS "
                "SELECT DISTINCT article_id AS id FROM retired_bands")
    found = con.execute("SELECT count(*) FROM compacted_ids").fetchone()
    if not found or not found[0]:
        con.execute("DROP TABLE compacted_ids")
        return 0
    row = con.execute("DELETE FROM article_bands "
                      "WHERE article_id IN (SELECT id FROM compacted_ids)").fetchone()
    deleted = int(row[0]) if row else 0
    current = con.execute("SELECT article_id, signature FROM article_signatures "
                          "WHERE article_id IN (SELECT id FROM compacted_ids)").fetchall()
    _bulk_insert(con, "article_bands", ["VARCHAR", "TINYINT", "BIGINT"], [
        (article_id, band, key) for article_id, sig in current
        for band, key in band_keys(np.frombuffer(sig, dtype="<u8"))])
    con.execute("DELETE FROM retired_bands WHERE article_id IN (SELECT id FROM compacted_ids)")
    con.execute("DROP TABLE compacted_ids")
    log.info("near-duplicates: bands of %d re-signed articles compacted (%d rows deleted)",
             found[0], deleted)
    return deleted


def update_clusters(
    con: duckdb.DuckDBPyConnection, article_ids: Collection[str] | None = None
) -> ClusterSummary:
    """Sign new/changed articles, find their near-duplicates, and refresh ``cluster_id``.

    Call inside the load transaction, after the articles are merged. With ``article_ids`` (the
    articles a load wrote) only those are signed and only the clusters they were or now are in
    are recomputed: the cost follows the night, not the history. Without, every article is
    checked and every cluster recomputed (a full rebuild, e.g. after a reprocess).
    """
    signed = _sign_missing(con, article_ids)
    if article_ids is None:
        pairs = _new_pairs(con, signed)
        clusters, clustered = _assign_clusters(con) if signed else _existing_counts(con)
    else:
        before = _linked(con, list(signed))  # the components the signed articles were in
        pairs = _new_pairs(con, signed)
        if signed:
            _assign_some(con, before | _linked(con, list(signed)))
        clusters, clustered = _existing_counts(con)
    for name in ("signed_ids", "new_bands", "wanted_ids", "candidate_ids"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    summary = ClusterSummary(signed=len(signed), pairs=pairs, clusters=clusters,
                             clustered_articles=clustered)
    log.info(
        "near-duplicates: %d articles signed, %d new pairs, %d multi-article stories",
        summary.signed, summary.pairs, summary.clusters,
    )
    return summary


def _existing_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(clusters with more than one article, articles in them): the articles with a stored
    pair are exactly those in multi-article clusters (read from the pairs, not all articles)."""
    row = con.execute(
        """
        WITH paired AS (SELECT a AS id FROM near_duplicates UNION SELECT b FROM near_duplicates)
        SELECT count(DISTINCT x.cluster_id), count(*)
        FROM paired p JOIN articles x ON x.id = p.id
        """
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
