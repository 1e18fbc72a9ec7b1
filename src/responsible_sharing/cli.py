"""The ``rsf`` command: a thin layer over the library API.

Exit codes, as pySHACL and ROBOT users expect: 0 clean, 1 findings, 2 bad
usage or unreadable input (a message, never a traceback); 128 + the signal's
number when a signal stops it (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 141 a
closed pipe), 70 for a bug.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__, cli_docs, cli_graph, cli_query, cli_terms
from .cli_options import (
    TermOf,
    answer_size_option,
    endpoint_option,
    ontology_option,
    quiet_option,
    size_option,
    store_option,
    timeout_option,
)
from .coverage import coverage as policy_coverage
from .coverage import render_json as render_coverage_json
from .coverage import render_table as render_coverage_table
from .endpoint import EndpointClient
from .errors import CRASH_EXIT, ReaderGone, RsfError, UsageError
from .explain import explain as explain_term
from .explain import render_text as render_explanation
from .formats import RENDERERS, write_report
from .formats.text import render as render_text_report
from .namespaces import RSF
from .ontology import export_ontology, load_ontology
from .output import STDOUT, check_output, emit, refuse_overwriting_an_input, stdout_is_terminal, write_output
from .policy_input import expand_paths
from .qa import QAData, check_ontology, qa_rules, read_level_profile
from .qa import render_text as render_qa
from .rdfio import FORMAT_BY_SUFFIX
from .serialize import FORMATS as EXPORT_FORMATS
from .store_validation import POLICY_GRAPHS, validate_store
from .trace import SOURCE_CHOICES
from .validate import BATCH_FILES, Report, engine
from .validate import validate as run_validation



def _emit(data: bytes | str, output: Path | None) -> None:
    emit(data.encode("utf-8") if isinstance(data, str) else data, output)


def _output_path(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """``-o -`` is standard output (None); ``-o ''`` is refused rather than read as the current folder.

    click has already refused an existing folder, ``.`` included, so ``.`` here can only come from ``''``.
    """
    if value is not None and str(value) == ".":
        raise click.BadParameter("the file name is empty; give a file name, or - for standard output", ctx, param)
    return None if value is not None and str(value) == STDOUT else value


def output_option(what: str):  # type: ignore[no-untyped-def]
    """``-o FILE``, written atomically; ``-o -`` is standard output."""
    return click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
                        callback=_output_path,
                        help=f"Write {what} to this file (atomically: a stopped run leaves no partial file) "
                        "instead of standard output; - is standard output.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="rsf")
def cli() -> None:
    """Check data-sharing policies against the GA4GH Framework for Responsible
    Sharing of Genomic and Health-Related Data, and trace every requirement to
    the human right behind it.

    \b
    Exit codes: 0 clean, 1 findings, 2 bad usage or unreadable input,
    70 a bug in rsf; 128 + the signal's number when a signal stops it
    (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 141 standard output's reader
    went away), with no partial output file left behind.
    Nothing is fetched from the network unless you name a server with
    --endpoint.
    """


@cli.group()
def ontology() -> None:
    """Check or export the ontology (rights, principles, core elements, obligations)."""


@ontology.command("check")
@ontology_option
@click.option("--data-root", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="A working copy of the model (a folder holding ontology/, shapes/ and queries/, as the repository "
              "does): check its ontology with its own shapes and QA queries. Default: the shipped ones.")
@click.option("--profile", "profile_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A level profile: lines `LEVEL RULE` (error, warning, info or ignore) that change a rule's level, "
              "as ROBOT's report profiles do.")
@click.option("--list-rules", is_flag=True, help="List the names of every rule a profile can name, and exit.")
@click.option("--no-reasoner", is_flag=True, help="Skip HermiT (which needs Java); run the SHACL and SPARQL checks only.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Report format.")
def ontology_check(ontology_dir: Path | None, data_root: Path | None, profile_file: Path | None, list_rules: bool,
                   no_reasoner: bool, fmt: str) -> None:
    """Check the ontology: consistency and satisfiability (HermiT), the quality
    rules of shapes/ontology-qa.ttl (SHACL) and the QA queries queries/qa-*.rq
    (SPARQL), some of which read the policy shapes too (a checkable obligation
    no shape checks, a shape whose severity disagrees with its obligation).

    Exit 0 when clean, 1 when any rule finds an error or warning, 2 when a
    module cannot be read (the file and line are named).
    """
    if data_root is not None and ontology_dir is not None:
        raise UsageError("give --data-root (a whole working copy) or --ontology (a folder of modules), not both")
    data = QAData.of_working_copy(data_root) if data_root is not None else QAData()
    if list_rules:
        _emit("".join(f"{rule}\n" for rule in qa_rules(data)), None)
        return
    levels = read_level_profile(profile_file, qa_rules(data)) if profile_file is not None else None
    directory = data_root / "ontology" if data_root is not None else ontology_dir
    report = check_ontology(directory, reasoner=not no_reasoner, data=data, levels=levels)
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
@output_option("the ontology")
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
    """Explain TERM: a notation (P1, CE1, O-CE5-03, R05), a label in any case
    ("right to privacy"), a prefixed name (rsf:RightToPrivacy, obo:DUO_0000042,
    dpv:Consent), an IRI or a local name (RightToPrivacy). `rsf search WORDS`
    finds a term's name.

    Shows its definition and source, the chain up to the human rights with the
    basis of every link (stated by the Framework, or this project's
    interpretation), and the obligations below it with who bears them. For an
    obligation: the clauses that state it, its bearers, the shapes that check
    it with their severity, finding and fix hint, and when a policy's profile
    leaves it out. Exit 0; 2 for a name that matches no term (the nearest are
    suggested) or several.
    """
    ontology = load_ontology(ontology_dir).graph if ontology_dir else engine().ontology
    explanation = explain_term(ontology, term, shapes=engine().shapes)
    if fmt == "json":
        _emit(json.dumps(dataclasses.asdict(explanation), indent=2, sort_keys=True) + "\n", None)
    else:
        _emit(render_explanation(explanation), None)


policy_arguments = click.argument("policies", nargs=-1, required=True, metavar="POLICY...")
role_option = click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="ROLE",
    type=TermOf(RSF.ActorRole),
    help="Check as if the issuer played ROLE (repeatable): an actor role's notation (R05), label in any case "
    "('data custodian'), prefixed name (rsf:DataCustodian) or IRI. Default: the policy's own rsf:issuerRole.",
)
access_option = click.option(
    "--access-model",
    metavar="MODEL",
    type=TermOf(RSF.AccessModel),
    help="Check as if data were shared under MODEL: open, registered, controlled or secure-environment (or the "
    "access model's label, prefixed name or IRI). Default: the policy's own rsf:accessModel.",
)
jobs_option = click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="the number of CPU cores",
    help="Worker processes for many files (used when there is more than one batch of files).",
)
batch_option = click.option(
    "--batch-files",
    type=click.IntRange(min=1),
    default=BATCH_FILES,
    show_default=True,
    help="Files validated together in one batch; memory is bounded by a batch. A policy must be written within one batch.",
)
shacl_engine_option = click.option(
    "--engine",
    "shacl_engine",
    type=click.Choice(["pyshacl", "pyrudof"]),
    default="pyshacl",
    show_default=True,
    help="SHACL engine. pyrudof (pip install 'responsible-sharing[fast]') is several times faster and gives "
    "byte-identical reports on our shapes; pySHACL is the reference.",
)
per_graph_option = click.option(
    "--per-graph",
    is_flag=True,
    help="Read N-Quads and TriG files as a stream of named graphs, --batch-files graphs per batch, so a file of "
    "any size is checked in bounded memory (the --max-size limit does not apply to them). Each named graph must "
    "hold whole policies, with its statements written together, as a store dump writes them.",
)
sources_option = click.option(
    "--sources",
    "source_layer",
    type=click.Choice(list(SOURCE_CHOICES)),
    default="all",
    show_default=True,
    help="Which texts the obligations come from. all: the Framework and the GA4GH policies that elaborate it "
    "(Consent, Data Privacy and Security, Accountability, Data Access Committee Review Standards, Ethics Review "
    "Recognition); framework: only what the Framework's own text asks. Each obligation left out says so in the profile.",
)
stdin_option = click.option(
    "--stdin-format",
    type=click.Choice(sorted(set(FORMAT_BY_SUFFIX.values()))),
    default="turtle",
    show_default=True,
    help="RDF syntax of standard input (POLICY '-'). Files are read by their extension.",
)


def validation_options(command):  # type: ignore[no-untyped-def]
    """The options validate and coverage share: profile, input limits, batches, workers, engine."""
    for option in reversed((role_option, access_option, sources_option, size_option, stdin_option, jobs_option,
                            batch_option, per_graph_option, shacl_engine_option, quiet_option)):
        command = option(command)
    return command


def _run_with_progress(arguments: list[str], quiet: bool, output: Path | None, **options: object) -> Report:
    """Validate, with a progress bar on a terminal when there is more than one batch of files.

    The output is checked first: a run of hours is not lost to a wrong ``-o``.
    """
    check_output(output)
    files = expand_paths(arguments)
    refuse_overwriting_an_input(output, files)
    # a streamed file's number of graphs is not known in advance: no bar then
    if quiet or not sys.stderr.isatty() or len(files) <= int(options["batch_files"]) or options["per_graph"]:  # type: ignore[call-overload]
        return run_validation(arguments, **options)  # type: ignore[arg-type]
    with click.progressbar(length=len(files), label="validating", file=sys.stderr) as bar:
        return run_validation(arguments, progress=bar.update, **options)  # type: ignore[arg-type]


@cli.command()
@click.argument("policies", nargs=-1, metavar="[POLICY...]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(RENDERERS)),
    default="text",
    show_default=True,
    help="text: grouped by core element; json: docs/report-schema.json; turtle/jsonld: the SHACL "
    "validation report with the trace of each result; sarif: SARIF 2.1.0 for code scanning; html: a "
    "self-contained page.",
)
@output_option("the report")
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info", "none"]),
    default="violation",
    show_default=True,
    help="Exit 1 when any finding is at this severity or above.",
)
@validation_options
@click.option("--color/--no-color", default=None, help="Colour the text report. Default: only on a terminal.")
@endpoint_option("Validate the policies in a SPARQL 1.1 store instead of files: every named graph under "
                 "--graph-prefix that holds a policy, batch by batch; each report is written back beside it. "
                 "Findings name the file and line `rsf load` recorded, or else the graph.")
@store_option("The store's Graph Store Protocol URL. Default: --endpoint with /query replaced by /store.")
@timeout_option
@answer_size_option
@click.option("--graph-prefix", default=POLICY_GRAPHS, show_default=True, help="Which named graphs hold policies.")
@click.option("--no-write-reports", is_flag=True, help="With --endpoint: do not write the reports back to the store.")
def validate(
    policies: tuple[str, ...],
    fmt: str,
    output: Path | None,
    fail_on: str,
    roles: tuple[str, ...],
    access_model: str | None,
    source_layer: str,
    max_mb: float,
    stdin_format: str,
    jobs: int,
    batch_files: int,
    per_graph: bool,
    shacl_engine: str,
    quiet: bool,
    color: bool | None,
    endpoint: str | None,
    store: str | None,
    timeout: float,
    max_answer_mb: float,
    graph_prefix: str,
    no_write_reports: bool,
) -> None:
    """Validate data-sharing policies against the Framework's obligations.

    POLICY is a file, a folder (searched for RDF files) or - for standard
    input; Turtle, TriG, N-Triples, N-Quads, RDF/XML and JSON-LD are read.
    Every finding names the obligation, core element, principle and human
    right (with instrument and article) behind it, who bears it and how to fix
    it. Which obligations apply follows from the policy's issuer role, access
    model and delegations; the report shows that profile.

    \b
    Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 bad usage
    or unreadable input. Nothing is fetched from the network unless you name
    a store with --endpoint.
    """
    if endpoint:
        if policies:
            raise UsageError("give POLICY files or --endpoint, not both")
        report = validate_store(endpoint, store=store, prefix=graph_prefix, write_reports=not no_write_reports,
                                batch_graphs=batch_files, jobs=jobs, shacl_engine=shacl_engine, roles=list(roles),
                                access_model=access_model, source_layer=source_layer,
                                client=EndpointClient(timeout, max_answer_mb))
    elif not policies:
        raise UsageError("give at least one POLICY (a file, a folder or - for standard input), or --endpoint URL")
    else:
        report = _run_with_progress(list(policies), quiet, output, roles=list(roles), access_model=access_model,
                                    max_mb=max_mb, stdin_format=stdin_format, jobs=jobs, batch_files=batch_files,
                                    per_graph=per_graph, shacl_engine=shacl_engine, source_layer=source_layer)
    if fmt == "text":
        use_colour = color if color is not None else (output is None and stdout_is_terminal())
        _emit(render_text_report(report, color=use_colour), output)
    else:
        write_output(output, lambda handle: write_report(fmt, report, handle))
    for warning in report.warnings:
        if fmt != "text" or output is not None:
            click.echo(f"warning: {warning}", err=True)
    sys.exit(1 if report.fails(fail_on) else 0)


@cli.command()
@policy_arguments
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format.")
@output_option("the coverage table")
@validation_options
def coverage(
    policies: tuple[str, ...],
    fmt: str,
    output: Path | None,
    roles: tuple[str, ...],
    access_model: str | None,
    source_layer: str,
    max_mb: float,
    stdin_format: str,
    jobs: int,
    batch_files: int,
    per_graph: bool,
    shacl_engine: str,
    quiet: bool,
) -> None:
    """Show which core elements, principles and rights each policy addresses,
    which it does not, and which obligations are still open.

    A term is addressed when every obligation resting on it that applies to
    the policy's profile is met, partly when some are, not asked when none
    applies. Exit 0 (a coverage table is not a verdict); 2 for unreadable input.
    """
    report = _run_with_progress(list(policies), quiet, output, roles=list(roles), access_model=access_model, max_mb=max_mb,
                                stdin_format=stdin_format, jobs=jobs, batch_files=batch_files, per_graph=per_graph,
                                shacl_engine=shacl_engine, source_layer=source_layer)
    items = policy_coverage(report)
    _emit(render_coverage_json(items) if fmt == "json" else render_coverage_table(items), output)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)


cli_query.register(cli)
cli_graph.register(cli)
cli_docs.register(cli)
cli_terms.register(cli)


#: signals that stop rsf (Ctrl-C, kill, a closed terminal), each with the handler Python gives it unless the
#: caller chose otherwise (``nohup`` and a shell's ``&`` ignore some): outputs and workers are cleaned up,
#: then exit 128 + the signal's number
STOP_SIGNALS = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL, signal.SIGHUP: signal.SIG_DFL}
#: delay before a stop signal whose exception Python had to ignore is sent again
_RESEND_SECONDS = 0.05


class _Stopped(KeyboardInterrupt):
    """A stop signal, raised as Ctrl-C's KeyboardInterrupt is, so that the same clean-up runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _StopOnSignals:
    """Raise :class:`_Stopped` in the main thread on a stop signal, once.

    Python runs a signal's handler wherever the main thread is; where it
    ignores exceptions (a hook run at fork as a worker starts, a finaliser)
    the stop would be lost. Such a lost stop is sent again a moment later,
    from another thread, once the main thread has left that place. Later
    signals do not interrupt the clean-up of the stop already raised.
    """

    def __init__(self) -> None:
        self.raised = False
        self.resends: list[threading.Timer] = []

    def handle(self, signum: int, frame: object) -> None:
        if not self.raised:
            self.raised = True
            raise _Stopped(signum)

    def resend_if_lost(self, unraisable: sys.UnraisableHookArgs, hook: Callable[[sys.UnraisableHookArgs], object]) -> None:
        if isinstance(unraisable.exc_value, _Stopped):
            self.raised = False
            resend = threading.Timer(_RESEND_SECONDS, os.kill, (os.getpid(), unraisable.exc_value.signum))
            self.resends.append(resend)
            resend.start()
        else:
            hook(unraisable)

    def cancel_resends(self) -> None:
        """The run is over, stopped or not: a signal sent again now would find no handler."""
        for resend in self.resends:
            resend.cancel()


