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
import io
import json
import os
import resource
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fuzz_cases import CATEGORIES, generate, place
from hostile import Outcome, run_rsf_inprocess

POLICY = "https://w3id.org/rsf/DataSharingPolicy"
SECRET = "TOPSECRET-canary-7f3a9"
#: the longest one command may take on any case (a 2-core machine, the slowest command)
CASE_SECONDS = 20.0
ROOT = Path(__file__).resolve().parent.parent
#: generated cases run by `make test`; `make fuzz` runs the full corpus (RSF_FUZZ_CASES=1000)
FUZZ_CASES = int(os.environ.get("RSF_FUZZ_CASES", "40"))
FUZZ_SEED = int(os.environ.get("RSF_FUZZ_SEED", "12"))
#: commands each generated case goes through: validate by default, every command with RSF_FUZZ_COMMANDS=all
FUZZ_COMMANDS = os.environ.get("RSF_FUZZ_COMMANDS", "validate")
#: the most memory the whole test process may have held at once when the corpus is done (every case runs in it)
PEAK_MIB = 2048


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


#: a run still going after this long is a hang: the process is stopped with its stacks printed
HANG_SECONDS = 300


@pytest.fixture(autouse=True)
def hang_stop() -> Iterator[None]:
    """A case that hangs kills the run with the stacks printed, instead of hanging the suite."""
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
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
    requests = list(server_log)
    server_log.clear()  # one case's request must not fail the next
    assert outcome.code in (0, 1, 2), outcome.output[-3000:]
    assert "Traceback" not in outcome.output
    assert outcome.accesses == [], outcome.accesses
    assert requests == [], requests
    assert SECRET not in outcome.output
    assert outcome.seconds < CASE_SECONDS, f"{outcome.seconds:.1f} s"
    if outcome.code == 2:  # a name that is not UTF-8 is shown with its bytes escaped
        assert os.fsencode(name).decode("utf-8", "backslashreplace") in outcome.stderr, outcome.stderr


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
    (policy,) = json.loads(outcome.stdout)["policies"]
    assert policy["line"] == 3  # written with the context's alias: "id": "…"


def _store_triples(base: str) -> list[tuple[str, str]]:
    """(graph, number of triples) for every named graph in the store, sorted."""
    from urllib.parse import quote
    from urllib.request import urlopen

    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    with urlopen(f"{base}/query?query={quote(query)}", timeout=30) as answer:  # noqa: S310 - our own test server
        rows = json.loads(answer.read())["results"]["bindings"]
    return [(row["g"]["value"], row["n"]["value"]) for row in rows]


def _foreign(outcome: Outcome, base: str) -> list[str]:
    """Accesses other than to the store under test."""
    port = base.rsplit(":", 1)[1]
    return [access for access in outcome.accesses if port not in access]


def test_load_reads_through_the_reader_and_names_graphs_without_machine_paths(start_oxigraph, tmp_path, server, secret):
    base = start_oxigraph()
    example = ROOT / "examples" / "json-ld" / "minimal-policy.jsonld"  # its context IRI must not be fetched
    hostile = _write_case(tmp_path, "scoped.jsonld", context_cases(server, secret)["scoped-term-file"])
    outcome = run_rsf_inprocess("load", "--endpoint", f"{base}/query", str(example.resolve()), str(hostile),
                                watched=(str(secret.parent),))
    assert outcome.code == 0, outcome.stderr
    assert _foreign(outcome, base) == [] and _Logging.requests == []
    assert "was not fetched" in outcome.stderr and SECRET not in outcome.output
    graphs = [g for g, _ in _store_triples(base)]
    assert "https://w3id.org/rsf/graph/policy/minimal-policy.jsonld" in graphs  # named from the argument
    assert not any(str(tmp_path) in g or str(ROOT) in g for g in graphs), graphs


def test_load_refuses_a_bad_file_before_writing_anything(start_oxigraph, tmp_path):
    base = start_oxigraph()
    good = sorted((ROOT / "examples").glob("*.ttl"))
    assert run_rsf_inprocess("load", "--endpoint", f"{base}/query", "--no-reports", str(good[0])).code == 0
    before = _store_triples(base)
    bomb = _write_case(tmp_path, "lol.rdf", _billion_laughs().encode("utf-16-le"))
    outcome = run_rsf_inprocess("load", "--endpoint", f"{base}/query", *map(str, good[1:3]), str(bomb))
    assert outcome.code == 2 and "lol.rdf:2" in outcome.stderr and "DOCTYPE" in outcome.stderr
    assert "Traceback" not in outcome.output and outcome.seconds < CASE_SECONDS
    assert _store_triples(base) == before


