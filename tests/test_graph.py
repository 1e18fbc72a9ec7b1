"""The traceability graph (networkx): counts, impact, focus, exports, pictures, and
the `rsf impact` / `rsf graph` commands."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
from collections import Counter
from pathlib import Path

import click
import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, Literal, URIRef

from responsible_sharing import queries
from responsible_sharing.cli_graph import register
from responsible_sharing.errors import RsfError, UnknownTermError
from responsible_sharing.terms import resolve_term
from responsible_sharing.graph import (
    FORMATS,
    DrawingUnavailableError,
    build_graph,
    draw,
    export,
    focus,
    impact,
    resolve,
    to_gexf,
    to_graphml,
)
from responsible_sharing.namespaces import RSF
from responsible_sharing.ontology import load_ontology
from responsible_sharing.trace import build_traces

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
#: one violation of O-CE5-05 (no safeguard for transfers abroad), see examples/README.md
CHARTER = EXAMPLES / "biobank-community-charter.ttl"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def spine() -> nx.DiGraph:
    return build_graph()


@pytest.fixture(scope="module")
def with_findings() -> nx.DiGraph:
    return build_graph(policies=[str(CHARTER)])


def kinds(graph: nx.DiGraph) -> Counter:
    return Counter(kind for _, kind in graph.nodes(data="kind"))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    length, chunk = struct.unpack(">I4s", data[8:16])
    assert chunk == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


# --- the graph ---------------------------------------------------------------


def test_graph_holds_every_term_of_the_spine(spine, graph):
    counts = kinds(spine)
    assert counts["principle"] == 4 and counts["element"] == 10  # the Framework's own numbers
    # the ontology's numbers; retired obligations (owl:deprecated) are left out, as from every profile
    retired = set(graph.subjects(OWL.deprecated, Literal(True)))
    for cls, kind in ((RSF.HumanRight, "right"), (RSF.Principle, "principle"), (RSF.CoreElement, "element"),
                      (RSF.Obligation, "obligation"), (RSF.ActorRole, "role"), (RSF.LegalProvision, "provision")):
        assert counts[kind] == len(set(graph.subjects(RDF.type, cls)) - retired), kind
    assert str(RSF["O-CE2-08"]) not in spine
    for node, data in spine.nodes(data=True):
        assert set(data) >= {"kind", "label", "notation", "iri"}
        assert data["iri"] == node
        assert all(isinstance(v, str) for v in data.values())


def test_edges_point_to_what_a_term_rests_on_with_relation_and_basis(spine, graph):
    relations = Counter(r for _, _, r in spine.edges(data="relation"))
    retired = set(graph.subjects(OWL.deprecated, Literal(True)))
    for prop in ("derivesFrom", "serves", "upholds", "groundedIn", "recognisedIn", "bearer"):
        assert relations[prop] == len({(s, o) for s, o in graph.subject_objects(RSF[prop]) if s not in retired}), prop
    serves = spine.edges["https://w3id.org/rsf/CE1", "https://w3id.org/rsf/P4"]
    assert serves == {"relation": "serves", "label": "serves", "property": str(RSF.serves),
                      "basis": "rsf:ProjectInterpretation", "rank": "primary"}
    stated = spine.edges[str(RSF.RightToScience), str(RSF["UDHR-Art27-1"])]
    assert stated["basis"] == "rsf:StatedByFramework"
    # an obligation rests on its element, never the other way round
    assert spine.has_edge(str(RSF["O-CE5-03"]), str(RSF.CE5))
    assert not spine.has_edge(str(RSF.CE5), str(RSF["O-CE5-03"]))


def test_shapes_and_findings_join_the_graph(with_findings):
    counts = kinds(with_findings)
    assert counts["shape"] >= counts["obligation"] - 20  # most obligations are machine-checked
    assert counts["policy"] == 1 and counts["finding"] >= 1
    finding = next(n for n, k in with_findings.nodes(data="kind") if k == "finding")
    targets = {with_findings.nodes[t]["kind"]: t for t in with_findings.successors(finding)}
    assert set(targets) == {"shape", "obligation"}
    assert with_findings.has_edge(targets["shape"], targets["obligation"])
    assert [with_findings.nodes[p]["kind"] for p in with_findings.predecessors(finding)] == ["policy"]


def test_terms_resolve_like_rsf_explain(spine, graph):
    for needle in ("CE5", "p1", "Transparency", "right to privacy", "O-CE5-03", "R05",
                   "https://w3id.org/rsf/RightToPrivacy", "UDHR 27(1)"):
        assert resolve(spine, needle) == resolve_term(graph, needle).iri, needle
    assert resolve(spine, "rsf:RightToPrivacy") == str(RSF.RightToPrivacy)
    with pytest.raises(UnknownTermError, match="no term"):
        resolve(spine, "CE99")


# --- impact and focus --------------------------------------------------------


def _walk_down(graph, right: URIRef) -> set[str]:
    """Obligations resting on a right (through the elements that uphold it), walked in the ontology without the library."""
    elements = set(graph.subjects(RSF.upholds, right))
    return {str(o) for e in elements for o in graph.subjects(RSF.derivesFrom, e)
            if (o, RDF.type, RSF.Obligation) in graph and (o, OWL.deprecated, Literal(True)) not in graph}


@pytest.mark.parametrize("right", ["RightToPrivacy", "RightToHealth", "RightToScience", "RightToProceduralFairness"])
def test_impact_of_a_right_is_what_the_stored_query_and_the_ontology_say(spine, graph, right):
    iri = RSF[right]
    by_query = {str(r.obligation) for r in queries.run(graph, "obligations-under", {"term": iri})}
    result = impact(spine, f"rsf:{right}")
    assert result.obligation_iris == by_query == _walk_down(graph, iri)
    assert {p.iri for p in result.principles} == {str(p) for p in graph.subjects(RSF.groundedIn, iri)}


def test_impact_lists_bearers_modality_shapes_and_findings(with_findings):
    result = impact(with_findings, "CE5")
    ce5 = [t.obligation.notation for t in build_traces(load_ontology().graph).values()
           if [e.notation for e in t.elements] == ["CE5"]]
    assert [o.obligation.notation for o in result.obligations] == ce5  # in force, in notation order
    assert ce5[:3] == ["O-CE5-01", "O-CE5-02", "O-CE5-03"]
    first = result.obligations[0]
    assert first.modality == "must" and first.bearers and first.shapes
    assert {s.notation for s in first.shapes} == {"rsfsh:O-CE5-01-law", "rsfsh:O-CE5-01-basis"}
    assert [f.obligation for f in result.findings] == [str(RSF["O-CE5-05"])]
    assert result.findings[0].severity == "violation"
    # O-CE5-05 rests on CE5 -> P1/P4, not on the right to health (through P3)
    health = impact(with_findings, "rsf:RightToHealth")
    assert str(RSF["O-CE5-05"]) not in {f.obligation for f in health.findings}
    assert {f.obligation for f in health.findings} <= health.obligation_iris
    assert set(result.findings) <= set(impact(with_findings, "rsf:RightToPrivacy").findings)


def test_focus_keeps_the_chain_up_and_down_and_the_bearers(spine):
    ce5 = focus(spine, "CE5")
    counts = kinds(ce5)
    assert counts["element"] == 1 and counts["principle"] == 2
    assert counts["obligation"] == len(set(spine.predecessors(str(RSF.CE5))))
    # CE5's own rights (docs/model.md), not every right of P1 and P4
    assert {spine.nodes[n]["notation"] for n, k in ce5.nodes(data="kind") if k == "right"} == {"HR-PRIVACY", "HR-NONDISCRIMINATION"}
    assert counts["role"] >= 1
    assert ce5.graph["focus"] == str(RSF.CE5)
    near = focus(spine, "CE5", depth=1)
    assert kinds(near)["right"] == 2 and kinds(near)["obligation"] == counts["obligation"]
    # a role rests on nothing: its focus shows what its obligations rest on
    ethics = focus(spine, "ethics review committee")
    assert {spine.nodes[n]["kind"] for n in ethics} >= {"obligation", "element", "principle", "right", "role"}
    ethics_elements = {n for n, k in ethics.nodes(data="kind") if k == "element"}
    upheld = {t for e in ethics_elements for t in spine.successors(e) if spine.edges[e, t]["relation"] == "upholds"}
    assert {n for n, k in ethics.nodes(data="kind") if k == "right"} == upheld
    privacy = focus(spine, "rsf:RightToPrivacy")
    assert kinds(privacy)["principle"] == 1  # only P1 rests on it
    assert {n for n, k in privacy.nodes(data="kind") if k == "obligation"} == impact(spine, "rsf:RightToPrivacy").obligation_iris


# --- exports -----------------------------------------------------------------


def test_graphml_and_gexf_round_trip(with_findings):
    for data, reader in ((to_graphml(with_findings), nx.read_graphml), (to_gexf(with_findings), nx.read_gexf)):
        back = reader(io.BytesIO(data))
        assert isinstance(back, nx.DiGraph)
        assert set(back.nodes) == set(with_findings.nodes)
        assert set(back.edges) == set(with_findings.edges)
        for node, attrs in with_findings.nodes(data=True):
            for key in ("kind", "label", "notation", "iri"):
                assert back.nodes[node].get(key, "") == attrs[key], (node, key)
        ce1_p4 = back.edges["https://w3id.org/rsf/CE1", "https://w3id.org/rsf/P4"]
        assert ce1_p4["relation"] == "serves" and ce1_p4["basis"] == "rsf:ProjectInterpretation"
    assert b"lastmodifieddate" not in to_gexf(with_findings)


def test_dot_keeps_iris_whole(spine):
    dot = export(focus(spine, "CE5"), "dot").decode("utf-8")
    assert dot.startswith("//") and "digraph rsf {" in dot and dot.rstrip().endswith("}")
    assert '"https://w3id.org/rsf/O-CE5-03" -> "https://w3id.org/rsf/CE5"' in dot
    assert 'label="P1 Respect Individuals,\\nFamilies and Communities"' in dot


_DETERMINISM = """
import hashlib, sys
from responsible_sharing.graph import FORMATS, build_graph, export, focus
graph = build_graph(shapes=True, policies=[sys.argv[1]])
for fmt in FORMATS:
    print(fmt, hashlib.sha256(export(graph, fmt)).hexdigest())
