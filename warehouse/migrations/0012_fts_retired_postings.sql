-- The full-text index's night no longer deletes the postings of an article's earlier version (that
-- read every posting: 1.4-2.5 s for 100 changed articles in 1,000,000): every indexed version
-- gets a new docid, the earlier version's docs row goes, and its postings are retired (no docs
-- row: search and match_bm25 skip them) until warehouse/fts.py compact_index deletes them (a
-- weekly maintenance job). `built.top_docid` is the highest docid ever given, retired ones
-- included: a new docid is above it.

ALTER TABLE fts_main_articles.built ADD COLUMN top_docid INTEGER DEFAULT -1;
UPDATE fts_main_articles.built SET top_docid = greatest(
    coalesce((SELECT max(docid) FROM fts_main_articles.postings), -1),
    coalesce((SELECT max(docid) FROM fts_main_articles.docs), -1));

CREATE OR REPLACE MACRO fts_main_articles.match_bm25(docname, query_string, k := 1.2, b := 0.75,
                                                     conjunctive := 0) AS (
    WITH tokens AS (
        SELECT DISTINCT unnest(fts_main_articles.tokenize(query_string)) AS t
    ), qterms AS (
        SELECT p.termid, p.docid, p.tf FROM fts_main_articles.postings p
        WHERE p.termid IN (SELECT termid FROM fts_main_articles.dict, tokens WHERE term = t)
          AND p.docid IN (SELECT docid FROM fts_main_articles.docs)
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
