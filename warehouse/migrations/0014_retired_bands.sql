-- A changed article's earlier LSH bands are no longer deleted by the night (issue 16): deleting
-- its 42 band rows marks rows all over the history's `article_bands`, and every checkpoint then
-- reads the delete markers of each of those row groups again (half a second a night at
-- 1,000,000 articles, growing with them). The night keeps them and records the article here;
-- the nightly pairing verifies every candidate against the current signatures, so an earlier
-- version's band can only add a candidate, never a pair. warehouse/dedup.py compact_bands
-- (the weekly maintenance) replaces the bands of these articles with their current ones.

CREATE TABLE retired_bands (
    article_id  VARCHAR NOT NULL   -- an article re-signed since the last compaction
);
