-- Convenience views for people writing SQL (documented in README "The warehouse").

-- Articles per outlet per day, days in Western Indonesian Time (WIB).
CREATE VIEW daily_counts AS
SELECT timezone('Asia/Jakarta', published_at)::DATE AS day_wib,
       source,
       count(*) AS articles
FROM articles
WHERE published_at IS NOT NULL
GROUP BY ALL;

-- The newest articles first, with the columns people usually want.
CREATE VIEW latest_articles AS
SELECT published_at_local, source, title, section, authors, canonical_url, cluster_id, id
FROM articles
ORDER BY published_at DESC NULLS LAST, first_seen_at DESC;

-- One row per story: near-duplicate copies across outlets grouped (cluster_id), first one first.
CREATE VIEW stories AS
SELECT coalesce(cluster_id, id) AS story_id,
       arg_min(title, coalesce(published_at, first_seen_at)) AS title,
       arg_min(source, coalesce(published_at, first_seen_at)) AS first_source,
       min(published_at) AS first_published_at,
       count(*) AS articles,
       list(DISTINCT source ORDER BY source) AS outlets,
       list(canonical_url ORDER BY coalesce(published_at, first_seen_at)) AS urls
FROM articles
GROUP BY coalesce(cluster_id, id);
