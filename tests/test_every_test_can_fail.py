"""No test that cannot fail: every test checks something, and no assert always holds.

The rule, and what counts as a check, is ``tests/can_fail.py``'s docstring.
The checker itself is tested below on small repositories of its own.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from tests.can_fail import Repository


@pytest.fixture(scope="module")
def repository(repository_root) -> Repository:
    return Repository(repository_root)


def test_every_test_checks_what_it_claims(repository):
    assert len(repository.test_modules()) > 150, "the checker found almost no test modules"
    unchecked = [found.describe(repository.root) for found in repository.tests_checking_nothing()]
    assert not unchecked, "tests with no assert, no pytest.raises and no checking helper:\n" + (
        "\n".join(unchecked)
    )


def test_no_assert_holds_whatever_happens(repository):
    vacuous = [found.describe(repository.root) for found in repository.asserts_always_holding()]
    assert not vacuous, "asserts that cannot fail:\n" + "\n".join(vacuous)


def repository_with(root: Path, files: dict[str, str]) -> Repository:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return Repository(root)


def unchecked(repository: Repository) -> list[str]:
    return [found.what for found in repository.tests_checking_nothing()]


def test_a_test_without_any_check_is_named(tmp_path):
    repository = repository_with(
        tmp_path,
        {
            "tests/test_sample.py": """
            import pytest

            def test_asserts():
                assert 1 + 1 == 2

            def test_expects_an_error():
                with pytest.raises(ValueError):
                    int("x")

            def test_only_runs_code():
                int("1")

            class TestGrouped:
                def test_only_runs_code_too(self):
                    int("2")
        """,
        },
    )
    assert unchecked(repository) == ["test_only_runs_code", "test_only_runs_code_too"]


def test_a_helper_counts_only_if_it_checks(tmp_path):
    repository = repository_with(
        tmp_path,
        {
            "tests/helpers.py": """
            def assert_even(number):
                assert number % 2 == 0

            def double(number):
                return number * 2
        """,
            "tests/test_sample.py": """
            from tests.helpers import assert_even, double

            def check_positive(number):
                if number <= 0:
                    raise AssertionError(number)

            def test_imported_checking_helper():
                assert_even(double(3))

            def test_local_checking_helper():
                check_positive(1)

            def test_helper_that_checks_nothing():
                double(3)
        """,
        },
    )
    assert unchecked(repository) == ["test_helper_that_checks_nothing"]


def test_production_code_that_raises_is_no_check(tmp_path):
    repository = repository_with(
        tmp_path,
        {
            "libs/lib/src/bazaar_lib/guard.py": """
            def require_positive(number):
                if number <= 0:
                    raise ValueError(number)
        """,
            "libs/lib/tests/test_guard.py": """
            from bazaar_lib.guard import require_positive

            def test_one_is_positive():
                require_positive(1)
        """,
        },
    )
    assert unchecked(repository) == ["test_one_is_positive"]


def test_a_fake_that_raises_checks_nothing_but_a_callback_that_asserts_does(tmp_path):
    repository = repository_with(
        tmp_path,
        {
            "tests/test_sample.py": """
            def test_with_a_failing_fake():
                def broken():
                    raise RuntimeError("down")
                run(broken)

            def test_with_an_asserting_callback():
                def seen(value):
                    assert value == 1
                run(seen)
        """,
        },
    )
    assert unchecked(repository) == ["test_with_a_failing_fake"]


def test_a_fixture_counts_when_it_checks_or_returns_a_checking_helper(tmp_path):
    repository = repository_with(
        tmp_path,
        {
            "tests/checks.py": """
            def expect_ok(response):
                assert response == "ok"
        """,
            "tests/conftest.py": """
            import pytest
            from tests import checks

            @pytest.fixture
            def expect_ok():
                return checks.expect_ok

            @pytest.fixture
            def make_response():
                def make():
                    return "ok"
                return make
        """,
            "tests/api/test_sample.py": """
            def test_calls_a_checking_fixture(expect_ok, make_response):
                expect_ok(make_response())

            def test_calls_only_a_factory_fixture(make_response):
                make_response()
        """,
        },
    )
    assert unchecked(repository) == ["test_calls_only_a_factory_fixture"]


def test_asserts_that_always_hold_are_named(tmp_path):
    repository = repository_with(
        tmp_path,
        {
            "tests/test_sample.py": """
            def test_vacuous(value, other):
                assert True
                assert (value == 1, "a tuple is always true")
                assert value or True
                assert value == value
                assert value.name is value.name
                assert value == other
                assert roll() == roll()
                assert value
        """,
        },
    )
    found = [found.what for found in repository.asserts_always_holding()]
    assert found == [
        "assert True",
        "assert (value == 1, 'a tuple is always true')",
        "assert value or True",
        "assert value == value",
        "assert value.name is value.name",
    ]
