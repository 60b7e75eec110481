-- pantau warehouse, first schema. Contract tables: articles, crawl_runs, alerts (see README).

CREATE TABLE sources (
    name        VARCHAR PRIMARY KEY,
    url         VARCHAR NOT NULL,
    host        VARCHAR NOT NULL,
    language    VARCHAR NOT NULL,
    timezone    VARCHAR NOT NULL,
    config      JSON NOT NULL,          -- the whole sources.yaml entry as loaded
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Every page the crawler fetched or tried to fetch: articles, non-articles, errors.
CREATE TABLE pages (
    url            VARCHAR PRIMARY KEY, -- canonicalised requested URL
    source         VARCHAR NOT NULL,
    final_url      VARCHAR,             -- after redirects
    canonical_url  VARCHAR,             -- what the page says is its canonical address
    kind           VARCHAR NOT NULL,    -- article | listing | other | error
    status         INTEGER,             -- HTTP status, NULL when no response
    error          VARCHAR,             -- last error, NULL when fetched fine
    attempts       INTEGER NOT NULL DEFAULT 1,
    content_hash   VARCHAR,
    article_id     VARCHAR,             -- the articles row it fed, if any
    archive        VARCHAR,             -- staging file holding the raw page
    first_seen_at  TIMESTAMPTZ NOT NULL,
    last_fetched_at TIMESTAMPTZ NOT NULL,
    run_id         VARCHAR NOT NULL
);

CREATE TABLE articles (
    id                 VARCHAR PRIMARY KEY,  -- stable: hash of canonical_url
    source             VARCHAR NOT NULL,
    url                VARCHAR NOT NULL,
    canonical_url      VARCHAR NOT NULL UNIQUE,
    title              VARCHAR,
    text               VARCHAR NOT NULL,
    authors            VARCHAR[] NOT NULL,
    published_at       TIMESTAMPTZ,
    published_at_local VARCHAR,              -- ISO 8601 with the outlet's own offset
    updated_at         TIMESTAMPTZ,
    updated_at_local   VARCHAR,
    section            VARCHAR,
    tags               VARCHAR[] NOT NULL,
    language           VARCHAR,
    site_name          VARCHAR,
    dateline           VARCHAR,
    first_seen_at      TIMESTAMPTZ NOT NULL,
    last_seen_at       TIMESTAMPTZ NOT NULL,
    content_hash       VARCHAR NOT NULL,
    version            INTEGER NOT NULL,
    run_id             VARCHAR NOT NULL,     -- run that wrote this version
    archive            VARCHAR               -- staging file holding the raw page of this version
);

-- Earlier versions of articles whose content changed (the current one is in articles).
CREATE TABLE article_versions (
    article_id         VARCHAR NOT NULL,
    version            INTEGER NOT NULL,
    title              VARCHAR,
    text               VARCHAR NOT NULL,
    authors            VARCHAR[] NOT NULL,
    published_at       TIMESTAMPTZ,
    published_at_local VARCHAR,
    updated_at         TIMESTAMPTZ,
    section            VARCHAR,
    tags               VARCHAR[] NOT NULL,
    content_hash       VARCHAR NOT NULL,
    first_seen_at      TIMESTAMPTZ NOT NULL,  -- when this version was first seen
    superseded_at      TIMESTAMPTZ NOT NULL,  -- when the next version was seen
    run_id             VARCHAR NOT NULL,
    archive            VARCHAR,
    PRIMARY KEY (article_id, version)
);

CREATE TABLE crawl_runs (
    run_id            VARCHAR NOT NULL,
    source            VARCHAR NOT NULL,
    started_at        TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ,
    requests          INTEGER NOT NULL,
    bytes             BIGINT NOT NULL,
    pages_fetched     INTEGER NOT NULL,
    new_articles      INTEGER NOT NULL,
    updated_articles  INTEGER NOT NULL,
    non_articles      INTEGER NOT NULL,
    errors            INTEGER NOT NULL,
    status_counts     JSON,
    crawl_error       VARCHAR,              -- why the crawl of this outlet failed as a whole
    loaded_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, source)
);

CREATE TABLE alerts (
    id               VARCHAR PRIMARY KEY,  -- stable: hash of (rule, article_id, channel)
    rule             VARCHAR NOT NULL,
    article_id       VARCHAR NOT NULL,
    channel          VARCHAR NOT NULL,
    status           VARCHAR NOT NULL,     -- pending | sent | failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL,
    last_attempt_at  TIMESTAMPTZ,
    sent_at          TIMESTAMPTZ,
    last_error       VARCHAR,
    snippet          VARCHAR,
    UNIQUE (rule, article_id, channel)
);