def _billion_laughs() -> str:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return ('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY l0 "lol">' + entities + ']>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description rdf:about="http://example.org/policy"><rdf:type rdf:resource="{POLICY}"/>'
            "<rdf:value>&l9;</rdf:value></rdf:Description></rdf:RDF>\n")


def test_load_into_a_store_without_union_default_graph_says_so(tmp_path):
    import subprocess
    import sys
    import time
    from urllib.request import urlopen

    from rsfrun import free_port

    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).with_name("oxigraph")), "serve", "--location", str(tmp_path),
                               "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=2).read()  # noqa: S310
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "oxigraph did not start"
                time.sleep(0.2)
        example = ROOT / "examples" / "funder-data-sharing-policy.ttl"
        outcome = run_rsf_inprocess("load", "--endpoint", f"http://127.0.0.1:{port}/query", "--no-reports", str(example))
        assert outcome.code == 0, outcome.stderr
        assert "--union-default-graph" in outcome.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)


#: with RSF_FUZZ_COMMANDS=all, every this many-th case is also loaded into a local Oxigraph server
LOAD_EVERY = 10


def test_generated_corpus(tmp_path, server, secret, request):
    """The seeded corpus (tests/fuzz_cases.py): every case safe, and each category met at least once.

    ``validate`` writes its report with ``-o``: after exit 2 no report (nor a
    temporary file) may be left, after 0 or 1 the report must be whole JSON.
    """
    failures, codes = [], {}
    cases = generate(FUZZ_SEED, FUZZ_CASES, server, secret)
    store = request.getfixturevalue("start_oxigraph")() if FUZZ_COMMANDS == "all" else None
    for number, case in enumerate(cases):
        folder, out = tmp_path / "case", tmp_path / "out"
        folder.mkdir()
        out.mkdir()
        argument, name = place(case, folder)
        runs = commands(argument)
        runs["validate"] += ["-o", str(out / "report.json")]
        if store is not None and number % LOAD_EVERY == 0:
            runs["load"] = ["load", "--endpoint", f"{store}/query", "--quiet", argument]
        for command, args in runs.items():
            if FUZZ_COMMANDS != "all" and command != FUZZ_COMMANDS:
                continue
            faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)  # per run: the corpus takes many minutes
            outcome = run_rsf_inprocess(*args, watched=(str(secret.parent),))
            if command == "load":  # the store under test is the one place load may connect to
                outcome.accesses = _foreign(outcome, store)
            codes[outcome.code] = codes.get(outcome.code, 0) + 1
            try:
                assert_safe(outcome, name, _Logging.requests)
                if command == "validate":
                    _assert_whole_or_absent(out, outcome.code)
            except AssertionError as err:
                failures.append(f"{case.name} ({command}): {str(err)[-700:]}")
        shutil.rmtree(folder)
        shutil.rmtree(out)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    assert not failures, "\n".join(failures)
    assert {c.name.split("-")[1] for c in cases} == set(CATEGORIES[:FUZZ_CASES])
    assert peak_mib < PEAK_MIB, f"the corpus took {peak_mib:.0f} MiB at its peak"
    print(f"{len(cases)} cases, exit codes {dict(sorted(codes.items()))}, peak memory {peak_mib:.0f} MiB")


def _assert_whole_or_absent(out: Path, code: int) -> None:
    """A refused input leaves no report and no temporary file; a report written is whole JSON."""
    left = sorted(p.name for p in out.iterdir())
    if code == 2:
        assert left == [], left
    else:
        assert left == ["report.json"], left
        json.loads((out / "report.json").read_text(encoding="utf-8"))


