"""Keyword alerts: the rules file, matching (on the query language of :mod:`query`),
channels and the delivery log.

Entry points: :func:`alerts.rules.load_rules` and :func:`alerts.deliver.run_alerts`.
"""
