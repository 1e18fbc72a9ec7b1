"""bench/generate.py: synthetic policies for benchmarks, deterministic and faithful to the examples.

The generator is a script, not part of the package; it is loaded from its
file. Validation runs once per batch (a folder of policies read together), so
the whole module stays within a few seconds.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from responsible_sharing.validate import validate

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "generate.py"
EXAMPLES = ROOT / "examples"
POLICY = URIRef("https://w3id.org/rsf/DataSharingPolicy")
N = 20


def _load():
    spec = importlib.util.spec_from_file_location("bench_generate", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


gen = _load()


@pytest.fixture(scope="module")
def templates():
    return gen.load_templates()


@pytest.fixture(scope="module")
def template_shapes() -> dict[str, set[str]]:
    """Each example's findings after the profile, as shape IRIs."""
    report = validate([str(p) for p in sorted(EXAMPLES.glob("*.ttl"))])
    return {Path(p.origin.source).stem: {f.shape for f in p.findings} for p in report.policies}


def _shape_iri(local: str) -> str:
    return "https://w3id.org/rsf/shapes/" + local


def _run(tmp_path: Path, name: str, *args: str, n: int = N) -> Path:
    out = tmp_path / name
    assert gen.main(["--n", str(n), "--seed", "7", "--out", str(out), *args]) == 0
    return out


def _tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _manifest(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def test_shape_namespace_matches_the_shapes(template_shapes):
    some = {s for shapes in template_shapes.values() for s in shapes}
    assert _shape_iri("O-CE1-05") in some


def test_help_and_bad_arguments(capsys, tmp_path):
    with pytest.raises(SystemExit) as done:
        gen.main(["--help"])
    assert done.value.code == 0
    assert "--gap-share" in capsys.readouterr().out
    for bad in (["--n", "0"], ["--n", "5", "--gap-share", "1.5"], ["--n", "5", "--layout", "xml"]):
        with pytest.raises(SystemExit) as done:
            gen.main([*bad, "--out", str(tmp_path / "x")])
        assert done.value.code == 2


@pytest.mark.parametrize("layout, suffix", [("files", ""), ("nquads", ".nq"), ("trig", ".trig")])
def test_same_seed_same_bytes(tmp_path, capsys, layout, suffix):
    first = _run(tmp_path, "a" + suffix, "--layout", layout)
    second = _run(tmp_path, "b" + suffix, "--layout", layout)
    other = tmp_path / ("c" + suffix)
    gen.main(["--n", str(N), "--seed", "8", "--out", str(other), "--layout", layout])
    if layout == "files":
        assert _tree_bytes(first) == _tree_bytes(second)
        assert _tree_bytes(first) != _tree_bytes(other)
    else:
        assert first.read_bytes() == second.read_bytes()
        assert first.read_bytes() != other.read_bytes()
    summary = capsys.readouterr().out.splitlines()[0]
    assert summary.startswith(f"{N} policies, ") and "with gaps" in summary and summary.endswith(" s")


def test_a_prefix_of_a_bigger_run_is_the_smaller_run(tmp_path):
    small = _run(tmp_path, "small", "--gap-share", "0")
    big = tmp_path / "big"
    gen.main(["--n", str(2 * N), "--seed", "7", "--gap-share", "0", "--out", str(big)])
    small_files = _tree_bytes(small)
    big_files = _tree_bytes(big)
    assert small_files == {k: v for k, v in big_files.items() if k in small_files}


def test_gap_share_is_held_on_every_prefix():
    phase = 0.37
    for share in (0.0, 0.3, 0.5, 1.0):
        flags = [gen.has_gaps(i, share, phase) for i in range(1000)]
        for n in (10, 100, 333, 1000):
            assert abs(sum(flags[:n]) - share * n) <= 1


def test_each_file_holds_one_policy_of_its_own(tmp_path):
    out = _run(tmp_path, "files", "--manifest", str(tmp_path / "m.tsv"))
    rows = _manifest(tmp_path / "m.tsv")
    files = sorted(out.rglob("*.ttl"))
    assert [p.parent.name for p in files] == ["000"] * N
    subjects: dict[URIRef, str] = {}
    for path, row in zip(files, rows):
        graph = Graph().parse(path, format="turtle")
        assert len(graph) == int(row["triples"])
        policies = list(graph.subjects(RDF.type, POLICY))
        assert policies == [URIRef(row["policy"])], path
        assert path.name.startswith(row["index"].zfill(6)) and row["template"] in path.name
        for subject in set(graph.subjects()):
            if isinstance(subject, URIRef):
                assert subject not in subjects, f"{subject} in {path} and {subjects[subject]}"
                subjects[subject] = path.name
    assert len({row["policy"] for row in rows}) == N


def test_files_go_in_folders_of_a_thousand(tmp_path):
    out = tmp_path / "big"
    gen.main(["--n", "1001", "--seed", "1", "--out", str(out), "--templates", "funder-data-sharing-policy"])
    assert sorted(p.name for p in out.iterdir()) == ["000", "001"]
    assert len(list((out / "000").iterdir())) == 1000
    assert [p.name for p in (out / "001").iterdir()] == ["001000-funder-data-sharing-policy.ttl"]
    with pytest.raises(SystemExit):
        gen.main(["--n", "2", "--out", str(out)])  # not empty, and no --overwrite
    gen.main(["--n", "2", "--out", str(out), "--overwrite"])
    assert sorted(p.name for p in out.rglob("*.ttl")) == [
        f"{p.values['I']}-{p.template.name}.ttl" for p in gen.generate(2, 0)]
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit):
        gen.main(["--n", "2", "--out", str(out), "--overwrite"])  # a file it did not write: left alone
    assert (out / "notes.txt").exists() and len(list(out.rglob("*.ttl"))) == 2


