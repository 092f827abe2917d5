"""What leaves through the service: the project's one masking implementation, by pii class.

This is the only import of the masking functions in service/: the same rules, by the catalog
policy, as reports, exports and share packages (egress.masking)."""

from __future__ import annotations

from egress.masking import mask_value

__all__ = ["mask_value", "masked"]


def masked(pii: str | None) -> bool:
    """A column of this pii class leaves the platform masked."""
    return bool(pii) and pii != "none"
