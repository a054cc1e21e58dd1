"""count_responses.lua run by the real wrk against a small server of known answers."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bazaar_bench import wrk
from bazaar_bench.http_cases import COUNTING

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk not installed")


class KnownAnswers(BaseHTTPRequestHandler):
    """Every third answer has no X-Cache-Status; If-None-Match gets a 304."""

    protocol_version = "HTTP/1.1"
    numbers = itertools.count()

    def do_GET(self) -> None:
        number = next(self.numbers)
        revalidating = self.headers.get("If-None-Match") is not None
        self.send_response(304 if revalidating else 200)
        if number % 3:
            # Either case: the script must not depend on the header name's case.
            self.send_header("X-Cache-Status", "HIT" if number % 3 == 1 else "miss")
        body = b"" if revalidating else b"{}"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # no access log in the output
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # wrk resets its connections when it stops: not an error here


@pytest.fixture
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), KnownAnswers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def load(url: str, headers: list[str]) -> wrk.Sample:
    return asyncio.run(
        wrk.run(url, connections=2, seconds=1, cpus=None, headers=headers, script=COUNTING)
    )


def test_every_answer_is_counted_by_status_and_cache_verdict(server: str) -> None:
    sample = load(server, [])
    assert sample.tallies["status"] == {"200": sample.requests}
    verdicts = sample.tallies["x-cache-status"]
    assert set(verdicts) == {"hit", "miss", "none"}
    assert sum(verdicts.values()) == sample.requests


def test_wrk_s_own_headers_still_go_out(server: str) -> None:
    sample = load(server, ['If-None-Match: "v1"'])
    assert sample.tallies["status"] == {"304": sample.requests}
