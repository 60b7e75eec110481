-- The people an article credits as editors ("Editor:", "Penyunting:", "Redaktur:"), apart from
-- its authors (docs/design.md). Empty for articles loaded before, until they are re-extracted
-- (`pantau reprocess`).
ALTER TABLE articles ADD COLUMN editors VARCHAR[];
ALTER TABLE article_versions ADD COLUMN editors VARCHAR[];
