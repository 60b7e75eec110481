"""Keyword alerts: the rules file and query language, matching, channels and the delivery log.

Entry points: :func:`alerts.rules.load_rules` and :func:`alerts.deliver.run_alerts`.
"""
