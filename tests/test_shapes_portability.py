"""The policy shapes are standard SHACL, not "whatever pySHACL accepts".

1. SHACL-SHACL: the merged policy shapes graph, and shapes/ontology-qa.ttl on
   its own, conform to the W3C shapes graph for shapes graphs
   (http://www.w3.org/ns/shacl-shacl, the copy bundled with pySHACL).
2. A second engine, pyrudof (rudof's SHACL validator, written in Rust), gives
   the same results as pySHACL on every shape fixture (all merged into one data
   graph) and on every example policy in examples/*.ttl.
3. A third engine, Apache Jena SHACL (Debian's libapache-jena-java, run through
   jena-cmds' ``shacl validate``), gives the same results again. Skipped, with
   the reason, on a machine without java or the Jena jars.

pySHACL is run exactly as :func:`responsible_sharing.validate.validate_input`
runs it: the shapes and background of :func:`~responsible_sharing.validate.engine`,
the DPV ``skos:broader`` triples merged into the data graph, no inference.
The other engines get the same merged data graph.

What is compared, per engine, is the multiset of top-level results (those the
report lists with ``sh:result``) as (focus node, source shape, severity), and
then, as a stronger check, with ``sh:sourceConstraintComponent`` added.
Normalisations, each the same for every engine:

* pySHACL (0.40 at the time of writing) also puts the results *inside* a failed ``sh:node`` into
  its report graph, as ``sh:detail`` of the outer result, typed
  ``sh:ValidationResult``. The SHACL spec leaves ``sh:detail`` optional, rudof
  and Jena do not produce it, and nothing in the project reads it (a finding is
  the outer result); so only the report's ``sh:result`` objects are compared.
* Severities are compared by local name (pyrudof says ``"Violation"``, the
  RDF reports ``sh:Violation``).
* Blank nodes have no identity across engines (each parser relabels them), so
  a blank node in a compared position is compared as ``_:``, the multiset
  still counting it. To keep focus nodes comparable, a policy
  (``rsf:DataSharingPolicy``) written as a blank node in an example is given
  an IRI (``urn:x-rsf-portability:...``) before any engine sees it; every
  engine then validates the very same graph. No shape looks at the node kind of
  the policy itself, so this cannot change a result.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from responsible_sharing.validate import engine, run_shapes

ROOT = Path(__file__).resolve().parents[1]
QA_SHAPES = ROOT / "shapes" / "ontology-qa.ttl"
SHAPE_FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
EXAMPLES = ROOT / "examples"

RSF = "https://w3id.org/rsf/"
RSFSH = "https://w3id.org/rsf/shapes/"
EX = "https://example.org/fixture/"
POLICY = URIRef(RSF + "DataSharingPolicy")
SKOLEM = "urn:x-rsf-portability:"

#: one row per result: (focus node, source shape, severity, constraint component)
Row = tuple[str, str, str, str]


# ---------------------------------------------------------------------------
# Shared inputs, parsed once
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def policy_shapes() -> Graph:
    """The merged shapes/policy/*.ttl, as validation uses them (not to be mutated)."""
    shapes = engine().shapes
    assert len(shapes) > 0, "no policy shapes loaded"
    return shapes


@pytest.fixture(scope="module")
def background() -> Graph:
    """The DPV skos:broader triples validation merges into the data graph."""
    return engine().background


@pytest.fixture(scope="module")
def shacl_shacl() -> Graph:
    """The W3C SHACL-SHACL shapes graph, as bundled with pySHACL."""
    asset = resources.files("pyshacl") / "assets" / "shacl-shacl.ttl"
    assert asset.is_file(), f"pySHACL no longer bundles shacl-shacl.ttl at {asset}; find its new place"
    graph = Graph().parse(data=asset.read_text(encoding="utf-8"), format="turtle")
    assert (None, RDF.type, SH.NodeShape) in graph, "the bundled shacl-shacl graph holds no node shapes"
    return graph


def _fixture_files() -> list[Path]:
    return sorted(SHAPE_FIXTURES.glob("*.ttl"))


def _example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.ttl"))


def _example_params() -> list[object]:
    files = _example_files()
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no example policies ({EXAMPLES}/*.ttl) yet"))]
    return [pytest.param(path, id=path.name) for path in files]


def _fixture_iri(fixture: str, local: str) -> URIRef:
    return URIRef(f"{EX}{fixture}/{local}")


@pytest.fixture(scope="module")
def merged_fixtures() -> Graph:
    """Every shape fixture in one graph, each fixture's ex: nodes renamed apart.

    ``ex:conforms`` of O-CE1-01.ttl becomes ``<https://example.org/fixture/O-CE1-01/conforms>``
    and so on for every IRI in the ex: namespace, so two fixtures never share a
    node. Blank nodes are already apart (each file is parsed on its own).
    """
    files = _fixture_files()
    assert files, f"no shape fixtures in {SHAPE_FIXTURES}"
    merged = Graph()
    for path in files:
        graph = Graph().parse(path, format="turtle")

        def rename(node: Node, fixture: str = path.stem) -> Node:
            if isinstance(node, URIRef) and str(node).startswith(EX):
                return _fixture_iri(fixture, str(node)[len(EX):])
            return node

        for s, p, o in graph:
            merged.add((rename(s), p, rename(o)))
    return merged


def _skolemise_policies(graph: Graph, tag: str) -> Graph:
    """A copy of ``graph`` where a policy written as a blank node has an IRI."""
    blank = [s for s in set(graph.subjects(RDF.type, POLICY)) if isinstance(s, BNode)]
    if not blank:
        return graph
    names = {b: URIRef(f"{SKOLEM}{tag}/policy-{i}") for i, b in enumerate(sorted(blank))}
    out = Graph()
    for s, p, o in graph:
        out.add((names.get(s, s), p, names.get(o, o)))  # type: ignore[arg-type]
    return out


# ---------------------------------------------------------------------------
# Reading results
# ---------------------------------------------------------------------------


def _term(node: object) -> str:
    """A node as compared across engines: IRIs as themselves, blank nodes as ``_:``."""
    if node is None:
        return ""
    if isinstance(node, BNode):
        return "_:"
    if isinstance(node, Literal):
        return node.n3()
    text = str(node)
    if text.startswith("_:"):  # pyrudof gives plain strings
        return "_:"
    return text


def _severity(node: object) -> str:
    text = str(node)
    for sep in ("#", "/"):
        text = text.rsplit(sep, 1)[-1]
    return text


def rows_from_report(report: Graph) -> Counter[Row]:
    """The top-level results of a SHACL validation report graph."""
    reports = list(report.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1, f"expected one sh:ValidationReport, found {len(reports)}"
    rows: Counter[Row] = Counter()
    for result in report.objects(reports[0], SH.result):
        rows[(
            _term(report.value(result, SH.focusNode)),
            _term(report.value(result, SH.sourceShape)),
            _severity(report.value(result, SH.resultSeverity)),
            _term(report.value(result, SH.sourceConstraintComponent)),
        )] += 1
    return rows


def run_pyshacl(data: Graph, shapes: Graph, background: Graph) -> Counter[Row]:
    """pySHACL as responsible_sharing.validate.validate_input runs it (background merged into the data)."""
    assert shapes is engine().shapes and background is engine().background
    return rows_from_report(run_shapes(data))


def _ntriples(*graphs: Graph) -> str:
    merged = Graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged.serialize(format="nt")


def _compare(label: str, reference: Counter[Row], other: Counter[Row], engine_name: str) -> None:
    """Assert two result multisets agree, first on (focus, shape, severity), then with the component."""

    def show(rows: Iterable[tuple[str, ...]]) -> str:
        items = sorted(rows)
        lines = [f"    {row}" for row in items[:40]]
        if len(items) > 40:
            lines.append(f"    ... and {len(items) - 40} more")
        return "\n".join(lines) or "    (none)"

    def assert_same(ref: Counter[tuple[str, ...]], oth: Counter[tuple[str, ...]], what: str) -> None:
        only_ref, only_oth = ref - oth, oth - ref
        assert not only_ref and not only_oth, (
            f"{label}: pySHACL and {engine_name} disagree on {what}.\n"
            f"  only pySHACL ({sum(only_ref.values())}):\n{show(only_ref.elements())}\n"
            f"  only {engine_name} ({sum(only_oth.values())}):\n{show(only_oth.elements())}"
        )

    # The comparison the project relies on: which policy fails which shape at which severity.
    assert_same(Counter(r[:3] for r in reference.elements()), Counter(r[:3] for r in other.elements()),
                "(focus node, source shape, severity)")
    # Stronger: also which constraint of the shape failed, and how often.
    assert_same(reference, other, "(focus node, source shape, severity, constraint component)")


# ---------------------------------------------------------------------------
# 1. SHACL-SHACL
# ---------------------------------------------------------------------------


def _owner(graph: Graph, node: Node) -> str:
    """The nearest IRI above ``node`` in the shapes graph (a blank node's shape), for messages."""
    seen: set[Node] = set()
    frontier = [node]
    while frontier:
        current = frontier.pop(0)
        if isinstance(current, URIRef):
            return graph.namespace_manager.normalizeUri(current)
        if current in seen:
            continue
        seen.add(current)
        frontier.extend(graph.subjects(None, current))
    return "[a blank node not reached from any IRI]"


def shacl_shacl_problems(shapes: Graph, shacl_shacl: Graph) -> list[str]:
    """Each way ``shapes`` breaks a SHACL-SHACL rule, one readable line each."""
    # SHACL-SHACL's path shapes recurse (a path's members are checked as paths
    # again), and a nested path such as O-CE5-04's sequence of an alternative, a
    # zeroOrOnePath and a zeroOrMorePath goes deeper than pySHACL's default guard
    # against runaway recursion (15 shapes deep) allows; 50 is ample and finite.
    conforms, report, _ = shacl_validate(shapes, shacl_graph=shacl_shacl, inference="none",
                                         allow_infos=True, allow_warnings=True, max_validation_depth=50)
    problems = []
    reports = list(report.subjects(RDF.type, SH.ValidationReport))
    for result in report.objects(reports[0], SH.result):
        focus = report.value(result, SH.focusNode)
        where = _owner(shapes, focus)  # type: ignore[arg-type]
        if isinstance(focus, BNode):
            where = f"a blank node inside {where}"
        rule = report.value(result, SH.sourceShape)
        rule_text = _owner(shacl_shacl, rule) if rule is not None else "?"  # type: ignore[arg-type]
        component = _severity(report.value(result, SH.sourceConstraintComponent))
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        problems.append(
            f"{where}: breaks {rule_text} ({component}"
            + (f", path {shapes.namespace_manager.normalizeUri(path)}" if isinstance(path, URIRef) else "")
            + (f", value {value.n3(shapes.namespace_manager)}" if value is not None else "")
            + ")"
            + (f": {message}" if message else "")
        )
    assert conforms == (not problems), "pySHACL's sh:conforms does not match its list of results"
    return sorted(problems)


def test_policy_shapes_conform_to_shacl_shacl(policy_shapes: Graph, shacl_shacl: Graph) -> None:
    problems = shacl_shacl_problems(policy_shapes, shacl_shacl)
    assert not problems, "shapes/policy/*.ttl break SHACL-SHACL:\n  " + "\n  ".join(problems)


def test_ontology_qa_shapes_conform_to_shacl_shacl(shacl_shacl: Graph) -> None:
    shapes = Graph().parse(QA_SHAPES, format="turtle")
    problems = shacl_shacl_problems(shapes, shacl_shacl)
    assert not problems, f"{QA_SHAPES.name} breaks SHACL-SHACL:\n  " + "\n  ".join(problems)


def test_shacl_shacl_check_catches_a_broken_shape(policy_shapes: Graph, shacl_shacl: Graph) -> None:
    """The check above has teeth, and names the shape: break one shape two ways."""
    broken = Graph()
    for triple in policy_shapes:
        broken.add(triple)
    for prefix, namespace in policy_shapes.namespaces():
        broken.bind(prefix, namespace)
    shape = URIRef(RSFSH + "O-CE1-01")
    assert (shape, SH.path, None) in broken
    broken.add((shape, SH.minCount, Literal("one")))  # sh:minCount takes one xsd:integer
    broken.add((shape, SH.severity, Literal("high")))  # sh:severity takes an IRI
    problems = shacl_shacl_problems(broken, shacl_shacl)
    assert problems, "SHACL-SHACL accepted sh:minCount \"one\" and a literal sh:severity"
    assert all(p.startswith("rsfsh:O-CE1-01:") for p in problems), problems
    assert any("MinCount" in p or "Datatype" in p or "minCount" in p for p in problems), problems


# ---------------------------------------------------------------------------
# The pySHACL reference results
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixtures_pyshacl(merged_fixtures: Graph, policy_shapes: Graph, background: Graph) -> Counter[Row]:
    return run_pyshacl(merged_fixtures, policy_shapes, background)


def test_merged_fixtures_exercise_every_shape(fixtures_pyshacl: Counter[Row], policy_shapes: Graph) -> None:
    """The comparison below covers every shape: each targeted shape reports at least
    once on the merged fixtures, and each fixture's ex:violates still fails its
    shape while ex:conforms still meets it (renaming apart changed nothing that matters)."""
    fired = {(focus, shape) for focus, shape, _, _ in fixtures_pyshacl}
    reporting = {shape for _, shape in fired}
    deactivated = {str(s) for s in policy_shapes.subjects(SH.deactivated, Literal(True))}  # shapes of retired obligations
    targeted = {str(s) for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                for s in policy_shapes.subjects(p, None)} - deactivated
    wrong = [f"{shape} reports nothing on the merged fixtures, so no engine is compared on it"
             for shape in sorted(targeted - reporting)]
    for path in _fixture_files():
        shape = RSFSH + path.stem
        if shape in deactivated:
            assert not {s for _, s in fired} & {shape}, f"the deactivated {shape} reported something"
            continue
        if (str(_fixture_iri(path.stem, "violates")), shape) not in fired:
            wrong.append(f"{path.name}: ex:violates does not fail rsfsh:{path.stem}")
        if (str(_fixture_iri(path.stem, "conforms")), shape) in fired:
            wrong.append(f"{path.name}: ex:conforms fails rsfsh:{path.stem}")
    assert not wrong, "\n".join(wrong)


@pytest.fixture(scope="module")
def examples_input(policy_shapes: Graph) -> dict[Path, Graph]:
    """Each example policy as the engines get it (blank-node policies given IRIs)."""
    inputs = {}
    for path in _example_files():
        graph = Graph().parse(path, format="turtle")
        inputs[path] = _skolemise_policies(graph, path.stem)
        if inputs[path] is not graph:
            # Giving a policy an IRI is safe only while no targeted shape checks the policy's own node kind.
            targeted = set(policy_shapes.subjects(SH.targetClass, POLICY))
            assert not any((s, SH.nodeKind, None) in policy_shapes for s in targeted if
                           (s, SH.path, None) not in policy_shapes), "a shape checks the node kind of the policy"
    return inputs


@pytest.fixture(scope="module")
def examples_pyshacl(examples_input: dict[Path, Graph], policy_shapes: Graph,
                     background: Graph) -> dict[Path, Counter[Row]]:
    """pySHACL's results per example, computed once for both other engines."""
    return {path: run_pyshacl(data, policy_shapes, background) for path, data in examples_input.items()}


# ---------------------------------------------------------------------------
# 2. pyrudof
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rudof_engine(policy_shapes: Graph):
    """A pyrudof session with the policy shapes loaded, and a way to run it on data."""
    try:
        import pyrudof
    except ImportError as error:  # a declared test dependency: missing is a failure, not a skip
        pytest.fail(f"pyrudof is not installed ({error}); it is in the test extra: pip install '.[test]'")
    session = pyrudof.Rudof(pyrudof.RudofConfig())
    shapes_nt = policy_shapes.serialize(format="nt")

    def run(data: Graph, background: Graph) -> Counter[Row]:
        session.reset_all()
        session.read_shacl(shapes_nt, format=pyrudof.ShaclFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
        session.read_data(_ntriples(data, background), format=pyrudof.RDFFormat.NTriples,
                          reader_mode=pyrudof.ReaderMode.Strict)
        report = session.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
        rows: Counter[Row] = Counter()
        # pyrudof's entries are its report's top-level results, with terms as plain strings.
        for entry in report.violations:
            rows[(_term(entry.focus_node), _term(entry.source_shape), _severity(entry.severity),
                  _term(entry.constraint_component))] += 1
        assert report.conforms == (not rows)
        return rows

    return run


def test_pyrudof_agrees_on_fixtures(merged_fixtures: Graph, background: Graph,
                                    fixtures_pyshacl: Counter[Row], rudof_engine) -> None:
    _compare("shape fixtures (merged)", fixtures_pyshacl, rudof_engine(merged_fixtures, background), "pyrudof")


@pytest.mark.parametrize("example", _example_params())
def test_pyrudof_agrees_on_example(example: Path, examples_input: dict[Path, Graph],
                                   examples_pyshacl: dict[Path, Counter[Row]], background: Graph,
                                   rudof_engine) -> None:
    data = examples_input[example]
    assert (None, RDF.type, POLICY) in data, f"{example.name} holds no rsf:DataSharingPolicy"
    assert examples_pyshacl[example], f"{example.name}: pySHACL reports nothing at all, so nothing is compared"
    _compare(f"examples/{example.name}", examples_pyshacl[example], rudof_engine(data, background), "pyrudof")


# ---------------------------------------------------------------------------
# 3. Apache Jena SHACL
# ---------------------------------------------------------------------------

JAVA_DIR = Path("/usr/share/java")
JENA_JARS = ("jena-cmds", "jena-shacl", "jena-arq", "jena-core", "jena-base", "jena-iri",
             "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage", "jena-dboe-trans-data",
             "jena-dboe-transaction", "jena-tdb", "jena-tdb2", "jena-rdfconnection", "jena-shex")
#: libapache-jena-java's Depends, as jar names in /usr/share/java (slf4j-nop keeps the log quiet)
JENA_DEPENDENCIES = ("commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io",
                     "commons-lang3", "dexx.collection", "gson", "guava", "httpclient", "httpcore",
                     "jackson-core", "jackson-databind", "jackson-annotations", "jsonld-java",
                     "jakarta.json-api", "protobuf", "thrift", "titanium-json-ld", "slf4j-api", "slf4j-nop")
JENA_REQUIRED = ("jena-cmds", "jena-shacl", "jena-arq", "jena-core", "jena-base")
SHADED_XERCES = "org/apache/jena/ext/xerces/"


@pytest.fixture(scope="module")
def jena(tmp_path_factory, policy_shapes: Graph):
    """Run Jena's ``shacl validate`` (class shacl.shacl in jena-cmds.jar) on data; skip without Jena."""
    missing = []
    java = shutil.which("java")
    if java is None:
        missing.append("java on PATH")
    missing += [f"{JAVA_DIR / name}.jar" for name in JENA_REQUIRED if not (JAVA_DIR / f"{name}.jar").is_file()]
    if missing:
        pytest.skip("Apache Jena SHACL not available (Debian: apt-get install libapache-jena-java); missing: "
                    + ", ".join(missing))
    work = tmp_path_factory.mktemp("jena")
    # Debian's libapache-jena-java 4.5.0 moved the shaded xerces classes to the
    # package `xerces.` but left their message .properties files under
    # org/apache/jena/ext/xerces/, so XSD datatype initialisation fails with an
    # "internal error". Put copies where the classes look, first on the classpath.
    patch = work / "xerces-messages"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(SHADED_XERCES) and name.endswith(".properties"):
                target = patch / "xerces" / name[len(SHADED_XERCES):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jars = [JAVA_DIR / f"{name}.jar" for name in JENA_JARS + JENA_DEPENDENCIES]
    classpath = os.pathsep.join([str(patch)] + [str(j) for j in jars if j.is_file()])
    shapes_file = work / "shapes.nt"
    shapes_file.write_text(policy_shapes.serialize(format="nt"), encoding="utf-8")
    counter = iter(range(1_000_000))

    def run(data: Graph, background: Graph) -> Counter[Row]:
        data_file = work / f"data-{next(counter)}.nt"
        data_file.write_text(_ntriples(data, background), encoding="utf-8")
        done = subprocess.run(
            [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, "shacl.shacl",
             "validate", "--shapes", str(shapes_file), "--data", str(data_file)],
            capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 0 and done.stdout.strip(), (
            f"jena shacl validate failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
        return rows_from_report(Graph().parse(data=done.stdout, format="turtle"))

    return run


def test_jena_agrees_on_fixtures(merged_fixtures: Graph, background: Graph,
                                 fixtures_pyshacl: Counter[Row], jena) -> None:
    _compare("shape fixtures (merged)", fixtures_pyshacl, jena(merged_fixtures, background), "Jena SHACL")


@pytest.mark.parametrize("example", _example_params())
def test_jena_agrees_on_example(example: Path, examples_input: dict[Path, Graph],
                                examples_pyshacl: dict[Path, Counter[Row]], background: Graph, jena) -> None:
    _compare(f"examples/{example.name}", examples_pyshacl[example], jena(examples_input[example], background),
             "Jena SHACL")
