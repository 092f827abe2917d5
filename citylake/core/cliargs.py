"""One parser per kind of command-line value, shared by every `citylake` command.

* `NIGHT`: a calendar date written ISO `YYYY-MM-DD` (the night a batch processes);
* `KnownId`: a value from a registry (feed, department, scope, format...); a wrong one is
  refused with the valid choices listed.

Options take them as typer callbacks (`typer.Option(None, "--date", callback=NIGHT.check)`);
a bad value raises typer's BadParameter naming the option, which citylake/cli/main.py shows as one
line on stderr (exit 2).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date as Date

import typer

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_night(value: str) -> str:
    """`value` if it is a real calendar date written YYYY-MM-DD, else ValueError."""
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD (e.g. 2026-11-25)")
    try:
        Date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a calendar date (YYYY-MM-DD)") from None
    return value


class _Parser:
    def parse(self, value: str) -> str:
        raise NotImplementedError

    def check(self, ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
        """The typer callback: the parsed value; a bad one is refused naming the option."""
        if value is None or ctx.resilient_parsing:
            return value
        try:
            return self.parse(value)
        except ValueError as e:
            raise typer.BadParameter(str(e), ctx=ctx, param=param) from None


class NightDate(_Parser):
    """A night (calendar date) written YYYY-MM-DD; parses to the same string."""

    def parse(self, value: str) -> str:
        return parse_night(value)


class KnownId(_Parser):
    """One of a registry's ids. `choices()` maps every accepted spelling to the canonical id
    (e.g. a department's code to its id); it is read when a value is given, not at import."""

    def __init__(self, what: str, choices: Callable[[], dict[str, str] | Iterable[str]]) -> None:
        self.what = what
        self._choices = choices

    def choices(self) -> dict[str, str]:
        found = self._choices()
        return dict(found) if isinstance(found, dict) else {c: c for c in found}

    def parse(self, value: str) -> str:
        known = self.choices()
        if value in known:
            return known[value]
        valid = ", ".join(sorted(set(known.values())))
        raise ValueError(f"unknown {self.what} {value!r}; valid: {valid}")


def static(*values: str) -> Callable[[], tuple[str, ...]]:
    """A fixed set of choices (scopes, formats)."""
    return lambda: values


NIGHT = NightDate()
