"""Running a SPARQL query on local data within bounds of time and memory.

A query is as much untrusted input as a policy: a cross product with
``ORDER BY`` holds gigabytes within a minute, thousands of ``OPTIONAL``
groups make pyparsing take minutes and crash pyoxigraph with a segmentation
fault. Neither rdflib (pure Python) nor pyoxigraph (native code) can be
stopped from another thread, so the query runs in a child process forked
from rsf: it sees the loaded data without a copy, its address space may grow
by at most :attr:`QueryLimits.memory_mb` (``RLIMIT_AS``), and it is killed
after :attr:`QueryLimits.seconds`. Whatever becomes of the child, the answer
is either the rendered result or one :class:`~responsible_sharing.errors.RsfError`
naming the bound that was hit and the option that raises it.

An error an engine raises for a query (pyoxigraph rejects what rdflib's
parser let through, rdflib fails while evaluating) is reported as the
engine's refusal, exit code 2; only an error raised in rsf's own code is
treated as a bug.
"""

from __future__ import annotations

import faulthandler
import math
import multiprocessing
import os
import re
import resource
import signal
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import BinaryIO

from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from .errors import RsfError
from .policy_input import quiet_literal_warnings
from .queries import StoredQuery
from .query_output import render
from .sparql import Engine, QueryError, QueryResult, _mentions, check_query

DEFAULT_SECONDS = 60.0
DEFAULT_MEMORY_MB = 2048.0

_PACKAGE = str(Path(__file__).resolve().parent)
#: the largest limit setrlimit takes (a C long)
_MAX_LIMIT = 2**63 - 1
#: a message the child prepares before it could run out of memory
_OUT_OF_MEMORY = ("memory", None)
#: a cheap test that a query may name graphs; the parser decides
_MAY_NAME_GRAPHS = re.compile(r"\b(GRAPH|FROM)\b", re.IGNORECASE)
_COMMENT_LINE = re.compile(r"^\s*#.*$", re.MULTILINE)


class QueryLimitError(RsfError):
    """A query on local data that ran past its time or memory bound, or crashed the engine."""


@dataclass(frozen=True)
class QueryLimits:
    """How long a query on local data may run, and how much memory it may take beyond the loaded data."""

    seconds: float = DEFAULT_SECONDS
    memory_mb: float = DEFAULT_MEMORY_MB


def answer_locally(engine: Engine, query: StoredQuery, bindings: dict[str, Node], *, fmt: str | None,
                   allow_service: bool, limits: QueryLimits) -> bytes:
    """``query``'s answer on ``engine``, rendered in ``fmt`` (by default a table, Turtle for a graph).

    Checking, running and rendering all happen within ``limits``: the
    check is a parse, and parsing a hostile query is as costly as running it.
    """
    def work() -> bytes:
        form = check_query(query.text, allow_service=allow_service, source=query.name)
        refuse_graph_names(query)
        with quiet_literal_warnings():  # an ill-typed literal in the data is not the query's problem
            result = ask(engine, query, bindings)
            return render(result, fmt or ("turtle" if form in ("CONSTRUCT", "DESCRIBE") else "table"))

    return run_bounded(work, limits, query.name)


def refuse_graph_names(query: StoredQuery) -> None:
    """Refuse ``GRAPH``, ``FROM`` and ``FROM NAMED``: local data is one default graph.

    The named graphs of the ``--data`` files are merged, so there is nothing
    for them to select; and the engines disagree on them (rdflib fails on
    ``GRAPH`` and ignores ``FROM``, pyoxigraph answers with nothing).
    """
    if not _MAY_NAME_GRAPHS.search(_COMMENT_LINE.sub("", query.text)):
        return
    parsed = parseQuery(query.text)
    if _mentions(parsed, "GraphGraphPattern") or _mentions(parsed, "DatasetClause"):
        raise QueryError(
            f"{query.name}: the query selects named graphs (GRAPH, FROM or FROM NAMED), but local data is one "
            "default graph (the named graphs of --data files are merged into it); drop them, or load the files "
            "into a store with `rsf load` and ask it with --endpoint URL")


def ask(engine: Engine, query: StoredQuery, bindings: dict[str, Node]) -> QueryResult:
    """Run ``query`` on ``engine``; an error the engine raises for the query becomes a :class:`QueryError`."""
    try:
        return engine.query(query.text, bindings)
    except (RsfError, MemoryError):
        raise
    except RecursionError:
        raise QueryError(f"{query.name}: the query is nested too deeply for the {engine.name} engine; "
                         "simplify it, or try the other engine (--engine)") from None
    except Exception as err:
        if not _raised_by_engine(err):
            raise
        other = "rdflib" if engine.name == "oxigraph" else "oxigraph"
        reason = " ".join(str(err).split()) or type(err).__name__
        raise QueryError(f"{query.name}: the {engine.name} engine cannot run the query: {reason[:500]}; "
                         f"correct the query, or try --engine {other}") from None


