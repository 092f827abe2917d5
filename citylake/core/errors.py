"""The one exception for mistakes a user can fix (bad input, nothing to work on yet).

The command line shows it as one line on stderr and exits 2 (citylake/cli/main.py); code below the
command line raises it where the mistake is found.
"""


class UserError(Exception):
    """A mistake the user can fix; the message says what to do (one line)."""


class NoHome(UserError):
    """The citylake home has nothing to work on yet (no lake, no inbox)."""
