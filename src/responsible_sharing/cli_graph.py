"""`rsf impact` and `rsf graph`: what rests on a term, and the traceability graph as a file.

Kept apart from :mod:`responsible_sharing.cli`, which adds them with
:func:`register`. User mistakes raise :class:`~responsible_sharing.errors.RsfError`
(exit 2 through ``rsf``'s entry point).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from .cli_options import ontology_option
from .errors import UsageError
from .graph import BINARY_FORMATS, FORMATS, Impact, build_graph, export, focus, impact
from .ontology import load_ontology
from .output import check_output, emit, refuse_overwriting_an_input, stdout_is_terminal
from .policy_input import expand_paths
from .validate import Report, validate

_SUFFIX_FORMAT = {".graphml": "graphml", ".gexf": "gexf", ".dot": "dot", ".gv": "dot", ".png": "png", ".svg": "svg"}




def _write(data: bytes, output: Path | None, *, binary: bool) -> None:
    if output is None and binary and stdout_is_terminal():
        raise UsageError("the output is binary: give -o FILE, or redirect standard output to a file")
    emit(data, output)


def _validated(policies: tuple[str, ...]) -> list[Report]:
    """The validation of ``policies`` (none if none given), its warnings said on standard error."""
    if not policies:
        return []
    report = validate(list(policies))
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    return [report]


def render_impact_text(result: Impact) -> str:
    t = result.term
    out = [f"Resting on {t.name}  ({t.kind})" + (f"  <{t.iri}>" if t.iri else ""), ""]
    for title, items in (("Principles", result.principles), ("Core elements", result.elements)):
        if items:
            out.append(f"{title} ({len(items)}):")
            out += [f"  {i.name}" for i in items]
            out.append("")
    out.append(f"Obligations ({len(result.obligations)}):")
    for ob in result.obligations:
        out.append(f"  {ob.obligation.notation:10} {ob.modality.upper():6} {ob.obligation.label}")
        out.append(f"  {'':10} {'':6} borne by: {', '.join(b.label for b in ob.bearers) or '(no one named)'}")
        shapes = ", ".join(s.notation for s in ob.shapes) or "no shape (not machine-checked)"
        out.append(f"  {'':10} {'':6} checked by: {shapes}")
    if not result.obligations:
        out.append("  (none)")
    out.append("")
    counts = {m: sum(1 for o in result.obligations if o.modality == m) for m in ("must", "should", "may")}
    out.append(
        f"{len(result.obligations)} obligations ({counts['must']} must, {counts['should']} should, {counts['may']} may), "
        f"{len(result.shapes)} shapes"
    )
    return "\n".join(out) + "\n"


def render_findings_text(result: Impact, policies_checked: int) -> str:
    out = [f"Findings in the {policies_checked} given polic{'y' if policies_checked == 1 else 'ies'} ({len(result.findings)}):"]
    notation = {o.obligation.iri: o.obligation.notation for o in result.obligations}
    current = None
    for f in result.findings:
        if f.policy != current:
            current = f.policy
            out.append(f"  {f.policy}  ({f.source})")
        out.append(f"    {f.severity:9} {notation.get(f.obligation, f.obligation):10} {f.message}")
    if not result.findings:
        out.append("  (none)")
    return "\n".join(out) + "\n"


def register(cli: click.Group) -> None:
    """Add ``impact`` and ``graph`` to the ``rsf`` command group."""

    @cli.command("impact")
    @click.argument("term")
    @click.option(
        "--report",
        "reports",
        multiple=True,
        metavar="POLICY",
        help="Also validate POLICY (a file, a folder or - for standard input; repeatable) and list its "
        "findings about the obligations that rest on TERM.",
    )
    @ontology_option
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                  help="Output format.")
    def impact_command(term: str, reports: tuple[str, ...], ontology_dir: Path | None, fmt: str) -> None:
        """List everything that rests on TERM: a human right, legal provision,
        principle or core element, by notation (P1, CE5), label in any case
        ("right to privacy"), prefixed name (rsf:RightToPrivacy), IRI or local
        name (RightToPrivacy); `rsf search WORDS` finds a term's name.

        Shows the principles and core elements below it, every obligation that
        derives from them with its modality and the roles that bear it, the
        policy shapes that check those obligations and, with --report, the
        findings of the given policies' validation about them. Exit 0; 2 for an
        unknown term (the nearest are suggested) or unreadable policy.
        """
        ontology = load_ontology(ontology_dir).graph if ontology_dir else None
        graph = build_graph(ontology, shapes=True, reports=_validated(reports))
        result = impact(graph, term)
        if fmt == "json":
            payload = dataclasses.asdict(result)
            payload["policies_checked"] = sum(1 for _, k in graph.nodes(data="kind") if k == "policy")
            _write((json.dumps(payload, indent=2, sort_keys=True) + "\n").encode("utf-8"), None, binary=False)
            return
        text = render_impact_text(result)
        if reports:
            checked = sum(1 for _, k in graph.nodes(data="kind") if k == "policy")
            text += "\n" + render_findings_text(result, checked)
        _write(text.encode("utf-8"), None, binary=False)

    @cli.command("graph")
    @click.option("--focus", "focus_term", metavar="TERM",
                  help="Only TERM's neighbourhood: what it rests on and what rests on it, and the roles bearing "
                  "the obligations shown. TERM is a notation, label (any case), prefixed name, IRI or local name "
                  "(CE5, 'right to privacy', rsf:RightToPrivacy).")
    @click.option("--depth", type=click.IntRange(min=0), default=None, metavar="N",
                  help="With --focus: at most N links away from TERM in each direction. Default: no limit.")
    @click.option("--with-shapes", is_flag=True, help="Add the policy shapes, each linked to the obligation it checks.")
    @click.option(
        "--policies",
        multiple=True,
        metavar="PATH",
        help="Validate PATH (a policy file or folder; repeatable) and add each policy and its findings, "
        "linked to the shape and obligation behind each finding. Implies --with-shapes.",
    )
    @ontology_option
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="graphml (yEd, Gephi, Cytoscape), gexf (Gephi), dot (Graphviz), or a layered picture: png or svg "
        "(pictures need the extra: pip install 'responsible-sharing[graph]'). Default: from the -o file's "
        "extension, else graphml.",
    )
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write here (atomically) instead of standard output. PNG needs it unless output is redirected.")
    def graph_command(
        focus_term: str | None,
        depth: int | None,
        with_shapes: bool,
        policies: tuple[str, ...],
        ontology_dir: Path | None,
        fmt: str | None,
        output: Path | None,
    ) -> None:
        """Export the traceability graph: legal provisions, human rights,
        principles, core elements, obligations and actor roles (and, when asked,
        shapes, policies and findings), each edge pointing from a term to what it
        rests on, labelled with the relation and the link's basis (stated by the
        Framework, or this project's interpretation).

        \b
        Examples:
          rsf graph -o rsf.graphml
          rsf graph --format png -o rsf.png
          rsf graph --focus CE5 --format svg -o ce5.svg
          rsf graph --focus rsf:RightToPrivacy --policies examples/ -o privacy.gexf

        The same input always gives the same bytes. Exit 0; 2 for an unknown
        term, unreadable policy or a missing drawing library.
        """
        if depth is not None and focus_term is None:
            raise UsageError("--depth needs --focus TERM")
        if fmt is None:
            fmt = _SUFFIX_FORMAT.get(output.suffix.lower(), "graphml") if output is not None else "graphml"
        if fmt in BINARY_FORMATS and output is None and stdout_is_terminal():
            raise UsageError(f"a {fmt.upper()} picture is binary: give -o FILE, or redirect standard output to a file")
        check_output(output)
        refuse_overwriting_an_input(output, expand_paths(list(policies)))
        ontology = load_ontology(ontology_dir).graph if ontology_dir else None
        graph = build_graph(ontology, shapes=with_shapes, reports=_validated(policies))
        if focus_term is not None:
            graph = focus(graph, focus_term, depth)
        data = export(graph, fmt)
        _write(data, output, binary=fmt == "png")


__all__ = ["register", "render_impact_text", "render_findings_text"]