def test_nquads_one_graph_per_policy_and_no_shared_nodes(tmp_path):
    nq = _run(tmp_path, "p.nq", "--layout", "nquads", "--gap-share", "0.5", "--manifest", str(tmp_path / "m.tsv"))
    rows = _manifest(tmp_path / "m.tsv")
    dataset = Dataset()
    dataset.parse(nq, format="nquads")
    graphs = {g.identifier: g for g in dataset.graphs() if len(g)}
    assert set(graphs) == {URIRef(r["policy"]) for r in rows}
    owner: dict = {}
    for row in rows:
        graph = graphs[URIRef(row["policy"])]
        assert len(graph) == int(row["triples"])
        assert list(graph.subjects(RDF.type, POLICY)) == [URIRef(row["policy"])]
        nodes = set(graph.subjects()) | {o for o in graph.objects() if isinstance(o, BNode)}
        for node in nodes:
            assert owner.setdefault(node, row["policy"]) == row["policy"], f"{node} is in two policies"
    assert any(isinstance(n, BNode) for n in owner)


def test_the_three_layouts_hold_the_same_policies(tmp_path):
    files = _run(tmp_path, "files", n=8)
    nq = _run(tmp_path, "p.nq", "--layout", "nquads", n=8)
    trig = _run(tmp_path, "p.trig", "--layout", "trig", n=8)
    from_nq, from_trig = Dataset(), Dataset()
    from_nq.parse(nq, format="nquads")
    from_trig.parse(trig, format="trig")
    for path in sorted(files.rglob("*.ttl")):
        graph = Graph().parse(path, format="turtle")
        name = next(graph.subjects(RDF.type, POLICY))
        assert isomorphic(graph, from_nq.graph(name)), path
        assert isomorphic(graph, from_trig.graph(name)), path


def test_literals_are_escaped():
    text = 'a "quoted" back\\slash,\nnew line, tab\t, é, {braces} and 𝄞'
    line = f'<urn:s> <urn:p> "{gen.escape_literal(text)}"@en <urn:g> .\n'
    dataset = Dataset()
    dataset.parse(data=line, format="nquads")
    assert [o for _, _, o, _ in dataset.quads()] == [Literal(text, lang="en")]


