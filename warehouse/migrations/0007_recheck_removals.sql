-- Re-checking recent articles (sources.yaml `recheck_days`): the validators of each page's last
-- good fetch for conditional GET, and articles that disappeared from their outlet.

-- ETag / Last-Modified of the page's last successful fetch (kept when a later fetch fails).
ALTER TABLE pages ADD COLUMN etag VARCHAR;
ALTER TABLE pages ADD COLUMN last_modified VARCHAR;

-- NULL = live. Set when the article's URL answered 404/410 after it was last seen live: when the
-- crawler saw it gone, and the status. Cleared when it answers 200 again. The article and its
-- versions are never deleted.
ALTER TABLE articles ADD COLUMN removed_at TIMESTAMPTZ;
ALTER TABLE articles ADD COLUMN removed_status INTEGER;

-- Every removal, also ones that were undone (the article came back): the history behind
-- articles.removed_at.
CREATE TABLE article_removals (
    article_id      VARCHAR NOT NULL,
    removed_at      TIMESTAMPTZ NOT NULL,   -- when the crawler first saw it gone
    removed_status  INTEGER NOT NULL,       -- 404 or 410
    run_id          VARCHAR NOT NULL,       -- the run that saw it gone
    restored_at     TIMESTAMPTZ,            -- when it answered 200 again; NULL while gone
    PRIMARY KEY (article_id, removed_at)
);

-- Per run and outlet: conditional GETs of recent articles, how many answered 304, and how
-- many articles were newly seen gone.
ALTER TABLE crawl_runs ADD COLUMN recheck_requests INTEGER DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN recheck_not_modified INTEGER DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN removed_articles INTEGER DEFAULT 0;