_TURTLE = f"<http://example.org/policy> a <{POLICY}> ;\n  <http://example.org/note> \"café\" .\n"
#: file name -> (bytes, phrases the error must hold): each was a traceback or a hang before issue 12
BROKEN = {
    "bad-utf8.ttl": (_TURTLE.encode("latin-1"), ["bad-utf8.ttl:2:", "UTF-8", "byte offset"]),
    "utf16.ttl": (_TURTLE.encode("utf-16"), ["utf16.ttl:1:", "UTF-16"]),
    "utf16.nq": (_TURTLE.replace(";\n ", ".\n<http://example.org/policy>").encode("utf-16-le"), ["utf16.nq:1:", "UTF-8"]),
    "bomb-utf16.rdf": (_billion_laughs().encode("utf-16-le"), ["bomb-utf16.rdf:2:", "DOCTYPE"]),
    "malformed.rdf": ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                      '<rdf:Description rdf:about="http://example.org/policy">\n</rdf:RDF>\n'.encode(),
                      ["malformed.rdf:4:", "XML syntax error"]),
    "deep-array.jsonld": (('{"@id": "http://example.org/policy", "http://example.org/p": ' + "[" * 50000
                           + "]" * 50000 + "}").encode(), ["deep-array.jsonld", "nested deeper than"]),
    "deep-object.jsonld": (('{"@id": "http://example.org/policy", "http://example.org/p": ' + '{"http://example.org/q": ' * 3000
                            + "1" + "}" * 3001).encode(), ["deep-object.jsonld", "nested deeper than"]),
    "huge-integer.jsonld": (f'{{"@id": "http://example.org/policy", "@type": "{POLICY}", "http://example.org/n": {"9" * 5000}}}'.encode(),
                            ["huge-integer.jsonld", "JSON number of 5000 characters"]),
    "reverse.jsonld": (f'{{"@id": "http://example.org/policy", "@type": "{POLICY}", "@reverse": {{"http://example.org/p": "text"}}}}'.encode(),
                       ["reverse.jsonld", "subject"]),
    "triple-term.ttl": ((_TURTLE + '<http://example.org/policy> <http://example.org/says>\n  <<( <http://example.org/a> '
                         '<http://example.org/b> <http://example.org/c> )>> .\n').encode(),
                        ["triple-term.ttl:4:", "RDF 1.2 triple term"]),
    "reifier.trig": ((_TURTLE + '<< <http://example.org/a> <http://example.org/b> <http://example.org/c> >> '
                      '<http://example.org/says> "x" .\n').encode(), ["reifier.trig:3:", "RDF 1.2 triple term"]),
    "annotation.ttl": ((_TURTLE + '<http://example.org/policy> <http://example.org/b> <http://example.org/c> '
                        '{| <http://example.org/says> "x" |} .\n').encode(), ["annotation.ttl:3:", "RDF 1.2 triple term"]),
    "triple-term.nt": (f'<http://example.org/policy> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{POLICY}> .\n'
                       '<http://example.org/a> <http://example.org/b> <<( <http://example.org/a> <http://example.org/b> '
                       '<http://example.org/c> )>> .\n'.encode(), ["triple-term.nt:2:", "RDF 1.2 triple term"]),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_input_is_exit_2_naming_the_file_and_line(tmp_path, name):
    data, phrases = BROKEN[name]
    path = _write_case(tmp_path, name, data)
    outcome = run_rsf_inprocess(*commands(str(path))["validate"])
    assert_safe(outcome, name, [])
    assert outcome.code == 2
    for phrase in phrases:
        assert phrase in outcome.stderr, outcome.stderr


def test_broken_input_through_query_data_is_the_same_error(tmp_path):
    path = _write_case(tmp_path, "bad-utf8.ttl", BROKEN["bad-utf8.ttl"][0])
    outcome = run_rsf_inprocess(*commands(str(path))["query"])
    assert_safe(outcome, path.name, [])
    assert outcome.code == 2 and "bad-utf8.ttl:2:" in outcome.stderr


def test_triple_terms_are_refused_when_read_graph_by_graph(tmp_path):
    path = _write_case(tmp_path, "store.nq", f'<http://example.org/policy> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                       f'<{POLICY}> <http://example.org/g1> .\n<http://example.org/a> <http://example.org/b> <<( '
                       '<http://example.org/a> <http://example.org/b> <http://example.org/c> )>> <http://example.org/g2> .\n')
    outcome = run_rsf_inprocess("validate", str(path), "--per-graph", "--format", "json")
    assert_safe(outcome, path.name, [])
    assert outcome.code == 2 and "graph <http://example.org/g2>" in outcome.stderr and "RDF 1.2" in outcome.stderr


@pytest.mark.parametrize("datatype", ["XMLLiteral", "HTML"])
def test_markup_literals_are_not_parsed_while_reading(tmp_path, datatype):
    content = "<div>" * 50000 + "</div>" * 50000
    path = _write_case(tmp_path, f"{datatype}.ttl", f'<http://example.org/policy> a <{POLICY}> ;\n'
                       f'  <http://example.org/note> "{content}"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#{datatype}> .\n')
    outcome = run_rsf_inprocess(*commands(str(path))["validate"])
    assert_safe(outcome, path.name, [])
    assert outcome.code == 0 and outcome.seconds < 10, (outcome.seconds, outcome.stderr)


def test_thousands_of_prefixes_cost_seconds_not_minutes(tmp_path):
    prefixes = "".join(f"@prefix p{i}: <http://example.org/ns{i}/> .\n" for i in range(20000))
    path = _write_case(tmp_path, "prefixes.ttl", prefixes + f"p1:policy a <{POLICY}> .\n")
    outcome = run_rsf_inprocess(*commands(str(path))["validate"])  # was 221 s
    assert_safe(outcome, path.name, [])
    assert outcome.code == 0 and json.loads(outcome.stdout)["policies"][0]["line"] == 20001


