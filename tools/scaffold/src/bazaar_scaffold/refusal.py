"""A request the generator will not carry out: one line, exit status 2, nothing written."""

from __future__ import annotations


class Refusal(Exception):
    """What was asked and why not, in one line for the person who asked."""
