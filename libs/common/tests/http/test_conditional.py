"""If-None-Match parsing and comparison (RFC 9110 §13.1.2), the ETag and the 304."""

from __future__ import annotations

import pytest

from bazaar_common.http.conditional import (
    NO_CONDITION,
    IfNoneMatch,
    conditional_response,
    etag_of,
    parse_if_none_match,
)

TAG = '"abc"'


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        (None, NO_CONDITION),
        ("", NO_CONDITION),
        ("  ", NO_CONDITION),
        ("*", IfNoneMatch(any=True)),
        (" * ", IfNoneMatch(any=True)),
        ('"abc"', IfNoneMatch(opaque_tags=frozenset({'"abc"'}))),
        ('W/"abc"', IfNoneMatch(opaque_tags=frozenset({'"abc"'}))),
        ('"a", W/"b" ,"c"', IfNoneMatch(opaque_tags=frozenset({'"a"', '"b"', '"c"'}))),
        ('""', IfNoneMatch(opaque_tags=frozenset({'""'}))),
    ],
)
def test_if_none_match_is_parsed(header, parsed):
    assert parse_if_none_match(header) == parsed


@pytest.mark.parametrize(
    "malformed",
    ["abc", '"abc', 'abc"', '"a" "b"', 'w/"abc"', '"a",,', '"a b"', '*, "a"', '"a"x'],
)
def test_a_malformed_header_is_ignored(malformed):
    assert parse_if_none_match(malformed) == NO_CONDITION


@pytest.mark.parametrize(
    ("header", "etag", "matches"),
    [
        ('"abc"', TAG, True),
        ('W/"abc"', TAG, True),  # weak comparison: W/ does not matter
        ('"abc"', 'W/"abc"', True),
        ('"x", "abc"', TAG, True),
        ("*", TAG, True),
        ('"abd"', TAG, False),
        ('"ABC"', TAG, False),  # opaque tags compare byte for byte
        (None, TAG, False),
        ("garbage", TAG, False),
    ],
)
def test_matching_uses_the_weak_comparison(header, etag, matches):
    assert parse_if_none_match(header).matches(etag) is matches


def test_the_etag_is_strong_and_follows_the_bytes():
    assert etag_of(b"{}") == etag_of(b"{}")
    assert etag_of(b"{}") != etag_of(b"{ }")
    assert etag_of(b"{}").startswith('"')
    assert not etag_of(b"{}").startswith("W/")


def test_a_match_answers_304_with_the_same_headers_and_no_body():
    headers = {"Cache-Control": "public, max-age=2"}
    etag = etag_of(b'{"a":1}')

    full = conditional_response(b'{"a":1}', etag=etag, condition=NO_CONDITION, headers=headers)
    revalidated = conditional_response(
        b'{"a":1}', etag=etag, condition=parse_if_none_match(etag), headers=headers
    )

    assert (full.status_code, full.body) == (200, b'{"a":1}')
    assert (revalidated.status_code, revalidated.body) == (304, b"")
    for response in (full, revalidated):
        assert response.headers["etag"] == etag
        assert response.headers["cache-control"] == "public, max-age=2"
    assert "content-type" not in revalidated.headers
