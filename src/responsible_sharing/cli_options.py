"""Command-line options and option types that more than one rsf command module uses."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rdflib import URIRef

from .endpoint import DEFAULT_MAX_ANSWER_MB, DEFAULT_TIMEOUT, MAX_TIMEOUT, check_endpoint_url
from .errors import UnknownTermError, UsageError
from .policy_input import DEFAULT_MAX_MB
from .terms import resolve_term
from .validate import engine

ontology_option = click.option(
    "--ontology",
    "ontology_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Ontology folder to use (it must hold rsf.ttl and catalog-v001.xml). "
    "Default: the ontology shipped with rsf. Point it at your checkout's ontology/ while you edit.",
)


class TermOf(click.ParamType):
    """A member of one class of the shipped ontology (an actor role, an access model), named in any way
    :mod:`~responsible_sharing.terms` accepts, converted to its IRI.

    Resolving while the options are parsed makes a mistake a usage error that names the option.
    """

    name = "term"

    def __init__(self, cls: URIRef) -> None:
        self.cls = cls

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return resolve_term(engine().ontology, str(value), (self.cls,)).iri
        except UnknownTermError as err:
            self.fail(str(err), param, ctx)


class _EndpointUrl(click.ParamType):
    """An http(s) URL rsf may send requests to (see :func:`~responsible_sharing.endpoint.check_endpoint_url`)."""

    name = "url"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return check_endpoint_url(str(value))
        except UsageError as err:
            self.fail(str(err), param, ctx)


class _Positive(click.ParamType):
    """A finite number above 0 and at most ``maximum`` (click's FloatRange lets nan and inf through)."""

    def __init__(self, unit: str, maximum: float = math.inf) -> None:
        self.name = unit
        self.maximum = maximum

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = math.nan
        if not (math.isfinite(number) and 0 < number <= self.maximum):
            most = f" and at most {self.maximum:g}" if math.isfinite(self.maximum) else ""
            self.fail(f"{value!r} is not a finite number of {self.name} above 0{most}", param, ctx)
        return number


ENDPOINT_URL = _EndpointUrl()
#: what every --endpoint help says about credentials
CREDENTIALS_HELP = ("Credentials, never given on the command line: RSF_ENDPOINT_TOKEN (bearer token) or "
                    "RSF_ENDPOINT_USER and RSF_ENDPOINT_PASSWORD (HTTP basic), else the ~/.netrc ($NETRC) entry for "
                    "the host; sent only to that host.")


def endpoint_option(help_text: str, *, required: bool = False):  # type: ignore[no-untyped-def]
    """``--endpoint URL``: an http(s) SPARQL query endpoint, with the word on credentials added to ``help_text``."""
    return click.option("--endpoint", required=required, type=ENDPOINT_URL, metavar="URL",
                        help=f"{help_text} {CREDENTIALS_HELP}")


def store_option(help_text: str):  # type: ignore[no-untyped-def]
    """``--store URL``: the server's Graph Store Protocol endpoint."""
    return click.option("--store", type=ENDPOINT_URL, metavar="URL", help=help_text)


def seconds_option(name: str, dest: str, default: float, help_text: str):  # type: ignore[no-untyped-def]
    """A time limit in seconds: a finite number above 0, at most a day."""
    return click.option(name, dest, type=_Positive("seconds", MAX_TIMEOUT), default=default, show_default=True,
                        metavar="SECONDS", help=help_text)


timeout_option = seconds_option("--timeout", "timeout", DEFAULT_TIMEOUT,
                                "Seconds to wait for each request to the endpoint, its whole answer included.")


def megabytes_option(name: str, dest: str, default: float, help_text: str):  # type: ignore[no-untyped-def]
    """A size limit in megabytes: a finite number above 0."""
    return click.option(name, dest, type=_Positive("megabytes"), default=default, show_default=True, metavar="MB",
                        help=help_text)


answer_size_option = megabytes_option("--max-answer-size", "max_answer_mb", DEFAULT_MAX_ANSWER_MB,
                                      "Refuse an endpoint's answer as soon as it grows past this many megabytes.")
size_option = megabytes_option("--max-size", "max_mb", DEFAULT_MAX_MB, "Refuse input files larger than this many megabytes.")
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar (it only shows on a terminal anyway).")


@contextmanager
def progress_bar(length: int, label: str, quiet: bool = False) -> Iterator[Callable[[int], None]]:
    """A progress bar on standard error when it is a terminal and there is more than one step; nothing elsewhere."""
    if quiet or length < 2 or not sys.stderr.isatty():
        yield lambda done: None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update
