"""Errors that carry a message meant for the person running pantau."""


class PantauError(Exception):
    """An error whose message says what is wrong and what to fix; shown without a traceback."""


class ConfigError(PantauError):
    """A configuration file (sources, rules) is malformed."""
