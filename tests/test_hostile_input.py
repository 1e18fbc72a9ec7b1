"""Hostile and broken input through every command that reads RDF (issue 12).

Each case runs in-process (:mod:`hostile`) and must end with exit code 2 and
a message naming the file, or with a normal result; never a traceback, never a
network connection or a request to the logging server on 127.0.0.1, never a
read of the planted secret file (nor a byte of it in any output), and within
:data:`CASE_SECONDS`.
"""

from __future__ import annotations

import faulthandler
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hostile import Outcome, run_rsf_inprocess

POLICY = "https://w3id.org/rsf/DataSharingPolicy"
SECRET = "TOPSECRET-canary-7f3a9"
#: the longest one command may take on any case (a 2-core machine, the slowest command)
CASE_SECONDS = 20.0
ROOT = Path(__file__).resolve().parent.parent


class _Logging(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        _Logging.requests.append(self.path)
        body = json.dumps({"@context": {"p": "http://example.org/fetched#"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A logging HTTP server on 127.0.0.1 that answers every GET with a JSON-LD context."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Logging)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def secret(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("secret")
    path = folder / "secret.jsonld"
    path.write_text(json.dumps({"@context": {"p": f"http://example.org/{SECRET}#"}, "note": SECRET}), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def hang_stop() -> Iterator[None]:
    """A case that hangs kills the run with the stacks printed, instead of hanging the suite."""
    faulthandler.dump_traceback_later(300, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def commands(path: str) -> dict[str, list[str]]:
    """Every command that reads a user's RDF file, reading ``path``."""
    return {
        "validate": ["validate", "--format", "json", "--fail-on", "none", "--jobs", "1", path],
        "coverage": ["coverage", "--format", "json", "--jobs", "1", path],
        "query": ["query", "stated-links", "--data", path, "--format", "csv"],
        "graph": ["graph", "--policies", path, "--format", "graphml"],
        "impact": ["impact", "rsf:RightToPrivacy", "--report", path, "--format", "json"],
    }


def assert_safe(outcome: Outcome, name: str, server_log: list[str]) -> None:
    """The promises that hold for every input, whatever it holds."""
    assert outcome.code in (0, 1, 2), outcome.output
    assert "Traceback" not in outcome.output
    assert outcome.accesses == [], outcome.accesses
    assert server_log == [], server_log
    assert SECRET not in outcome.output
    assert outcome.seconds < CASE_SECONDS, f"{outcome.seconds:.1f} s"
    if outcome.code == 2:
        assert name in outcome.stderr, outcome.stderr


def _jsonld(context: object, **extra: object) -> str:
    document = {"@context": context, "@id": "http://example.org/policy", "@type": POLICY,
                "p": {"@id": "http://example.org/x"}, **extra}
    return json.dumps(document)


def context_cases(server: str, secret: Path) -> dict[str, str]:
    """JSON-LD that names documents to load, at every depth the format allows."""
    remote, local = f"{server}/context.jsonld", secret.as_uri()
    cases = {}
    for kind, url in (("remote", remote), ("file", local), ("relative", "../" + secret.parent.name + "/" + secret.name)):
        cases[f"top-{kind}"] = _jsonld(url)
        cases[f"list-{kind}"] = _jsonld([{"x": "http://example.org/x#"}, url])
        cases[f"import-{kind}"] = _jsonld({"@version": 1.1, "@import": url})
        cases[f"scoped-term-{kind}"] = _jsonld({"p": {"@id": "http://example.org/p", "@context": url}})
        cases[f"scoped-type-{kind}"] = json.dumps({
            "@context": {"T": {"@id": "http://example.org/T", "@context": [url]}},
            "@id": "http://example.org/policy", "@type": [POLICY, "T"]})
        cases[f"scoped-import-{kind}"] = _jsonld({"p": {"@id": "http://example.org/p", "@context": {"@import": url}}})
        cases[f"nested-node-{kind}"] = _jsonld({}, **{"http://example.org/q": {"@context": url, "p": "v"}})
    return cases


def _write_case(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_no_json_ld_context_reference_is_ever_loaded(tmp_path, server, secret):
    for case, text in context_cases(server, secret).items():
        path = _write_case(tmp_path, f"{case}.jsonld", text)
        outcome = run_rsf_inprocess(*commands(str(path))["validate"], watched=(str(secret.parent),))
        assert_safe(outcome, path.name, _Logging.requests)
        assert outcome.code == 0, (case, outcome.stderr)
        assert "was not fetched" in outcome.stderr, (case, outcome.stderr)


@pytest.mark.parametrize("case", ["scoped-term-file", "scoped-import-remote", "list-relative"])
def test_every_command_reads_through_the_same_reader(tmp_path, server, secret, case):
    path = _write_case(tmp_path, f"{case}.jsonld", context_cases(server, secret)[case])
    for command, args in commands(str(path)).items():
        outcome = run_rsf_inprocess(*args, watched=(str(secret.parent),))
        assert_safe(outcome, path.name, _Logging.requests)
        assert outcome.code in (0, 1), (command, outcome.stderr)
        assert "was not fetched" in outcome.stderr, (command, outcome.stderr)


def test_the_shipped_json_ld_example_reads_offline():
    example = ROOT / "examples" / "json-ld" / "minimal-policy.jsonld"
    outcome = run_rsf_inprocess("validate", "--format", "json", "--fail-on", "none", str(example))
    assert outcome.code == 0, outcome.stderr
    assert outcome.accesses == []
    assert json.loads(outcome.stdout)["policies"]