print("focus svg", hashlib.sha256(export(focus(graph, "CE5"), "svg")).hexdigest())
"""


def test_every_format_is_byte_identical_across_hash_seeds():
    runs = [
        subprocess.Popen([sys.executable, "-c", _DETERMINISM, str(CHARTER)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONHASHSEED=seed))
        for seed in ("0", "4242")
    ]
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) == len(FORMATS) + 1


def test_picture_of_the_whole_graph_is_a_sensible_png(spine):
    data = draw(spine, "png")
    width, height = png_size(data)
    assert 1200 <= width <= 6000 and 1200 <= height <= 6000, (width, height)
    focused = draw(focus(spine, "CE5"), "png")
    assert png_size(focused)[1] < height
    svg = draw(focus(spine, "CE5"), "svg")
    assert svg.startswith(b"<?xml") and b"<dc:date>" not in svg and b"O-CE5-03" in svg


def test_pictures_without_matplotlib_say_what_to_install(spine, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(DrawingUnavailableError, match=r"responsible-sharing\[graph\]") as caught:
        draw(spine, "png")
    assert caught.value.exit_code == 2
    assert export(spine, "graphml").startswith(b"<?xml")  # the other formats need nothing more


# --- the commands ------------------------------------------------------------


def _group() -> click.Group:
    @click.group()
    def rsf() -> None:
        """rsf"""

    register(rsf)
    return rsf


def invoke(*args: str):
    """Run a command as `rsf` does: an RsfError is exit 2 with a message."""
    result = CliRunner().invoke(_group(), list(args), standalone_mode=False)
    if isinstance(result.exception, RsfError):
        return result.exception.exit_code, result.stdout_bytes, str(result.exception)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout_bytes, ""


def test_impact_command_text_and_json():
    code, out, _ = invoke("impact", "rsf:RightToPrivacy")
    text = out.decode("utf-8")
    assert code == 0
    assert text.startswith("Resting on HR-PRIVACY right to privacy")
    assert "O-CE5-03   MUST   forbid re-identification" in text
    assert "checked by: rsfsh:O-CE5-03" in text and "borne by:" in text
    code, out, _ = invoke("impact", "CE5", "--report", str(CHARTER), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["policies_checked"] == 1
    assert [f["obligation"] for f in data["findings"]] == [str(RSF["O-CE5-05"])]
    code, out, _ = invoke("impact", "CE5", "--report", str(CHARTER))
    assert "Findings in the 1 given policy (1):" in out.decode("utf-8")


def test_graph_command_writes_each_format(tmp_path):
    code, out, _ = invoke("graph", "--focus", "CE5", "--depth", "1")
    assert code == 0 and out.startswith(b"<?xml") and b"graphml" in out
    for fmt in FORMATS:
        target = tmp_path / f"g.{fmt}"
        code, _, message = invoke("graph", "--focus", "CE5", "--format", fmt, "-o", str(target))
        assert code == 0, message
        assert target.stat().st_size > 200
    assert (tmp_path / "g.png").read_bytes()[:8] == PNG_MAGIC
    code, _, _ = invoke("graph", "--with-shapes", "-o", str(tmp_path / "shapes.gexf"))  # format from the suffix
    assert code == 0 and b"<gexf" in (tmp_path / "shapes.gexf").read_bytes()


def test_png_is_not_written_to_a_terminal(monkeypatch):
    monkeypatch.setattr("responsible_sharing.cli_graph.stdout_is_terminal", lambda: True)
    code, _, message = invoke("graph", "--format", "png")
    assert code == 2 and "-o FILE" in message


def test_bad_input_is_exit_2():
    for args in (("impact", "no-such-term"), ("graph", "--focus", "CE99"), ("graph", "--depth", "2")):
        code, _, message = invoke(*args)
        assert code == 2, args
        assert message
    code, _, message = invoke("impact", "Nope")
    assert "no term of the traceability graph" in message


def test_wired_into_rsf_exits_2_for_an_unknown_term():
    from responsible_sharing.cli import cli

    if "graph" not in cli.commands:
        pytest.skip("rsf impact/graph are not wired into cli.py yet")
    from rsfrun import run_rsf

    done = run_rsf("impact", "no-such-term")
    assert done.returncode == 2 and "no term" in done.stderr
