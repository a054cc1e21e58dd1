"""The load test: locust's customers and admin against a running system, judged.

``python -m bazaar_delivery load-test URL`` runs ``tests/load/locustfile.py``
headless, from a tool environment of its own (``uvx``, locust pinned below, so
locust never enters uv.lock), then judges what it measured:

- no failed request (error rate 0), and at least one order placed;
- the aggregated 95th and 99th percentiles within their bounds;
- once the load stopped, every order it placed CONFIRMED or CANCELLED within
  the drain time, each read through the API with the token that placed it;
  an order still PENDING then is stuck, and fails the run.

deploy.yml runs it against staging before prod, and ``make test-load``
against the native stack (tests/load), so the gate is proven before it gates
a release. The shapes and thresholds are ``tests/load/profiles.toml``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

LOCUST = "locust==2.47.0"
# Seconds a user's task in flight may take to finish once the run time is up.
STOP_TIMEOUT_SECONDS = 5
# uvx may have to install locust first (seconds, or a minute on a cold cache).
LOCUST_START_SECONDS = 180
TERMINAL = ("CONFIRMED", "CANCELLED")
DRAIN_WORKERS = 8
PROFILE_FIELDS = ("users", "spawn_rate", "seconds", "p95_ms", "p99_ms", "drain_seconds")


class LoadTestError(ValueError):
    """Bad input (a profile, the tokens file): nothing was run."""


class LoadTestFailed(AssertionError):
    """The run could not be judged: locust failed, or left what it measured unreadable."""


@dataclass(frozen=True)
class Settings:
    """A run's shape and thresholds."""

    users: int
    spawn_rate: float
    seconds: int
    p95_ms: float
    p99_ms: float
    drain_seconds: float

    @classmethod
    def resolve(
        cls, profiles: Path, profile: str | None, overrides: Mapping[str, float | None]
    ) -> Settings:
        """The profile's values (if one is named), each replaced by a flag given."""
        values: dict[str, Any] = {}
        if profile is not None:
            try:
                document = tomllib.loads(profiles.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as error:
                raise LoadTestError(f"cannot read the profiles {profiles}: {error}") from None
            if profile not in document:
                known = ", ".join(sorted(document)) or "none"
                raise LoadTestError(f"no profile {profile!r} in {profiles} (known: {known})")
            values = dict(document[profile])
            unknown = set(values) - set(PROFILE_FIELDS)
            if unknown:
                raise LoadTestError(f"profile {profile!r}: unknown keys {sorted(unknown)}")
        values |= {name: value for name, value in overrides.items() if value is not None}
        missing = [name for name in PROFILE_FIELDS if name not in values]
        if missing:
            flags = ", ".join("--" + name.replace("_", "-") for name in missing)
            raise LoadTestError(f"no value for {flags} (give a --profile or the flags)")
        settings = cls(
            users=_number(values, "users", int),
            spawn_rate=_number(values, "spawn_rate", float),
            seconds=_number(values, "seconds", int),
            p95_ms=_number(values, "p95_ms", float),
            p99_ms=_number(values, "p99_ms", float),
            drain_seconds=_number(values, "drain_seconds", float),
        )
        if settings.users < 2:
            raise LoadTestError("users must be at least 2: one admin and a customer")
        return settings


def _number(values: Mapping[str, Any], name: str, kind: type[int] | type[float]) -> Any:
    value = values[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LoadTestError(f"{name} must be a number, not {value!r}")
    if kind is int and value != int(value):
        raise LoadTestError(f"{name} must be a whole number, not {value!r}")
    if value <= 0:
        raise LoadTestError(f"{name} must be above 0, not {value!r}")
    return kind(value)


@dataclass(frozen=True)
class Tokens:
    customers: tuple[str, ...]
    admin: str

    @classmethod
    def read(cls, path: Path) -> Tokens:
        """``{"customers": [access token, ...], "admin": access token}``, checked."""
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise LoadTestError(f"cannot read the tokens file {path}: {error}") from None
        customers = document.get("customers") if isinstance(document, dict) else None
        admin = document.get("admin") if isinstance(document, dict) else None
        if (
            not isinstance(customers, list)
            or not customers
            or not all(isinstance(token, str) and token for token in customers)
        ):
            raise LoadTestError(f"{path}: customers must be a non-empty list of access tokens")
        if not isinstance(admin, str) or not admin:
            raise LoadTestError(f"{path}: admin must be an access token")
        return cls(customers=tuple(customers), admin=admin)


@dataclass(frozen=True)
class Row:
    """One line of locust's statistics: a request name, or the aggregate."""

    method: str
    name: str
    requests: int
    failures: int
    rps: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float


@dataclass(frozen=True)
class Stats:
    rows: tuple[Row, ...]
    total: Row

    @property
    def error_rate(self) -> float:
        return self.total.failures / self.total.requests if self.total.requests else 0.0


STATS_COLUMNS = ("Type", "Name", "Request Count", "Failure Count", "Requests/s", "50%", "95%")


def parse_stats(text: str) -> Stats:
    """Locust's ``*_stats.csv``: a row per request name, then ``Aggregated``."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in STATS_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise LoadTestError(f"not locust's statistics: no columns {missing}")
    rows: list[Row] = []
    total: Row | None = None
    for record in reader:
        row = Row(
            method=record["Type"],
            name=record["Name"],
            requests=int(record["Request Count"]),
            failures=int(record["Failure Count"]),
            rps=float(record["Requests/s"]),
            p50_ms=_percentile(record["50%"]),
            p95_ms=_percentile(record["95%"]),
            p99_ms=_percentile(record.get("99%", "N/A")),
            max_ms=float(record.get("Max Response Time") or 0),
        )
        if row.name == "Aggregated" and not row.method:
            total = row
        else:
            rows.append(row)
    if total is None:
        raise LoadTestError("locust's statistics have no Aggregated row")
    return Stats(rows=tuple(rows), total=total)


def _percentile(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


@dataclass(frozen=True)
class Failure:
    method: str
    name: str
    error: str
    occurrences: int


def parse_failures(text: str) -> list[Failure]:
    """Locust's ``*_failures.csv``: each distinct failure and how often it happened."""
    return [
        Failure(record["Method"], record["Name"], record["Error"], int(record["Occurrences"]))
        for record in csv.DictReader(io.StringIO(text))
    ]


@dataclass
class Orders:
    """What the locustfile recorded: each order, the token that placed it, its last status."""

    placed: dict[str, int] = field(default_factory=dict)  # order id -> token index
    status: dict[str, str] = field(default_factory=dict)  # order id -> status last seen

    @classmethod
    def parse(cls, text: str, customers: int) -> Orders:
        orders = cls()
        for number, line in enumerate(text.splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) not in (2, 3) or not parts[0].isdigit() or int(parts[0]) >= customers:
                raise LoadTestError(f"orders file, line {number}: not 'token order [status]'")
            orders.placed[parts[1]] = int(parts[0])
            if len(parts) == 3:
                orders.status[parts[1]] = parts[2]
        return orders

    def unsettled(self) -> list[str]:
        return [order for order in self.placed if self.status.get(order) not in TERMINAL]

    def count(self, status: str) -> int:
        return sum(1 for order in self.placed if self.status.get(order) == status)


Fetch = Callable[[str, str, float], tuple[int, Any]]


def get_json(url: str, token: str, timeout: float) -> tuple[int, Any]:
    """GET with a bearer token: the status and the JSON body (None if it is not JSON)."""
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked by the CLI
        url, headers={"Accept": "application/json", "Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    try:
        return status, json.loads(body)
    except ValueError:
        return status, None


def drain(
    base_url: str,
    tokens: Tokens,
    orders: Orders,
    *,
    within: float,
    fetch: Fetch = get_json,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, str]:
    """Polls every unsettled order until it settles or ``within`` seconds are over.

    Updates ``orders.status``; returns, for each order still unsettled at the
    end, why (its last status, or what the API answered instead).
    """
    deadline = clock() + within
    base = base_url.rstrip("/")

    def poll(order_id: str) -> tuple[str, str | None, str]:
        token = tokens.customers[orders.placed[order_id]]
        try:
            status, body = fetch(f"{base}/orders/{order_id}", token, 10.0)
        except OSError as error:
            return order_id, None, f"no answer: {error}"
        if status == 200 and isinstance(body, dict) and isinstance(body.get("status"), str):
            return order_id, body["status"], body["status"]
        return order_id, None, f"status {status}: {str(body)[:120]}"

    why: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=DRAIN_WORKERS) as pool:
        while True:
            pending = orders.unsettled()
            for order_id, status, reason in pool.map(poll, pending):
                if status is not None:
                    orders.status[order_id] = status
                why[order_id] = reason
            still = orders.unsettled()
            if not still or clock() >= deadline:
                return {order_id: why[order_id] for order_id in still}
            sleep(1.0)


@dataclass(frozen=True)
class Report:
    url: str
    settings: Settings
    stats: Stats
    failures: list[Failure]
    orders: Orders
    stuck: dict[str, str]
    locust_exit_code: int
    reasons: list[str]

    @property
    def passed(self) -> bool:
        return not self.reasons

    def as_json(self) -> dict[str, Any]:
        def row(entry: Row) -> dict[str, Any]:
            return {
                "method": entry.method,
                "name": entry.name,
                "requests": entry.requests,
                "failures": entry.failures,
                "rps": round(entry.rps, 2),
                "p50_ms": entry.p50_ms,
                "p95_ms": entry.p95_ms,
                "p99_ms": entry.p99_ms,
                "max_ms": round(entry.max_ms, 1),
            }

        total = self.stats.total
        return {
            "url": self.url,
            "passed": self.passed,
            "reasons": self.reasons,
            "shape": {
                "users": self.settings.users,
                "spawn_rate": self.settings.spawn_rate,
                "seconds": self.settings.seconds,
            },
            "thresholds": {
                "error_rate": 0,
                "p95_ms": self.settings.p95_ms,
                "p99_ms": self.settings.p99_ms,
                "drain_seconds": self.settings.drain_seconds,
                "stuck_orders": 0,
            },
            "requests": total.requests,
            "failures": total.failures,
            "error_rate": self.stats.error_rate,
            "rps": round(total.rps, 2),
            "latency_ms": {"p50": total.p50_ms, "p95": total.p95_ms, "p99": total.p99_ms},
            "by_name": [row(entry) for entry in self.stats.rows],
            "aggregated": row(total),
            "failure_kinds": [asdict(failure) for failure in self.failures],
            "orders": {
                "placed": len(self.orders.placed),
                "confirmed": self.orders.count("CONFIRMED"),
                "cancelled": self.orders.count("CANCELLED"),
                "stuck": len(self.stuck),
                "stuck_examples": dict(list(self.stuck.items())[:20]),
            },
            "locust_exit_code": self.locust_exit_code,
        }

    def lines(self) -> list[str]:
        s = self.settings
        out = [
            f"load test of {self.url}: {s.users} users "
            f"(spawned {s.spawn_rate:g}/s) for {s.seconds} s",
            f"{'request':<44} {'reqs':>6} {'fails':>5} {'rps':>7} {'p50':>6} {'p95':>6} {'p99':>6}",
        ]
        for entry in [*self.stats.rows, self.stats.total]:
            label = f"{entry.method} {entry.name}".strip()
            out.append(
                f"{label[:44]:<44} {entry.requests:>6} {entry.failures:>5} {entry.rps:>7.1f}"
                f" {_ms(entry.p50_ms):>6} {_ms(entry.p95_ms):>6} {_ms(entry.p99_ms):>6}"
            )
        out += [f"FAILED {f.occurrences}x {f.method} {f.name}: {f.error}" for f in self.failures]
        placed = len(self.orders.placed)
        out.append(
            f"orders: {placed} placed, {self.orders.count('CONFIRMED')} confirmed, "
            f"{self.orders.count('CANCELLED')} cancelled, {len(self.stuck)} stuck"
        )
        out += [f"stuck {order_id}: {why}" for order_id, why in list(self.stuck.items())[:10]]
        out.append(
            f"thresholds: error rate 0, p95 <= {s.p95_ms:g} ms, p99 <= {s.p99_ms:g} ms, "
            f"no order pending {s.drain_seconds:g} s after the load"
        )
        out += [f"MISSED {reason}" for reason in self.reasons]
        out.append("PASS" if self.passed else "FAIL")
        return out


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def judge(
    stats: Stats, settings: Settings, orders: Orders, stuck: Mapping[str, str], exit_code: int
) -> list[str]:
    """Every threshold the run missed, in words; none: it passed."""
    total = stats.total
    reasons: list[str] = []
    if total.requests == 0:
        reasons.append("no request was made")
    if total.failures:
        reasons.append(
            f"{total.failures} of {total.requests} requests failed "
            f"(error rate {stats.error_rate:.2%}, allowed 0)"
        )
    if exit_code not in (0, 1) or (exit_code == 1 and not total.failures):
        # Locust exits 1 on an exception in a task too (a bug of the locustfile,
        # an answer it could not read): not a failed request, still no pass.
        reasons.append(f"locust exited {exit_code} (its log says why)")
    for label, value, bound in (
        ("p95", total.p95_ms, settings.p95_ms),
        ("p99", total.p99_ms, settings.p99_ms),
    ):
        if value is not None and value > bound:
            reasons.append(f"aggregated {label} {value:g} ms is over {bound:g} ms")
    if not orders.placed:
        reasons.append("no order was placed (is there a catalog with stock?)")
    if stuck:
        reasons.append(
            f"{len(stuck)} of {len(orders.placed)} orders not CONFIRMED or CANCELLED "
            f"{settings.drain_seconds:g} s after the load stopped"
        )
    return reasons


Launch = Callable[[Sequence[str], Mapping[str, str], Path, float], int]


def launch_locust(command: Sequence[str], env: Mapping[str, str], log: Path, timeout: float) -> int:
    """Runs locust (``uvx`` from PATH), its output into ``log``; returns its exit code."""
    executable = shutil.which(command[0])
    if executable is None:
        raise LoadTestError(f"{command[0]} is not on PATH (make bootstrap installs uv)")
    with log.open("wb") as output:
        try:
            # Our own argument list, no shell.
            return subprocess.run(  # noqa: S603
                [executable, *command[1:]],
                env=dict(env),
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=log.parent,
                timeout=timeout,
                check=False,
            ).returncode
        except subprocess.TimeoutExpired:
            output.write(f"\nbazaar-delivery: locust still ran after {timeout:g} s\n".encode())
            return -1


def locust_command(locustfile: Path, url: str, settings: Settings, csv_prefix: Path) -> list[str]:
    return [
        "uvx",
        "--quiet",
        "--from",
        LOCUST,
        "locust",
        f"--locustfile={locustfile}",
        "--headless",
        f"--host={url.rstrip('/')}",
        f"--users={settings.users}",
        f"--spawn-rate={settings.spawn_rate:g}",
        f"--run-time={settings.seconds}s",
        f"--stop-timeout={STOP_TIMEOUT_SECONDS}",
        f"--csv={csv_prefix}",
        "--only-summary",
    ]


def run(
    url: str,
    tokens_file: Path,
    settings: Settings,
    *,
    locustfile: Path,
    launch: Launch | None = None,
    fetch: Fetch | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Report:
    """The whole load test: locust, its statistics judged, then the drain."""
    tokens = Tokens.read(tokens_file)
    if not locustfile.is_file():
        raise LoadTestError(f"no locustfile at {locustfile}")
    with tempfile.TemporaryDirectory(prefix="bazaar-load-") as scratch:
        directory = Path(scratch)
        orders_file = directory / "orders.txt"
        orders_file.write_text("", encoding="utf-8")
        prefix = directory / "locust"
        env = {
            **os.environ,
            "LOAD_TOKENS_FILE": str(tokens_file.resolve()),
            "LOAD_ORDERS_FILE": str(orders_file),
        }
        log = directory / "locust.log"
        timeout = settings.seconds + STOP_TIMEOUT_SECONDS + LOCUST_START_SECONDS
        command = locust_command(locustfile.resolve(), url, settings, prefix)
        exit_code = (launch or launch_locust)(command, env, log, timeout)
        final = Path(f"{prefix}_final_stats.csv")
        if not final.is_file():
            tail = "\n".join(_tail(log))
            raise LoadTestFailed(f"locust exited {exit_code} without its statistics:\n{tail}")
        failures_file = Path(f"{prefix}_final_failures.csv")
        try:
            stats = parse_stats(final.read_text(encoding="utf-8"))
            failures = (
                parse_failures(failures_file.read_text(encoding="utf-8"))
                if failures_file.is_file()
                else []
            )
            orders = Orders.parse(orders_file.read_text(encoding="utf-8"), len(tokens.customers))
        except (ValueError, KeyError) as error:
            raise LoadTestFailed(f"what locust wrote is unreadable: {error}") from None
        stuck = drain(
            url,
            tokens,
            orders,
            within=settings.drain_seconds,
            fetch=fetch or get_json,
            sleep=sleep,
            clock=clock,
        )
        reasons = judge(stats, settings, orders, stuck, exit_code)
        if exit_code != 0 and not stats.total.failures:
            reasons += [f"locust: {line}" for line in _tail(log, 15)]
    return Report(url, settings, stats, failures, orders, stuck, exit_code, reasons)


def _tail(log: Path, lines: int = 30) -> list[str]:
    if not log.is_file():
        return []
    return log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]


def write_report(report: Report, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.as_json(), indent=2) + "\n", encoding="utf-8")
