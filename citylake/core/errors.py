"""The exceptions of the ground floor: mistakes a user can fix, and registry lookups of unknown names.

The command line shows a UserError as one line on stderr and exits 2 (citylake/cli/main.py); code below the
command line raises it where the mistake is found.
"""


class UserError(Exception):
    """A mistake the user can fix; the message says what to do (one line)."""


class NoHome(UserError):
    """The citylake home has nothing to work on yet (no lake, no inbox)."""


class UnknownName(KeyError):
    """A registry lookup of a name it does not hold (a feed, element, library…); the message says
    which names are valid. KeyError quotes its message: this one reads as written."""

    def __str__(self) -> str:
        return str(self.args[0])
