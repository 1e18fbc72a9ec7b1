"""responsible-sharing: the GA4GH Framework for Responsible Sharing of Genomic
and Health-Related Data as an OWL ontology, SHACL shapes and SPARQL queries.

The library API that the ``rsf`` command is built on::

    from responsible_sharing import load_ontology, check_ontology, explain, validate

    report = validate(["policy.ttl"])     # findings, each traced to the rights behind it
    ontology = load_ontology()            # the shipped ontology, merged
    report = check_ontology()             # HermiT + QA shapes + QA queries
    print(explain(ontology.graph, "CE1").definition)
"""

from importlib.metadata import PackageNotFoundError, version

from .errors import InputSyntaxError, RsfError, UnknownTermError
from .explain import Explanation, explain
from .ontology import LoadedOntology, export_ontology, load_ontology
from .qa import QAFinding, QAReport, check_ontology
from .terms import resolve_term, term_index
from .validate import Finding, PolicyReport, Report, validate

try:
    __version__ = version("responsible-sharing")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "Explanation",
    "Finding",
    "PolicyReport",
    "Report",
    "InputSyntaxError",
    "LoadedOntology",
    "QAFinding",
    "QAReport",
    "RsfError",
    "UnknownTermError",
    "__version__",
    "check_ontology",
    "explain",
    "export_ontology",
    "load_ontology",
    "resolve_term",
    "term_index",
    "validate",
]
