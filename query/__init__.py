"""pantau's one query language: parse once, evaluate in memory (alerts) or in SQL (search, export).

    from query import parse_query, compile_matcher, compile_sql, QueryError

    node = parse_query('banjir -Bekasi OR "tanah longsor"')   # QueryError: message at column
    matches = compile_matcher(node)                             # Document -> bool (alerts)
    pred = compile_sql(node, "a")                               # SQL over `articles AS a`
    pred.prepare(con)
    con.execute(f"SELECT a.id FROM articles a WHERE {pred.sql}", pred.params)

Both evaluators give the same answer for the same article (tested on the demo warehouse).
The syntax is in :mod:`query.parser` and in README.md ("Queries").
"""

from query.matcher import Document, matches_empty
from query.matcher import compile_query as compile_matcher
from query.parser import Node, QueryError, parse_query, to_text
from query.sql import SqlPredicate, compile_sql, ranking_terms

__all__ = [
    "Document",
    "Node",
    "QueryError",
    "SqlPredicate",
    "compile_matcher",
    "compile_sql",
    "matches_empty",
    "parse_query",
    "ranking_terms",
    "to_text",
]
