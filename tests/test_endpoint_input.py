"""SPARQL endpoints as untrusted input: broken answers, bad options, big answers, credentials, provenance.

Most cases talk to :class:`Canned`, a tiny HTTP server on 127.0.0.1 that
answers each path with what the test sets and logs every request with its
``Authorization`` header; the provenance cases use a real Oxigraph server.
Commands run in-process through ``responsible_sharing.cli.run``.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import pty
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hostile import Outcome, run_rsf_inprocess
from responsible_sharing.policy_input import read_policies
from rsfrun import RSF

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cr3t-t0ken-91e7"
RESULTS = "application/sparql-results+json"
#: an answer a stored query could get: one row binding ?x
GOOD = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"uri","value":"https://example.org/x"}}]}}'
GRAPH = "https://w3id.org/rsf/graph/policy/p.ttl"
LISTING = json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "uri", "value": GRAPH}}]}}).encode()


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = RESULTS
    headers: dict[str, str] = field(default_factory=dict)
    #: writes the whole response itself instead (streams, slow answers)
    custom: Callable[[http.server.BaseHTTPRequestHandler], None] | None = None


class Canned(http.server.BaseHTTPRequestHandler):
    """Answers each path with its :class:`Route`; 404 for the rest. Every request is logged."""

    routes: dict[str, Route] = {}
    log: list[tuple[str, str, str | None]] = []
    protocol_version = "HTTP/1.0"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length)
        Canned.log.append((self.command, f"{self.server.server_address[1]}{self.path}", self.headers.get("Authorization")))
        route = Canned.routes.get(urllib.parse.urlsplit(self.path).path, Route(404, b"no such path", "text/plain"))
        if route.custom:
            route.custom(self)
            return
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(route.body)))
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(route.body)

    do_GET = do_POST = do_PUT = _answer  # noqa: N815 - the http.server interface

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Servers:
    """Two canned servers (two origins); ``url`` names a path on the first, ``other`` on the second."""

    ports: tuple[int, int]

    def url(self, path: str = "/query") -> str:
        return f"http://127.0.0.1:{self.ports[0]}{path}"

    def other(self, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[1]}{path}"

    def set(self, path: str, body: bytes = b"", **options: object) -> None:
        Canned.routes[path] = Route(body=body, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    started = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canned) for _ in range(2)]
    for httpd in started:
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield Servers((started[0].server_address[1], started[1].server_address[1]))
    for httpd in started:
        httpd.shutdown()


@pytest.fixture
def canned(servers: Servers, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Servers:
    """The servers with no routes and an empty log; no credentials in the environment, no ~/.netrc."""
    Canned.routes = {}
    Canned.log = []
    for name in ("RSF_ENDPOINT_TOKEN", "RSF_ENDPOINT_USER", "RSF_ENDPOINT_PASSWORD", "NETRC"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return servers


def rsf(*args: str) -> Outcome:
    outcome = run_rsf_inprocess(*args)
    assert "Traceback" not in outcome.output, outcome.output
    return outcome


def query_endpoint(url: str, *extra: str) -> Outcome:
    return rsf("query", "rights-at-stake", "--endpoint", url, "--format", "json", *extra)


def validate_endpoint(url: str, *extra: str) -> Outcome:
    return rsf("validate", "--endpoint", url, "--jobs", "1", "--no-write-reports", *extra)


def _binding(term: dict) -> bytes:
    return json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": term}]}}, ensure_ascii=False).encode()


MALFORMED = {
    "empty object": (b"{}", "must contain a 'boolean' or a 'results' key"),
    "a list": (b"[]", "must be an object"),
    "head only": (b'{"head":{}}', "must contain a 'boolean' or a 'results' key"),
    "binding without type": (_binding({"value": "a"}), "must have a 'type' key"),
    "unknown type": (_binding({"type": "weird", "value": "a"}), "Unexpected term type: 'weird'"),
    "bad language tag": (_binding({"type": "literal", "value": "a", "xml:lang": "not a tag!"}), "Invalid xml:lang"),
    "boolean not a boolean": (b'{"head":{},"boolean":"yes"}', "Unexpected boolean value"),
    "an HTML page": (b"<html><body>Please log in</body></html>", "the server sent text/html"),
    "a triple term": (_binding({"type": "triple", "value": {
        "subject": {"type": "uri", "value": "https://example.org/s"}, "predicate": {"type": "uri", "value": "https://example.org/p"},
        "object": {"type": "uri", "value": "https://example.org/o"}}}), "holds a triple term"),
    "not UTF-8": (_binding({"type": "literal", "value": "caf\u00e9"}).replace(b"\xc3\xa9", b"\xe9"), "is not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
@pytest.mark.parametrize("command", [query_endpoint, validate_endpoint], ids=["query", "validate"])
def test_a_malformed_answer_is_exit_2_naming_the_url_and_the_fault(canned, case, command):
    body, fault = MALFORMED[case]
    canned.set("/query", body, content_type="text/html" if case == "an HTML page" else RESULTS)
    outcome = command(canned.url())
    assert outcome.code == 2, outcome.output
    assert f"rsf: error: {canned.url()}: " in outcome.stderr and fault in outcome.stderr, outcome.stderr


def test_a_construct_answer_that_is_not_n_triples_is_exit_2(canned, tmp_path):
    query = tmp_path / "all.rq"
    query.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", encoding="utf-8")
    canned.set("/query", b'<https://example.org/a> <https://example.org/b> "unterminated .\n',
               content_type="application/n-triples")
    outcome = rsf("query", str(query), "--endpoint", canned.url())
    assert outcome.code == 2
    assert f"{canned.url()}: the answer is not N-Triples (line 1" in outcome.stderr, outcome.stderr
    canned.set("/query", b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n",
               content_type="application/n-triples")
    assert rsf("query", str(query), "--endpoint", canned.url()).code == 0


def test_a_stored_graph_that_does_not_parse_names_the_graph_not_a_temporary_file(canned):
    canned.set("/query", LISTING)
    canned.set("/store", b"<https://example.org/p> a <https://w3id.org/rsf/DataSharingPolicy .\n",
               content_type="application/n-triples")
    outcome = validate_endpoint(canned.url())
    assert outcome.code == 2
    assert f"rsf: error: {GRAPH}" in outcome.stderr and "as the store sent it" in outcome.stderr, outcome.stderr
    assert "rsf-store-" not in outcome.stderr


BAD_OPTIONS = [
    ("--endpoint", "not a url", "not an http:// or https:// URL"),
    ("--endpoint", "ftp://127.0.0.1/query", "not an http:// or https:// URL"),
    ("--endpoint", "file:///etc/passwd", "not an http:// or https:// URL"),
    ("--endpoint", "http:///query", "names no host"),
    ("--endpoint", "http://127.0.0.1:99999/query", "invalid port"),
    ("--endpoint", "http://alice:pw@127.0.0.1/query", "holds a user name or password"),
    ("--store", "file:///etc/passwd", "not an http:// or https:// URL"),
    ("--timeout", "-1", "above 0"),
    ("--timeout", "0", "above 0"),
    ("--timeout", "nan", "above 0"),
    ("--timeout", "inf", "at most 86400"),
    ("--max-answer-size", "0", "above 0"),
    ("--max-answer-size", "nan", "above 0"),
]
COMMANDS = {
    "query": ["query", "rights-at-stake"],
    "load": ["load", str(ROOT / "examples" / "funder-data-sharing-policy.ttl")],
    "validate": ["validate"],
}


@pytest.mark.parametrize(("command", "option", "value", "fault"), [
    pytest.param(command, *case, id=f"{command} {case[0]}={case[1]}")
    for command in sorted(COMMANDS) for case in BAD_OPTIONS if not (command == "query" and case[0] == "--store")])
def test_a_bad_endpoint_option_is_a_usage_error_naming_it(canned, command, option, value, fault):
    endpoint = [] if option == "--endpoint" else ["--endpoint", canned.url()]
    outcome = run_rsf_inprocess(*COMMANDS[command], *endpoint, option, value, watched=("/etc/passwd",))
    assert outcome.code == 2
    assert f"Invalid value for '{option}'" in outcome.stderr and fault in outcome.stderr, outcome.stderr
    assert Canned.log == [] and outcome.accesses == []


def _streaming(chunk: bytes, count: int, pause: float = 0.0) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    """An answer without a length: ``count`` times ``chunk``, ``pause`` seconds apart, until the client hangs up."""

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", RESULTS)
        handler.end_headers()
        try:
            for _ in range(count):
                handler.wfile.write(chunk)
                handler.wfile.flush()
                time.sleep(pause)
        except OSError:
            pass

    return answer


def test_an_answer_over_the_limit_is_refused_as_soon_as_it_passes_it(canned):
    canned.set("/query", custom=_streaming(b" " * 65536, 16384))  # 1 GB: only the reader's limit stops it
    started = time.monotonic()
    outcome = query_endpoint(canned.url(), "--max-answer-size", "2")
    assert outcome.code == 2
    assert "over the limit of 2 MB; raise it with --max-answer-size MB" in outcome.stderr, outcome.stderr
    assert time.monotonic() - started < 15
    big = GOOD[:-2] + b" " * (3 * 1024 * 1024) + GOOD[-2:]  # announced by its Content-Length
    canned.set("/query", big)
    assert "over the limit of 2 MB" in query_endpoint(canned.url(), "--max-answer-size", "2").stderr
    assert query_endpoint(canned.url(), "--max-answer-size", "4").code == 0


def test_a_slow_answer_is_refused_after_the_timeout(canned):
    canned.set("/query", custom=_streaming(b" ", 100, 0.1))  # each byte well within the time limit, not all of them
    started = time.monotonic()
    outcome = query_endpoint(canned.url(), "--timeout", "1")
    assert outcome.code == 2 and "no answer within 1 s; raise --timeout" in outcome.stderr, outcome.stderr
    assert time.monotonic() - started < 5


def _authorizations() -> list[str | None]:
    return [auth for _, _, auth in Canned.log]


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_a_bearer_token_from_the_environment_is_sent(canned, monkeypatch):
    canned.set("/query", GOOD)
    monkeypatch.setenv("RSF_ENDPOINT_TOKEN", SECRET)
    outcome = query_endpoint(canned.url())
    assert outcome.code == 0, outcome.stderr
    assert _authorizations() == [f"Bearer {SECRET}"]
    assert SECRET not in outcome.output


def test_basic_credentials_from_the_environment_are_sent(canned, monkeypatch):
    canned.set("/query", GOOD)
    monkeypatch.setenv("RSF_ENDPOINT_USER", "alice")
    monkeypatch.setenv("RSF_ENDPOINT_PASSWORD", SECRET)
    assert query_endpoint(canned.url()).code == 0
    assert _authorizations() == [_basic("alice", SECRET)]


def test_credentials_from_netrc_are_sent_to_its_host_only(canned, monkeypatch, tmp_path):
    canned.set("/query", GOOD)
    netrc = tmp_path / ".netrc"
    netrc.write_text(f"machine 127.0.0.1 login bob password {SECRET}\nmachine example.org login eve password x\n")
    netrc.chmod(0o600)
    assert query_endpoint(canned.url()).code == 0
    assert _authorizations() == [_basic("bob", SECRET)]
    named = tmp_path / "named-netrc"
    named.write_text(f"machine example.org login eve password {SECRET}\n")
    monkeypatch.setenv("NETRC", str(named))  # $NETRC replaces ~/.netrc, and holds no entry for this host
    assert query_endpoint(canned.url()).code == 0
    assert _authorizations()[-1] is None


def test_a_netrc_others_may_read_is_refused_without_showing_it(canned, tmp_path):
    canned.set("/query", GOOD)
    netrc = tmp_path / ".netrc"
    netrc.write_text(f"machine 127.0.0.1 login bob password {SECRET}\n")
    netrc.chmod(0o644)
    outcome = query_endpoint(canned.url())
    assert outcome.code == 2 and f"{netrc}" in outcome.stderr and "permissive" in outcome.stderr, outcome.stderr
    assert "chmod 600" in outcome.stderr and SECRET not in outcome.output and Canned.log == []


@pytest.mark.parametrize("variables", [
    {"RSF_ENDPOINT_TOKEN": SECRET, "RSF_ENDPOINT_USER": "alice"},
    {"RSF_ENDPOINT_USER": "alice"},
    {"RSF_ENDPOINT_PASSWORD": SECRET},
    {"RSF_ENDPOINT_TOKEN": f"{SECRET}\n"},
    {"RSF_ENDPOINT_USER": "alice:x", "RSF_ENDPOINT_PASSWORD": SECRET},
], ids=["token and user", "user alone", "password alone", "token with a line break", "user with a colon"])
def test_incomplete_or_conflicting_credentials_are_exit_2(canned, monkeypatch, variables):
    canned.set("/query", GOOD)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    outcome = query_endpoint(canned.url())
    assert outcome.code == 2 and "RSF_ENDPOINT_" in outcome.stderr and SECRET not in outcome.output
    assert Canned.log == []


def test_a_401_without_credentials_says_how_to_give_them(canned):
    canned.set("/query", b"login required", status=401, content_type="text/plain")
    outcome = validate_endpoint(canned.url())
    assert outcome.code == 2
    assert f"{canned.url()}: HTTP 401" in outcome.stderr and "none were given" in outcome.stderr
    assert "RSF_ENDPOINT_TOKEN" in outcome.stderr and "~/.netrc" in outcome.stderr


@pytest.mark.parametrize("status", [401, 403, 500])
def test_a_refusal_names_the_credential_source_and_never_the_secret(canned, monkeypatch, status):
    def echo(handler: http.server.BaseHTTPRequestHandler) -> None:  # a server that shows what it was sent
        body = f"you sent {handler.headers.get('Authorization')}".encode()
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    canned.set("/query", custom=echo)
    monkeypatch.setenv("RSF_ENDPOINT_USER", "alice")
    monkeypatch.setenv("RSF_ENDPOINT_PASSWORD", SECRET)
    outcome = query_endpoint(canned.url())
    assert outcome.code == 2 and f"HTTP {status}" in outcome.stderr
    if status == 500:
        assert "you sent [secret]" in outcome.stderr, outcome.stderr
    else:
        assert "refused the user name and password in RSF_ENDPOINT_USER and RSF_ENDPOINT_PASSWORD" in outcome.stderr
    assert SECRET not in outcome.output and _basic("alice", SECRET).split()[1] not in outcome.output


def test_credentials_follow_a_redirect_on_the_same_origin_only(canned, monkeypatch):
    monkeypatch.setenv("RSF_ENDPOINT_TOKEN", SECRET)
    canned.set("/query", status=303, headers={"Location": "/moved"})
    canned.set("/moved", GOOD)
    assert query_endpoint(canned.url()).code == 0
    assert _authorizations() == [f"Bearer {SECRET}", f"Bearer {SECRET}"]
    Canned.log.clear()
    canned.set("/query", status=303, headers={"Location": canned.other("/moved")})
    assert query_endpoint(canned.url()).code == 0
    assert [(path.split("/")[0], auth) for _, path, auth in Canned.log] == [
        (str(canned.ports[0]), f"Bearer {SECRET}"), (str(canned.ports[1]), None)]
    Canned.log.clear()
    canned.set("/moved", b"login required", status=401, content_type="text/plain")
    outcome = query_endpoint(canned.url())
    assert outcome.code == 2 and "where rsf sends no credentials" in outcome.stderr, outcome.stderr
    assert SECRET not in outcome.output


def test_a_redirect_away_from_http_is_not_followed(canned):
    canned.set("/query", status=302, headers={"Location": "ftp://127.0.0.1/query"})
    outcome = query_endpoint(canned.url())
    assert outcome.code == 2 and "not http or https; rsf does not follow it" in outcome.stderr, outcome.stderr


def _forward(base: str) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    """Pass a request on to the server at ``base`` and its answer back: a proxy that logs what rsf sends."""

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        request = urllib.request.Request(base + handler.path, data=handler.body or None, method=handler.command,  # type: ignore[attr-defined]
                                         headers={k: v for k, v in handler.headers.items() if k in ("Content-Type", "Accept")})
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own test server
            status, kind, body = response.status, response.headers.get("Content-Type", "text/plain"), response.read()
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def _on_a_terminal(command: list[str], cwd: Path, env: dict[str, str]) -> bytes:
    """What ``command`` writes to a terminal as its standard error, and to standard output, once it ends with 0."""
    controller, terminal = pty.openpty()
    with subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=terminal) as process:
        os.close(terminal)
        shown = b""
        while True:
            try:
                data = os.read(controller, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not data:
                break
            shown += data
        assert process.wait(timeout=120) == 0, shown
        shown += process.stdout.read() if process.stdout else b""
    os.close(controller)
    return shown


def _put(base: str, graph: str, turtle: str) -> None:
    target = f"{base}/store?{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(target, data=turtle.encode(), method="PUT", headers={"Content-Type": "text/turtle"})
    urllib.request.urlopen(request, timeout=30).close()  # noqa: S310 - our own test server


@dataclass
class Stored:
    """What loading a store and validating it showed: the load on a terminal, its requests, the reports."""

    terminal: bytes
    requests: list[tuple[str, str, str | None]]
    reports: dict[str, Outcome]


@pytest.fixture(scope="module")
def stored(start_oxigraph, servers, tmp_path_factory) -> Stored:
    """A store loaded from a sub-folder by `rsf load` on a terminal, with a token, through a logging proxy,
    plus one policy another tool put there; then validated in each format that names places."""
    base = start_oxigraph()
    work = tmp_path_factory.mktemp("work")
    (work / "policies").mkdir()
    funder = (ROOT / "examples" / "funder-data-sharing-policy.ttl").read_text(encoding="utf-8")
    (work / "policies" / "funder.ttl").write_text("# a comment line first\n\n" + funder, encoding="utf-8")
    (work / "policies" / "open.ttl").write_bytes((ROOT / "tests" / "fixtures" / "profiles" / "open-data.ttl").read_bytes())
    Canned.routes = {"/query": Route(custom=_forward(base)), "/store": Route(custom=_forward(base))}
    Canned.log = []
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("RSF_ENDPOINT")}, "RSF_ENDPOINT_TOKEN": SECRET}
    terminal = _on_a_terminal([RSF, "load", "--endpoint", servers.url(), "--no-reports", "policies"], work, env)
    requests = list(Canned.log)
    _put(base, "https://w3id.org/rsf/graph/policy/elsewhere", "<https://example.org/bare> a <https://w3id.org/rsf/DataSharingPolicy> .")
    # pyrudof gives pySHACL's findings, faster; where they point is what is tested here
    reports = {fmt: validate_endpoint(f"{base}/query", "--format", fmt, "--fail-on", "none", "--engine", "pyrudof")
               for fmt in ("json", "sarif", "text")}
    reports["store"] = rsf("query", str(_all_statements(work)), "--endpoint", f"{base}/query", "--format", "csv")
    return Stored(terminal, requests, reports)


def test_load_shows_progress_on_a_terminal_and_sends_the_credentials_with_every_request(stored):
    assert b"reading" in stored.terminal and b"loading" in stored.terminal, stored.terminal
    # ontology, shapes, and each file with where it came from; then the probe of the default graph
    assert [method for method, _, _ in stored.requests] == ["PUT"] * 6 + ["POST"]
    assert {auth for _, _, auth in stored.requests} == {f"Bearer {SECRET}"}
    assert SECRET.encode() not in stored.terminal


def test_load_shows_no_progress_off_a_terminal(canned):
    canned.set("/store", status=204, content_type="text/plain")
    canned.set("/query", b'{"head":{},"boolean":true}')
    outcome = rsf("load", "--endpoint", canned.url(), "--no-reports", str(ROOT / "tests" / "fixtures" / "profiles" / "open-data.ttl"))
    assert outcome.code == 0 and "loaded 4 named graphs" in outcome.stdout, outcome.stderr
    assert "loading" not in outcome.stderr and "reading" not in outcome.stderr


def _all_statements(folder: Path) -> Path:
    query = folder / "all.rq"
    query.write_text("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", encoding="utf-8")
    return query


def _funder_line() -> int:
    (origin,) = read_policies([str(ROOT / "examples" / "funder-data-sharing-policy.ttl")]).policies.values()
    return origin.line + 2  # the copy has two more lines at the top


def test_store_findings_name_the_loaded_file_and_its_line(stored):
    json_out = stored.reports["json"]
    assert json_out.code == 0, json_out.stderr
    by_source = {p["source"]: p for p in json.loads(json_out.stdout)["policies"]}
    assert set(by_source) == {"policies/funder.ttl", "policies/open.ttl", "https://w3id.org/rsf/graph/policy/elsewhere"}
    funder = by_source["policies/funder.ttl"]
    assert funder["line"] == _funder_line() and funder["findings"]
    assert {(f["source"], f["line"]) for f in funder["findings"]} == {("policies/funder.ttl", _funder_line())}
    other = by_source["https://w3id.org/rsf/graph/policy/elsewhere"]
    assert other["line"] is None  # a line of the store's copy would mislead
    assert f"policies/funder.ttl:{_funder_line()}" in stored.reports["text"].stdout


def test_sarif_from_a_store_points_at_files_and_graphs_with_valid_uris(stored):
    sarif = json.loads(stored.reports["sarif"].stdout)
    places = {(loc["physicalLocation"]["artifactLocation"]["uri"], loc["physicalLocation"].get("region", {}).get("startLine"))
              for run in sarif["runs"] for r in run["results"] for loc in r["locations"]}
    assert ("policies/funder.ttl", _funder_line()) in places
    assert ("https://w3id.org/rsf/graph/policy/elsewhere", None) in places
    for uri, _ in places:
        parts = urllib.parse.urlsplit(uri)
        assert (parts.scheme, parts.netloc) in {("", ""), ("https", "w3id.org")}, uri  # not https:/w3id.org/…


def test_the_store_records_the_relative_path_and_never_a_machine_path(stored, tmp_path_factory):
    rows = stored.reports["store"].stdout
    record = "https://w3id.org/rsf/graph/source/policies/funder.ttl"
    assert f"{record},https://w3id.org/rsf/graph/policy/policies/funder.ttl,http://purl.org/dc/terms/source,policies/funder.ttl" in rows
    assert "http://www.w3.org/2009/pointers#lineNumber," + str(_funder_line()) in rows
    assert str(tmp_path_factory.getbasetemp()) not in rows and str(ROOT) not in rows


@pytest.mark.parametrize("value", ["nan", "inf", "0"])
def test_a_size_limit_that_is_not_a_finite_positive_number_is_a_usage_error(value):
    outcome = rsf("validate", "--max-size", value, str(ROOT / "tests" / "fixtures" / "profiles" / "open-data.ttl"))
    assert outcome.code == 2 and "Invalid value for '--max-size'" in outcome.stderr, outcome.stderr
