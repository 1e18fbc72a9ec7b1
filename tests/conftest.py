"""Shared fixtures: the shipped ontology, a way to run the installed `rsf`,
and copies of the ontology folder that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from responsible_sharing import load_ontology
from responsible_sharing.resources import shipped_path

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def ontology():
    return load_ontology()


@pytest.fixture(scope="session")
def graph(ontology):
    return ontology.graph


@pytest.fixture
def ontology_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped ontology folder."""
    target = tmp_path / "ontology"
    with shipped_path("ontology") as shipped:
        shutil.copytree(shipped, target)
    return target


@pytest.fixture(scope="session")
def broken_ontology(tmp_path_factory) -> Path:
    """The shipped ontology with tests/fixtures/broken-ontology/defects.ttl appended to a module."""
    target = tmp_path_factory.mktemp("broken") / "ontology"
    with shipped_path("ontology") as shipped:
        shutil.copytree(shipped, target)
    defects = (FIXTURES / "broken-ontology" / "defects.ttl").read_text(encoding="utf-8")
    with (target / "obligations.ttl").open("a", encoding="utf-8") as module:
        module.write("\n" + defects)
    return target


@pytest.fixture(scope="module")
def start_oxigraph(tmp_path_factory):
    """Start Oxigraph servers (the oxigraph package's binary) on 127.0.0.1 and free ports; all stopped afterwards.

    Each call gives the base URL of a new, empty server whose SPARQL queries
    see the union of its named graphs.
    """
    import subprocess
    import sys
    import time
    import urllib.request

    from rsfrun import free_port

    binary = str(Path(sys.executable).with_name("oxigraph"))
    processes: list[subprocess.Popen] = []

    def start() -> str:
        port = free_port()
        location = tmp_path_factory.mktemp("oxigraph")
        process = subprocess.Popen(
            [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2).read()
                return base
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    error = process.stderr.read().decode() if process.stderr else ""
                    pytest.fail(f"oxigraph server did not start: {error}")
                time.sleep(0.2)

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)