class _Endless(io.RawIOBase):
    """A standard input that never ends, counting what was read from it."""

    def __init__(self) -> None:
        super().__init__()
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        buffer[:] = b"#" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


def test_standard_input_is_refused_as_soon_as_it_passes_the_limit():
    endless = _Endless()
    outcome = run_rsf_inprocess("validate", "--max-size", "2", "-", stdin=endless)  # type: ignore[arg-type]
    assert_safe(outcome, "<stdin>", [])
    assert outcome.code == 2 and "over the input limit of 2 MB" in outcome.stderr
    assert endless.read_bytes <= 4 * 1024 * 1024


@pytest.mark.parametrize("command", ["validate", "coverage", "graph"])
def test_output_into_a_missing_folder_is_exit_2_and_writes_nothing(tmp_path, command):
    example = str(ROOT / "examples" / "funder-data-sharing-policy.ttl")
    target = tmp_path / "missing" / "out.txt"
    args = {"validate": ["validate", example], "coverage": ["coverage", example], "graph": ["graph"]}[command]
    outcome = run_rsf_inprocess(*args, "-o", str(target))
    assert outcome.code == 2 and "Traceback" not in outcome.output
    assert f"{target}: cannot write" in outcome.stderr and "does not exist" in outcome.stderr
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("written", ['"no"^^xsd:boolean', '"0"^^xsd:boolean', '"1"^^xsd:boolean'])
def test_literals_are_validated_and_shown_as_written_under_both_engines(tmp_path, written):
    example = (ROOT / "examples" / "biobank-community-charter.ttl").read_text(encoding="utf-8")
    assert "rsf:sharesWithThirdParties true" in example
    path = _write_case(tmp_path, "policy.ttl", example.replace("rsf:sharesWithThirdParties true",
                                                               f"rsf:sharesWithThirdParties {written}"))
    found, inputs = {}, {}
    for engine in ("pyshacl", "pyrudof"):
        outcome = run_rsf_inprocess("validate", "--engine", engine, "--format", "json", "--fail-on", "none", str(path))
        assert outcome.code == 0, outcome.stderr
        policies = json.loads(outcome.stdout)["policies"]
        found[engine] = sorted((f["shape"].rsplit("/", 1)[-1], f["value"]) for p in policies for f in p["findings"])
        inputs[engine] = sorted((f["check"], f["path"], f["value"]) for p in policies for f in p["input_findings"])
    assert found["pyshacl"] == found["pyrudof"] and inputs["pyshacl"] == inputs["pyrudof"]
    lexical = written.split('"')[1]
    ill_typed = lexical not in ("0", "1")
    # an ill-typed value states nothing: the check asks for the fact, and an input finding shows the value as written
    assert (("O-CE1-03-third-parties", "") in found["pyshacl"]) == ill_typed
    assert any(check == "ill-typed-literal" and lexical in value for check, _, value in inputs["pyshacl"]) == ill_typed


def test_output_naming_an_input_is_refused_and_the_input_kept(tmp_path):
    policy = _write_case(tmp_path, "policy.ttl", (ROOT / "examples" / "funder-data-sharing-policy.ttl").read_bytes())
    before = policy.read_bytes()
    query = _write_case(tmp_path, "mine.rq", "SELECT * WHERE { ?s ?p ?o } LIMIT 1\n")
    for args in (["validate", str(tmp_path)], ["coverage", str(tmp_path)], ["graph", "--policies", str(tmp_path)],
                 ["query", "stated-links", "--data", str(policy)]):
        outcome = run_rsf_inprocess(*args, "-o", str(policy))
        assert outcome.code == 2 and "is one of the input files" in outcome.stderr, (args, outcome.stderr)
        assert policy.read_bytes() == before
    outcome = run_rsf_inprocess("query", str(query), "-o", str(query))
    assert outcome.code == 2 and "is one of the input files" in outcome.stderr, outcome.stderr


def test_one_huge_named_graph_read_graph_by_graph_is_bounded_by_the_size_limit(tmp_path):
    statements = "".join(f"<http://example.org/policy> <http://example.org/n> \"{i}\" <http://example.org/g1> .\n"
                         for i in range(12_000))
    path = _write_case(tmp_path, "store.nq", f"<http://example.org/policy> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                       f"<{POLICY}> <http://example.org/g1> .\n" + statements)
    refused = run_rsf_inprocess("validate", str(path), "--per-graph", "--max-size", "1", "--format", "json")
    assert_safe(refused, path.name, [])
    assert refused.code == 2 and "graph <http://example.org/g1> holds more than 10000 statements" in refused.stderr
    assert "raise --max-size" in refused.stderr
    allowed = run_rsf_inprocess("validate", str(path), "--per-graph", "--max-size", "2", "--format", "json", "--fail-on", "none")
    assert allowed.code == 0, allowed.stderr