def test_every_policy_is_varied(templates):
    policies = list(gen.generate(40, 3, gap_share=0.0, templates=templates))
    by_template = {}
    for policy in policies:
        by_template.setdefault(policy.template.name, []).append(policy)
    assert len(by_template) == len(templates)
    for name, group in by_template.items():
        texts = [p.turtle(3) for p in group]
        assert len(set(texts)) == len(texts)
        for text in texts:
            for place in group[0].template.places:  # the example's own invented names are all replaced
                for form in gen.place_forms(place):
                    assert form not in text.split("\n", 3)[3], (name, form)


def _write_batch(folder: Path, policies) -> dict[str, object]:
    policies = list(policies)
    folder.mkdir()
    for policy in policies:
        (folder / f"{policy.values['I']}.ttl").write_text(policy.turtle(0), encoding="utf-8")
    return {policy.iri: policy for policy in policies}


def _findings(folder: Path) -> dict[str, set[str]]:
    report = validate([str(folder)])
    assert not report.warnings
    return {p.policy: {f.shape for f in p.findings} for p in report.policies}


def test_without_gaps_each_policy_has_its_templates_findings(tmp_path, templates, template_shapes):
    policies = _write_batch(tmp_path / "clean", gen.generate(16, 0, gap_share=0.0, templates=templates))
    assert {p.template.name for p in policies.values()} == {t.name for t in templates}
    found = _findings(tmp_path / "clean")
    assert set(found) == set(policies)
    for iri, policy in policies.items():
        assert found[iri] == template_shapes[policy.template.name], (iri, policy.template.name)


def test_with_gaps_findings_add_the_gaps_shapes(tmp_path, templates, template_shapes):
    policies = _write_batch(tmp_path / "gaps", gen.generate(16, 0, gap_share=1.0, templates=templates))
    assert {p.template.name for p in policies.values()} == {t.name for t in templates}
    assert all(p.gaps for p in policies.values())
    assert any(len(p.gaps) > 1 for p in policies.values())
    found = _findings(tmp_path / "gaps")
    for iri, policy in policies.items():
        expected = template_shapes[policy.template.name]
        assert found[iri] >= expected, iri
        assert found[iri] - expected == {_shape_iri(gen.GAPS[g].shape) for g in policy.gaps}, (iri, policy.gaps)


def test_gap_lists_are_exact(tmp_path, templates, template_shapes):
    """Each listed gap fires its own shape and nothing else; the gaps left off a template's list fire nothing.

    To keep this to one short validation, a policy leaves out up to four gaps at once: every gap has its
    own shape, so the new findings must be exactly the shapes of the listed gaps in it.
    """
    batch = []
    counter = itertools.count(900000)
    for template in templates:
        base = next(gen.generate(1, 0, templates=[template]))
        listed = list(gen.TEMPLATE_GAPS[template.name])
        unlisted = sorted(set(template.possible_drops) - set(listed))
        for group in [listed[i:i + 4] for i in range(0, len(listed), 4)] + [unlisted]:
            if not group:
                continue
            drops = frozenset().union(*(template.possible_drops[g] for g in group))
            values = dict(base.values, I=str(next(counter)))
            batch.append(gen.Policy(0, template, template.policy_iri.format_map(values), tuple(group),
                                    template.triple_count - len(drops), values, drops))
    assert len({g.shape for g in gen.GAPS.values()}) == len(gen.GAPS)
    assert set(gen.TEMPLATE_GAPS) == {t.name for t in templates}
    policies = _write_batch(tmp_path / "each-gap", batch)
    found = _findings(tmp_path / "each-gap")
    for iri, policy in policies.items():
        template = policy.template.name
        assert found[iri] >= template_shapes[template], (template, policy.gaps)
        expected = {_shape_iri(gen.GAPS[g].shape) for g in policy.gaps if g in gen.TEMPLATE_GAPS[template]}
        assert found[iri] - template_shapes[template] == expected, (template, policy.gaps)
