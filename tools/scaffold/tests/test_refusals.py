"""A refused name or event type: exit status 2, one line saying why, and nothing written."""

from __future__ import annotations

import pytest

from bazaar_scaffold.__main__ import main

from .conftest import snapshot

REFUSED = {
    "upper-case": (["Loyalty"], "is not a service name"),
    "hyphen": (["gift-cards"], "is not a service name"),
    "underscore": (["gift_cards"], "is not a service name"),
    "leading-digit": (["2fa"], "is not a service name"),
    "one-letter": (["x"], "is not a service name"),
    "too-long": (["a" * 17], "is not a service name"),
    "empty": ([""], "is not a service name"),
    "python-keyword": (["class"], "is reserved"),
    "sql-word": (["user"], "is reserved"),
    "messaging-table": (["outbox"], "is reserved"),
    "a-library": (["common"], "is reserved"),
    "existing-service": (["payments"], "exists already"),
    "unknown-event": (
        ["loyalty", "--consumes", "OrderShipped"],
        "unknown event type OrderShipped",
    ),
    "event-twice": (
        ["loyalty", "--consumes", "OrderConfirmed,OrderConfirmed"],
        "named twice",
    ),
    "one-unknown-among-known": (
        ["loyalty", "--consumes", "OrderConfirmed,orderplaced"],
        "unknown event type orderplaced",
    ),
}


@pytest.mark.parametrize(("arguments", "reason"), list(REFUSED.values()), ids=list(REFUSED))
def test_a_refusal_exits_2_with_one_line_and_writes_nothing(wired_copy, capsys, arguments, reason):
    before = snapshot(wired_copy)

    status = main(["new", *arguments, "--root", str(wired_copy)])

    assert status == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("new-service: ")
    assert reason in err
    assert snapshot(wired_copy) == before


def test_a_service_whose_contracts_module_exists_is_refused(wired_copy, capsys):
    contracts = wired_copy / "libs/contracts/src/bazaar_contracts"
    (contracts / "loyalty.py").write_text('"""Someone started it by hand."""\n')
    before = snapshot(wired_copy)

    assert main(["new", "loyalty", "--root", str(wired_copy)]) == 2

    assert "exists already (libs/contracts/src/bazaar_contracts/loyalty.py)" in (
        capsys.readouterr().err
    )
    assert snapshot(wired_copy) == before


def test_a_file_that_no_longer_looks_as_expected_is_refused(wired_copy, capsys):
    compose = wired_copy / "docker-compose.yml"
    compose.write_text(compose.read_text().replace("  # The ALB, locally", "  # the gateway"))
    before = snapshot(wired_copy)

    assert main(["new", "loyalty", "--root", str(wired_copy)]) == 2

    assert "docker-compose.yml does not look as expected" in capsys.readouterr().err
    assert snapshot(wired_copy) == before