@contextmanager
def _signals_stop_the_run() -> Iterator[None]:
    """Turn Ctrl-C, SIGTERM and SIGHUP into :class:`_Stopped` while the run lasts (see :class:`_StopOnSignals`).

    An output being written then removes its temporary file and worker
    processes are stopped. A signal the caller ignores stays ignored
    (``nohup`` ignores SIGHUP, a shell's ``&`` Ctrl-C). Handlers can only be
    set in the main thread; run from another thread, rsf leaves signals alone.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stop = _StopOnSignals()
    replaced = {signum: signal.signal(signum, stop.handle)
                for signum, unchanged in STOP_SIGNALS.items() if signal.getsignal(signum) == unchanged}
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: stop.resend_if_lost(unraisable, hook)
    try:
        yield
    finally:
        stop.cancel_resends()
        sys.unraisablehook = hook
        for signum, handler in replaced.items():
            signal.signal(signum, handler)


def _stopped(err: BaseException) -> int:
    """Say why the run stopped and give 128 + the signal's number (click wraps an interrupt in Abort)."""
    cause = err if isinstance(err, _Stopped) else err.__cause__
    signum = cause.signum if isinstance(cause, _Stopped) else signal.SIGINT
    click.echo("Aborted." if signum == signal.SIGINT else f"rsf: stopped by {signal.Signals(signum).name}.", err=True)
    return 128 + signum


def run(argv: list[str] | None = None) -> int:
    """Run the CLI on ``argv`` and return the exit code: user errors become 2, never a traceback.

    0 clean, 1 findings, 2 bad usage or unreadable input; 128 + the signal's
    number when a signal stops the run (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP)
    and 141 when standard output's reader went away, as for Unix tools;
    :data:`CRASH_EXIT` for a bug in rsf (so that a crash is never read as findings).
    """
    try:
        with _signals_stop_the_run():
            cli.main(argv, prog_name="rsf", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt) as err:
        return _stopped(err)
    except ReaderGone as err:  # silent, as a tool that SIGPIPE stops
        return err.exit_code
    except RsfError as err:
        click.echo(f"rsf: error: {err}", err=True)
        return err.exit_code
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0
    except Exception:  # a bug: keep the traceback for the report, with an exit code of its own
        traceback.print_exc()
        click.echo(f"rsf: internal error (a bug in rsf, not a finding). Please report it with the command "
                   f"you ran and the lines above. Exit code {CRASH_EXIT}.", err=True)
        return CRASH_EXIT
    return 0


def main() -> None:
    """Entry point of the ``rsf`` command."""
    sys.exit(run())
