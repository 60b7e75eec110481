-- How the articles a run wrote (new and changed ones) read, per run and outlet, computed by the
-- load from the night's batch (issue 16: the nightly extraction-drop check read every article
-- of the outlet's last runs from `articles` and `article_versions`, a scan of the history).
-- NULL for runs loaded before: the check reads those runs' articles as before.

ALTER TABLE crawl_runs ADD COLUMN written_median_text DOUBLE;
ALTER TABLE crawl_runs ADD COLUMN written_dated DOUBLE;
ALTER TABLE crawl_runs ADD COLUMN written_leaky DOUBLE;
