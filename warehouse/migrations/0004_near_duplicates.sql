-- Near-duplicate clusters: syndicated copies of one story across outlets.
-- (0002 and 0003 are reserved for the crawler's and the alerts' own tables.)

ALTER TABLE articles ADD COLUMN cluster_id VARCHAR;  -- id of the story's earliest article

-- One-permutation MinHash signature of each article's word 4-gram shingles.
CREATE TABLE article_signatures (
    article_id    VARCHAR PRIMARY KEY,
    content_hash  VARCHAR NOT NULL,   -- the article version the signature was computed from
    signature     BLOB NOT NULL       -- 128 little-endian uint64 bin minima
);

-- LSH band keys: articles sharing a key are candidate near-duplicates.
CREATE TABLE article_bands (
    article_id  VARCHAR NOT NULL,
    band        TINYINT NOT NULL,
    bkey        BIGINT NOT NULL
);

-- Verified near-duplicate pairs (a < b), the edges the clusters are built from.
CREATE TABLE near_duplicates (
    a           VARCHAR NOT NULL,
    b           VARCHAR NOT NULL,
    similarity  DOUBLE NOT NULL,
    PRIMARY KEY (a, b)
);
