"""The ``rsf`` command: a thin layer over the library API.

Exit codes, as pySHACL and ROBOT users expect: 0 clean, 1 findings, 2 bad
usage or unreadable input (a message, never a traceback).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import RsfError
from .explain import explain as explain_term
from .explain import render_text as render_explanation
from .ontology import export_ontology, load_ontology
from .output import write_atomic
from .qa import check_ontology
from .qa import render_text as render_qa
from .serialize import FORMATS as EXPORT_FORMATS

ontology_option = click.option(
    "--ontology",
    "ontology_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Ontology folder to use (it must hold rsf.ttl and catalog-v001.xml). "
    "Default: the ontology shipped with rsf. Point it at your checkout's ontology/ while you edit.",
)


def _emit(data: bytes | str, output: Path | None) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        write_atomic(output, payload)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="rsf")
def cli() -> None:
    """Check data-sharing policies against the GA4GH Framework for Responsible
    Sharing of Genomic and Health-Related Data, and trace every requirement to
    the human right behind it.

    \b
    Exit codes: 0 clean, 1 findings, 2 bad usage or unreadable input.
    Nothing is fetched from the network.
    """


@cli.group()
def ontology() -> None:
    """Check or export the ontology (rights, principles, core elements, obligations)."""


@ontology.command("check")
@ontology_option
@click.option("--no-reasoner", is_flag=True, help="Skip HermiT (which needs Java); run the SHACL and SPARQL checks only.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Report format.")
def ontology_check(ontology_dir: Path | None, no_reasoner: bool, fmt: str) -> None:
    """Check the ontology: consistency and satisfiability (HermiT), the quality
    rules of shapes/ontology-qa.ttl (SHACL) and the QA queries queries/qa-*.rq
    (SPARQL).

    Exit 0 when clean, 1 when any rule finds an error or warning, 2 when a
    module cannot be read (the file and line are named).
    """
    report = check_ontology(ontology_dir, reasoner=not no_reasoner)
    if fmt == "json":
        payload = {
            "ontology": str(report.ontology.directory),
            "modules": [p.name for p in report.ontology.files],
            "triples": len(report.ontology.graph),
            "reasoner": dataclasses.asdict(report.reasoner) if report.reasoner else None,
            "clean": report.clean,
            "findings": [dataclasses.asdict(f) for f in report.findings],
        }
        _emit(json.dumps(payload, indent=2, sort_keys=True) + "\n", None)
    else:
        _emit(render_qa(report), None)
    sys.exit(0 if report.clean else 1)


@ontology.command("export")
@ontology_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(EXPORT_FORMATS)),
    default="ttl",
    show_default=True,
    help="ttl (Turtle), xml (RDF/XML), jsonld (JSON-LD) or nt (N-Triples).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here (atomically) instead of standard output.")
def ontology_export(ontology_dir: Path | None, fmt: str, output: Path | None) -> None:
    """Write the merged ontology (all modules, no owl:imports) as one file.

    The same ontology always gives the same bytes, so exports can be diffed
    and committed.
    """
    _emit(export_ontology(fmt, ontology_dir), output)


@cli.command()
@click.argument("term")
@ontology_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
def explain(term: str, ontology_dir: Path | None, fmt: str) -> None:
    """Explain TERM: a notation (P1, CE1, O-CE5-03, R05), a label
    ("Transparency") or an IRI.

    Shows its definition and source, the chain up to the human rights with the
    basis of every link (stated by the Framework, or this project's
    interpretation), and the obligations below it with who bears them.
    """
    explanation = explain_term(load_ontology(ontology_dir).graph, term)
    if fmt == "json":
        _emit(json.dumps(dataclasses.asdict(explanation), indent=2, sort_keys=True) + "\n", None)
    else:
        _emit(render_explanation(explanation), None)


def main() -> None:
    """Entry point: run the CLI, turning user errors into exit code 2."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except RsfError as err:
        click.echo(f"rsf: error: {err}", err=True)
        sys.exit(err.exit_code)
    except BrokenPipeError:
        sys.exit(0)
