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
