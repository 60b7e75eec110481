-- Alerts: which version of each article the alert rules have already been matched against, so a
-- run only matches new and changed articles (or all of them once, when the rules change).

CREATE TABLE alert_scans (
    article_id    VARCHAR PRIMARY KEY,
    content_hash  VARCHAR NOT NULL,      -- the article version that was matched
    ruleset       VARCHAR NOT NULL,      -- fingerprint of the rules it was matched against
    scanned_at    TIMESTAMPTZ NOT NULL
);
