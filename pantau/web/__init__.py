"""``pantau serve``: the monitoring desk, a read-only web app on the warehouse.

- :mod:`pantau.web.app`: the Starlette application (routes, token check, read-only guard);
- :mod:`pantau.web.params`: the request parameters, validated (filters, dates, queries);
- :mod:`pantau.web.views`: what each page shows, read from the warehouse;
- :mod:`pantau.web.charts`: the SVG charts, rendered on the server;
- :mod:`pantau.web.feeds`: the Atom feed of a rule;
- :mod:`pantau.web.textdiff`: the word diff between two versions of an article.

Search, dry-runs and stories reuse the library: :func:`warehouse.search.search_articles`,
:func:`alerts.check.check_query`, the ``cluster_id`` of :mod:`warehouse.dedup`,
:func:`warehouse.health.outlet_health`, :func:`warehouse.export.export_articles`.
"""
