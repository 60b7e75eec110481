-- Extraction health per outlet and run: how many articles were loaded, and how many of them
-- look broken (very short text, no publication date). `pantau run` flags outlets from these.

ALTER TABLE crawl_runs ADD COLUMN articles_loaded INTEGER DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN short_texts INTEGER DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN missing_dates INTEGER DEFAULT 0;
