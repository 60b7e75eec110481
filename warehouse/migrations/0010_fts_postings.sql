-- Full-text index kept incrementally by the load (issue 16). Until now each load rebuilt the fts
-- extension's index over every article (47 s at 100,000 articles); now the load indexes only the
-- articles it wrote (warehouse/fts.py update_index) into plain tables, and BM25 is computed at
-- query time from them (warehouse/search.py). Same words (lower case, accents stripped, split on
-- anything but a-z0-9), same Snowball Indonesian stems, same scores.
--
-- The extension's index (tables dict/terms/docs/stats/fields/term_stems and its macros) is
-- dropped. The new one starts empty and unbuilt (no row in `built`): the next load builds it from
-- the articles (search reads the text meanwhile). A warehouse without articles is built already.

DROP SCHEMA IF EXISTS fts_main_articles CASCADE;
CREATE SCHEMA fts_main_articles;

-- Every word ever indexed, with its Snowball Indonesian stem.
CREATE TABLE fts_main_articles.dict (
    termid  INTEGER NOT NULL,
    term    VARCHAR NOT NULL,
    stem    VARCHAR NOT NULL
);

-- One row per indexed article (all of them, text or not): its words counted in title and text.
CREATE TABLE fts_main_articles.docs (
    docid   INTEGER NOT NULL,
    name    VARCHAR NOT NULL,  -- articles.id
    len     INTEGER NOT NULL
);

-- One row per (word, article): how often the word occurs in the article's title and text.
CREATE TABLE fts_main_articles.postings (
    termid  INTEGER NOT NULL,
    docid   INTEGER NOT NULL,
    tf      INTEGER NOT NULL
);

-- One row once the index covers every article (set by a full build).
CREATE TABLE fts_main_articles.built (built_at TIMESTAMPTZ NOT NULL);
INSERT INTO fts_main_articles.built SELECT now() WHERE NOT EXISTS (SELECT 1 FROM articles);

-- The names of the extension's index, kept for queries written against it.
CREATE VIEW fts_main_articles.term_stems AS SELECT term, stem FROM fts_main_articles.dict;
CREATE VIEW fts_main_articles.stats AS
    SELECT count(*) AS num_docs, avg(len) AS avgdl FROM fts_main_articles.docs;

-- The words of a text as the index has them: what the extension's tokenizer gave with pantau's
-- settings (ignore '(\.|[^a-z0-9])+', lower case, accents stripped), in one split.
CREATE MACRO fts_main_articles.tokenize(s) AS list_filter(
    string_split_regex(lower(strip_accents(CAST(s AS VARCHAR))), '[^a-z0-9]+'), w -> w <> '');

-- BM25 score of article `docname` for the words of `query_string` (NULL: no match), as the fts
-- extension's macro of the same name: k1 = k, b = b, `conjunctive := 1` requires every word.
-- For pantau sql; pantau search ranks set-wise (warehouse/search.py), which is much faster.
CREATE MACRO fts_main_articles.match_bm25(docname, query_string, k := 1.2, b := 0.75,
                                          conjunctive := 0) AS (
    WITH tokens AS (
        SELECT DISTINCT unnest(fts_main_articles.tokenize(query_string)) AS t
    ), qterms AS (
        SELECT p.termid, p.docid, p.tf FROM fts_main_articles.postings p
        WHERE p.termid IN (SELECT termid FROM fts_main_articles.dict, tokens WHERE term = t)
    ), df AS (
        SELECT termid, count(*) AS df FROM qterms GROUP BY termid
    ), cdocs AS (
        SELECT docid FROM qterms GROUP BY docid
        HAVING CASE WHEN conjunctive THEN count(*) = (SELECT count(*) FROM tokens) ELSE true END
    ), st AS (
        SELECT count(*) AS num_docs, avg(len) AS avgdl FROM fts_main_articles.docs
    )
    SELECT sum(log((st.num_docs - df.df + 0.5) / (df.df + 0.5) + 1)
               * (q.tf * (k + 1) / (q.tf + k * (1 - b + b * d.len / st.avgdl))))
    FROM qterms q JOIN cdocs USING (docid) JOIN df USING (termid)
    JOIN fts_main_articles.docs d ON d.docid = q.docid, st
    WHERE d.name = docname
);
