"""pantau's floor: what every stage may import.

Outlet config (``config``), settings, errors, YAML loading, URL rules, the staging area, process
helpers and the leak patterns. Nothing here imports a stage (spiders, warehouse, alerts) or the
``pantau`` application package above them; ``make lint`` checks that (docs/architecture.md).
"""

__version__ = "0.1.0"
