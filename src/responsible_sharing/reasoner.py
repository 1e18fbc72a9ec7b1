"""HermiT, run through owlready2, on the merged ontology.

owlready2 cannot read Turtle, so the merged graph is handed over as
N-Triples in a temporary folder; no ``owl:imports`` remain in it, so owlready2
has nothing to fetch.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .errors import ReasonerUnavailableError

_OWL_NOTHING = "http://www.w3.org/2002/07/owl#Nothing"


@dataclass
class ReasonerResult:
    consistent: bool
    #: IRIs of classes that can have no member
    unsatisfiable: list[str] = field(default_factory=list)
    #: what HermiT said when it found the ontology inconsistent
    explanation: str = ""


def run_hermit(graph: Graph) -> ReasonerResult:
    """Classify ``graph`` with HermiT; report consistency and unsatisfiable classes."""
    if shutil.which("java") is None:
        raise ReasonerUnavailableError(
            "HermiT needs a Java runtime and `java` is not on PATH: install one "
            "(for example Debian's default-jre-headless) or skip the reasoner with --no-reasoner"
        )
    import owlready2  # imported here: it is slow to import and only this check needs it

    with tempfile.TemporaryDirectory(prefix="rsf-hermit-") as tmp:
        path = Path(tmp) / "merged.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            onto = world.get_ontology(path.as_uri()).load(format="ntriples")
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            unsatisfiable = sorted(
                cls.iri
                for cls in world.inconsistent_classes()
                if getattr(cls, "iri", None) and cls.iri != _OWL_NOTHING
            )
        except owlready2.OwlReadyInconsistentOntologyError as err:
            return ReasonerResult(consistent=False, explanation=str(err).strip())
        except owlready2.OwlReadyJavaError as err:
            raise ReasonerUnavailableError(f"HermiT failed to run: {str(err).strip()[:2000]}") from None
        finally:
            world.close()
        return ReasonerResult(consistent=True, unsatisfiable=unsatisfiable)
