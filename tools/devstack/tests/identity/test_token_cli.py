"""``python -m bazaar_devstack.token``: the token on stdout, or a reason on stderr."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bazaar_common.auth.principal import Role
from bazaar_common.testing.moto import REGION
from bazaar_common.testing.ports import free_port
from bazaar_devstack import state
from bazaar_devstack.cognito import Identity, bootstrap_identity
from bazaar_devstack.token import main


@pytest.fixture
def state_file(tmp_path: Path, identity: Identity, moto_server) -> Path:
    path = tmp_path / ".local" / "devstack.json"
    state.save(state.DevstackState(moto_server.url, REGION, identity), path)
    return path


async def test_the_cli_prints_only_a_token_the_services_accept(state_file, identity, make_verifier):
    run = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bazaar_devstack.token", "ada"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, state.STATE_FILE_VARIABLE: str(state_file)},
    )

    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    token = run.stdout.removesuffix("\n")
    assert "\n" not in token
    principal = await make_verifier(identity).verify(token)
    assert principal.roles == frozenset({Role.ADMIN})


def test_without_a_state_file_it_says_the_stack_is_not_running(tmp_path, capsys):
    status = main(["alice", "--state", str(tmp_path / "devstack.json")])

    assert status == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "not running" in captured.err
    assert "make dev" in captured.err


def test_a_state_file_of_a_dead_stack_says_so(tmp_path, identity, capsys):
    dead = f"http://127.0.0.1:{free_port()}"
    path = tmp_path / "devstack.json"
    gone = Identity(identity.pool_id, identity.client_id, identity.issuer, f"{dead}/x/jwks.json")
    state.save(state.DevstackState(dead, REGION, gone), path)

    status = main(["alice", "--state", str(path)])

    assert status == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"its Cognito at {dead} does not answer" in captured.err


def test_a_wrong_password_fails_without_a_token(state_file, capsys):
    status = main(["bob", "--password", "Not-the-one-1", "--state", str(state_file)])

    assert status == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "sign-in as 'bob' refused" in captured.err


def test_the_state_round_trips(tmp_path, identity, moto_server):
    saved = state.DevstackState(moto_server.url, REGION, identity)
    path = tmp_path / "deep" / "devstack.json"

    state.save(saved, path)

    assert state.load(path) == saved
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    state.clear(path)
    with pytest.raises(state.StackNotRunning):
        state.load(path)


@pytest.mark.parametrize(
    "content", ["", "{not json", '{"version": 99}', '{"version": 1, "moto_url": 5}', "[]"]
)
def test_an_unreadable_state_file_is_reported_as_such(tmp_path, content):
    path = tmp_path / "devstack.json"
    path.write_text(content)

    with pytest.raises(state.StackNotRunning, match="unreadable"):
        state.load(path)


def test_the_nearest_state_file_up_from_the_cwd_is_found(tmp_path, monkeypatch, identity):
    monkeypatch.delenv(state.STATE_FILE_VARIABLE, raising=False)
    path = tmp_path / state.STATE_FILE
    state.save(state.DevstackState("http://127.0.0.1:1", REGION, identity), path)
    nested = tmp_path / "services" / "orders"
    nested.mkdir(parents=True)

    assert state.default_path(nested) == path
    monkeypatch.setenv(state.STATE_FILE_VARIABLE, "/elsewhere/devstack.json")
    assert state.default_path(nested) == Path("/elsewhere/devstack.json")


# --moto: the stack's pool found by name on the emulator (docker compose).


async def test_with_moto_the_pool_is_found_by_its_prefix(moto_server, make_verifier, capsys):
    prefix = f"cli{os.urandom(4).hex()}"
    made = await bootstrap_identity(moto_server.url, REGION, prefix=prefix)

    status = await asyncio.to_thread(main, ["bob", "--moto", moto_server.url, "--prefix", prefix])

    captured = capsys.readouterr()
    assert status == 0, captured.err
    principal = await make_verifier(made).verify(captured.out.removesuffix("\n"))
    assert principal.roles == frozenset({Role.CUSTOMER})


def test_with_moto_an_unknown_prefix_names_the_missing_pool(moto_server, capsys):
    status = main(["alice", "--moto", moto_server.url, "--prefix", "nobody-here"])

    assert status == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no user pool 'nobody-here-users'" in captured.err


def test_with_moto_nothing_listening_says_so(capsys):
    dead = f"http://127.0.0.1:{free_port()}"

    status = main(["alice", "--moto", dead])

    assert status == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"no emulator answers at {dead}" in captured.err


def test_with_moto_a_real_cognito_endpoint_is_refused(capsys):
    status = main(["alice", "--moto", "https://cognito-idp.eu-west-1.amazonaws.com"])

    assert status == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "refusing" in captured.err
