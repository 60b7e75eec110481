-- Discovery health per outlet and run: feed, sitemap and listing fetches made and failed.
-- Outlet health flags an outlet whose discovery fails (issue 14: 31 errors in 38 requests
-- were reported as "ok"). The failed discovery URLs themselves are rows of `pages` with
-- kind = 'discovery_error'.

ALTER TABLE crawl_runs ADD COLUMN discovery_requests INTEGER DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN discovery_errors INTEGER DEFAULT 0;
