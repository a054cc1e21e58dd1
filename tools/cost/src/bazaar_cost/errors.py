"""The one error the tool reports as bad input: a message, exit 2, nothing estimated."""

from __future__ import annotations


class InputError(ValueError):
    """A file the estimate is computed from is missing, malformed or out of shape.

    A ``ValueError`` so the catalog's own validation errors (pydantic's are
    ``ValueError`` too) are reported the same way.
    """
