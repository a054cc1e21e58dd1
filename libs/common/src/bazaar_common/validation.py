"""Input types shared by every API: strict models and bounded, clean text."""

from __future__ import annotations

import unicodedata

from pydantic import AfterValidator, BaseModel, ConfigDict

# Text may hold newlines and tabs (descriptions), never NUL or other control
# characters: Postgres refuses NUL, and the rest only ever hide content.
_ALLOWED_CONTROL = frozenset("\n\t")


def _printable(value: str) -> str:
    for char in value:
        if char not in _ALLOWED_CONTROL and unicodedata.category(char) in ("Cc", "Cs"):
            raise ValueError("must not contain control characters")
    return value


def _single_line(value: str) -> str:
    if any(unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") for char in value):
        raise ValueError("must be one line without control characters")
    return value


# Use with a length bound: Annotated[str, StringConstraints(max_length=200), NoControlCharacters]
NoControlCharacters = AfterValidator(_printable)
# Names, titles, identifiers: like NoControlCharacters, and no tabs or line breaks either.
SingleLine = AfterValidator(_single_line)


class RequestModel(BaseModel):
    """Base of every request body: unknown fields are refused, types are exact."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