def _raised_by_engine(err: Exception) -> bool:
    """Whether ``err`` comes from the engine (rdflib's or another library's code, pyoxigraph's native code)."""
    if isinstance(err, (SyntaxError, RuntimeError, OSError)):
        return True  # what pyoxigraph raises for a query it rejects or cannot evaluate
    frames = traceback.extract_tb(err.__traceback__)
    return bool(frames) and not frames[-1].filename.startswith(_PACKAGE)


def run_bounded(work: Callable[[], bytes], limits: QueryLimits, name: str) -> bytes:
    """``work()`` run in a forked child within ``limits``; its :class:`RsfError` is raised here.

    Where processes cannot be forked (Windows) it runs here, without bounds.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return work()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    with tempfile.TemporaryFile() as log:  # the child's standard error: a crash report is read, never shown
        child = context.Process(target=_child, args=(work, limits, sender, log.fileno()), daemon=True)
        child.start()
        sender.close()
        try:
            return _receive(receiver, child, limits, name, log)
        finally:
            if child.is_alive():
                child.kill()
            child.join()
            receiver.close()


def _child(work: Callable[[], bytes], limits: QueryLimits, sender: Connection, log: int) -> None:
    os.dup2(log, 2)
    faulthandler.disable()  # a crash is reported by rsf in one line, not by a dump of the child's stack
    _limit_self(limits)
    try:
        message: tuple[str, object] = ("ok", work())
    except RsfError as err:
        message = ("error", err)
    except MemoryError:
        message = _OUT_OF_MEMORY
    except Exception:
        message = ("bug", traceback.format_exc())
    if message[0] == "ok":
        sender.send(("ok", None))
        sender.send_bytes(message[1])  # type: ignore[arg-type]
    else:
        sender.send(message)
    sender.close()


def _limit_self(limits: QueryLimits) -> None:
    """Bound this process: its address space may grow by ``memory_mb``; CPU time stops it if rsf is gone."""
    _lower(resource.RLIMIT_CPU, math.ceil(limits.seconds) + 1)  # the parent's clock is the bound; this one outlives a killed parent
    size = _address_space()
    if size is not None:
        _lower(resource.RLIMIT_AS, size + int(limits.memory_mb * 1024 * 1024))


def _lower(kind: int, value: int) -> None:
    """Set the limit ``kind`` to ``value``: never above the limit already set, nor past what the system can hold."""
    _, hard = resource.getrlimit(kind)
    value = min(value, _MAX_LIMIT if hard == resource.RLIM_INFINITY else hard)
    resource.setrlimit(kind, (value, value))


def _address_space() -> int | None:
    """This process's virtual memory in bytes, where the system says (Linux)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _receive(receiver: Connection, child: multiprocessing.process.BaseProcess, limits: QueryLimits,
             name: str, log: BinaryIO) -> bytes:
    if not receiver.poll(limits.seconds):
        raise _too_long(name, limits)
    try:
        status, value = receiver.recv()
        if status == "ok":
            return receiver.recv_bytes()
    except EOFError:
        child.join()
        raise _died(child.exitcode or 0, name, limits, log) from None
    if status == "error":
        raise value
    if status == "memory":
        raise _too_big(name, limits)
    raise RuntimeError(f"the process that ran {name} failed:\n{value}")


def _too_long(name: str, limits: QueryLimits) -> QueryLimitError:
    return QueryLimitError(f"{name}: the query was still running after {limits.seconds:g} s and was stopped; "
                           "raise --query-timeout SECONDS if it should run longer, or narrow the query")


def _too_big(name: str, limits: QueryLimits) -> QueryLimitError:
    return QueryLimitError(f"{name}: the query needed more than {limits.memory_mb:g} MB of memory and was "
                           "stopped; raise --max-memory MB if it should have more, or narrow the query")


def _died(code: int, name: str, limits: QueryLimits, log: BinaryIO) -> QueryLimitError:
    """Why the child ended without an answer, from its exit code and the end of what it wrote to standard error."""
    log.seek(max(0, os.fstat(log.fileno()).st_size - 4096))
    said = log.read().decode("utf-8", "replace")
    if "memory allocation of" in said or code == -signal.SIGKILL:  # pyoxigraph's abort; the kernel's OOM killer
        return _too_big(name, limits)
    if code == -signal.SIGXCPU:
        return _too_long(name, limits)
    how = f"signal {_signal_name(-code)}" if code < 0 else f"exit code {code}"
    return QueryLimitError(f"{name}: the query crashed the query engine ({how}), as very large or deeply "
                           "nested queries can; simplify the query, or try the other engine (--engine)")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_SECONDS", "QueryLimitError", "QueryLimits", "answer_locally", "ask",
           "refuse_graph_names", "run_bounded"]
