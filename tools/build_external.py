#!/usr/bin/env python3
"""Build the offline vocabulary subsets in ``ontology/external/``.

Maintenance script; it is not used at run time and it never downloads anything.
It reads the published source files of DPV, ODRL, DUO and DCAT from local paths
given on the command line, keeps a selection of their triples unchanged, and
writes one small Turtle file per vocabulary, with a provenance and licence
header.  The output is deterministic: the same inputs give the same bytes.

Every input is checked against the git blob id pinned in ``SOURCES`` below, so
that the header of each output names the exact source it was built from.  To
move to a newer release, update the pin (repository, path, commit, blob) and
the selection if needed, run the script, and review the diff.

Usage (see ontology/external/README.md for how to obtain the inputs)::

    .venv/bin/python tools/build_external.py \\
        --dpv SRC/dpv.ttl --odrl SRC/ODRL22.ttl --duo SRC/duo.owl --dcat SRC/dcat3.ttl

``--check`` compares with the files already written instead of writing, and
exits with status 1 if any of them would change.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "ontology" / "external"

DPV = Namespace("https://w3id.org/dpv#")
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")

W3C_SOFTWARE_DOCUMENT_LICENSE = (
    "W3C Software and Document License (2023 version)",
    "https://www.w3.org/copyright/software-license-2023/",
)
CC_BY_4 = (
    "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "https://creativecommons.org/licenses/by/4.0/",
)


# --------------------------------------------------------------------------
# Pinned sources
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    key: str
    output: str
    vocabulary: str
    namespace: str
    title: str  # title of the work the triples are copied from
    uri: str  # its URI
    repository: str
    path: str
    commit: str  # commit of the snapshot the file was read from
    blob: str  # git blob id of the file at that commit (git hash-object)
    rdf_format: str
    licence: tuple[str, str]
    notice: str  # the attribution / notice sentence required by the licence
    extra: tuple[str, ...] = ()  # further header lines


SOURCES: dict[str, Source] = {
    "dpv": Source(
        key="dpv",
        output="dpv-subset.ttl",
        vocabulary="Data Privacy Vocabulary (DPV) 2.2",
        namespace=str(DPV),
        title="Data Privacy Vocabulary (DPV), version 2.2",
        uri="https://w3id.org/dpv/2.2",
        repository="https://github.com/w3c/dpv",
        path="2.2/dpv/dpv.ttl",
        commit="f01a55c3c0983e35cdfdf80593ece3353faba7b8",
        blob="07c58efdf0dd69c4dcd6c8977676e83f48b20e59",
        rdf_format="turtle",
        licence=W3C_SOFTWARE_DOCUMENT_LICENSE,
        notice=(
            "This file includes selected triples copied from Data Privacy Vocabulary (DPV), "
            "version 2.2, https://w3id.org/dpv/2.2 (https://w3id.org/dpv). "
            "Copyright © 2025 World Wide Web Consortium. "
            "<https://www.w3.org/copyright/software-license-2023/>"
        ),
        extra=(
            "The repository's LICENSE.md grants the W3C Software and Document License; the source",
            "file declares dct:license <https://www.w3.org/copyright/document-license-2023/>.",
            "Published by the W3C Data Privacy Vocabularies and Controls Community Group.",
        ),
    ),
    "odrl": Source(
        key="odrl",
        output="odrl-subset.ttl",
        vocabulary="ODRL Version 2.2 (Open Digital Rights Language vocabulary)",
        namespace=str(ODRL),
        title="ODRL Version 2.2 (ODRL Vocabulary & Expression 2.2, W3C Recommendation)",
        uri="http://www.w3.org/ns/odrl/2/ (https://www.w3.org/TR/odrl-vocab/)",
        repository="https://github.com/w3c/poe",
        path="vocab/ODRL22.ttl",
        commit="e3a45ad650e370c9c520520a5c759fce3bb2075e",
        blob="71f25a5e3d5dd76f306d0f0f54b72eb57ac9c285",
        rdf_format="turtle",
        licence=W3C_SOFTWARE_DOCUMENT_LICENSE,
        notice=(
            "This file includes selected triples copied from ODRL Version 2.2, "
            "http://www.w3.org/ns/odrl/2/ (ODRL Vocabulary & Expression 2.2, "
            "https://www.w3.org/TR/odrl-vocab/). "
            "Copyright © 2018 World Wide Web Consortium. "
            "<https://www.w3.org/copyright/software-license-2023/>"
        ),
        extra=(
            "The repository's LICENSE.md grants the W3C Software and Document License; the source",
            "file declares dct:license <https://www.w3.org/Consortium/Legal/2002/ipr-notice-20021231#Copyright/>.",
            "Published by the W3C Permissions & Obligations Expression Working Group. The file was",
            "last changed in commit 1767102a75b2b9a7a1f882ebe8341ac6d040955f (2021-03-01).",
        ),
    ),
    "duo": Source(
        key="duo",
        output="duo-subset.ttl",
        vocabulary="Data Use Ontology (DUO), GA4GH",
        namespace="http://purl.obolibrary.org/obo/DUO_",
        title="Data Use Ontology (DUO), release 2021-02-23",
        uri="http://purl.obolibrary.org/obo/duo/releases/2021-02-23/duo.owl",
        repository="https://github.com/EBISPOT/DUO",
        path="duo.owl",
        commit="81f5c3d9cc5a3e13614fdeaed53ace2496d7c095",
        blob="9a1260229408169652d10ee7c11640ca24d7f055",
        rdf_format="xml",
        licence=CC_BY_4,
        notice=(
            "This file includes selected triples copied from the Data Use Ontology (DUO), "
            "http://purl.obolibrary.org/obo/duo.owl, by the Global Alliance for Genomics and "
            "Health (GA4GH) Data Use Ontology workstream (creator: Melanie Courtot; contributors "
            "listed at https://github.com/EBISPOT/DUO#contributions), licensed under CC BY 4.0 "
            "(https://creativecommons.org/licenses/by/4.0/). Changes: only a selection of "
            "triples was kept (definitions, comments, identifiers and logical axioms were "
            "left out); no triple was altered."
        ),
        extra=(
            "The same file content is the release tagged v2021-02-23",
            "(commit 726b06e657dadde900a518aa6bd3ed66cb622411).",
        ),
    ),
    "dcat": Source(
        key="dcat",
        output="dcat-subset.ttl",
        vocabulary="Data Catalog Vocabulary (DCAT), version 3",
        namespace=str(DCAT),
        title="Data Catalog Vocabulary (DCAT) - Version 3",
        uri="http://www.w3.org/ns/dcat (https://www.w3.org/TR/vocab-dcat-3/)",
        repository="https://github.com/w3c/dxwg",
        path="dcat/rdf/dcat3.ttl",
        commit="4fe75d5505f337f2e6998f4d081ff26b8429ecaf",
        blob="ee869cc918dc0b57a940f4d55788458700865600",
        rdf_format="turtle",
        licence=CC_BY_4,
        notice=(
            "This file includes selected triples copied from Data Catalog Vocabulary (DCAT) - "
            "Version 3, http://www.w3.org/ns/dcat (https://www.w3.org/TR/vocab-dcat-3/), by the "
            "W3C Dataset Exchange Working Group, licensed under CC BY 4.0 "
            "(https://creativecommons.org/licenses/by/4.0/). Copyright © 2023 World Wide Web "
            "Consortium. Changes: only a selection of triples was kept; no triple was altered."
        ),
        extra=(
            "The source file declares dcterms:license <https://creativecommons.org/licenses/by/4.0/>;",
            "the repository's LICENSE.md names the W3C Document License",
            "(https://www.w3.org/Consortium/Legal/copyright-documents). The file was last changed in",
            "commit f03a6dc8c1f00be1ac94bde465440833377400d3 (2023-02-02).",
            "vCard and FOAF terms are not included: no authoritative published source file was available.",
        ),
    ),
}


# --------------------------------------------------------------------------
# Selection
# --------------------------------------------------------------------------

DPV_SEEDS_WITH_DESCENDANTS = [
    "AccessControlMethod", "Encryption", "AuthenticationProtocols", "DataBackupProtocols",
    "StaffTraining", "ConfidentialityAgreement", "NDA", "SafeguardForDataTransfer",
    "LoggingPolicy", "RecordsOfActivities", "ActivityMonitoring", "RiskAssessment", "DPIA",
    "Consent", "ResearchAndDevelopment", "IdentifyingPersonalData", "PseudonymisedData",
    "AnonymisedData", "NonPersonalData", "SecureProcessingEnvironment",
    "DataProtectionAuthority", "DataSubject", "VulnerableDataSubject", "TechnicalMeasure",
    "OrganisationalMeasure",
]
# Only the concept itself and its direct children (the whole tree is large).
DPV_SEEDS_WITH_CHILDREN = ["LegalBasis"]
# Only the concept itself (and, like every kept term, its ancestors): the
# targets of the ontology's SKOS mappings and of the pattern
# rsf:retentionPeriod stands for.
DPV_CONCEPTS = [
    "DataController", "Patient", "Participant", "AcademicScientificOrganisation",
    "HealthcareOrganisation", "GovernmentalOrganisation", "StorageDuration",
]
DPV_PROPERTIES = [
    "hasPurpose", "hasLegalBasis", "hasApplicableLaw", "hasTechnicalOrganisationalMeasure",
    "hasOrganisationalMeasure", "hasTechnicalMeasure", "hasLegalMeasure", "hasPhysicalMeasure",
    "hasResponsibleEntity", "hasRiskAssessment", "hasStorageCondition", "hasDuration",
]

ODRL_TERMS = [
    "Policy", "Set", "Offer", "Agreement", "Permission", "Prohibition", "Duty", "Action",
    "Constraint", "permission", "prohibition", "obligation", "duty", "action", "target",
    "assigner", "assignee", "constraint", "leftOperand", "operator", "rightOperand",
    "hasPolicy", "inheritFrom", "use", "distribute", "delete", "attribute", "inform", "purpose", "isA", "eq",
    "compensate", "elapsedTime", "payAmount",
]

DCAT_TERMS = [
    "Dataset", "Catalog", "Distribution", "landingPage", "contactPoint", "distribution",
    "version", "accessURL", "downloadURL",
]

LABELS = (RDFS.label, SKOS.prefLabel)
# Predicates that link a term to a more general one.
UPWARD = (SKOS.broader, SKOS.broaderTransitive, RDFS.subClassOf, RDFS.subPropertyOf)

KEEP_DPV = (RDF.type, RDFS.label, SKOS.prefLabel, SKOS.broader, RDFS.subClassOf,
            RDFS.subPropertyOf, RDFS.isDefinedBy, SKOS.inScheme)
KEEP_ODRL = (RDF.type, RDFS.label, SKOS.prefLabel, RDFS.subClassOf, RDFS.subPropertyOf,
             SKOS.broader, SKOS.broaderTransitive, RDFS.isDefinedBy)
KEEP_DUO = (RDF.type, RDFS.label, RDFS.subClassOf, OBOINOWL.shorthand)
KEEP_DCAT = (RDF.type, RDFS.label, SKOS.prefLabel, RDFS.subClassOf, RDFS.subPropertyOf,
             SKOS.broader, SKOS.broaderTransitive, RDFS.isDefinedBy)


def is_english(lit: Literal) -> bool:
    lang = (lit.language or "").lower()
    return lang == "en" or lang.startswith("en-")


def keep_object(pred: URIRef, obj) -> bool:
    """Keep IRIs for structural predicates, English (or untagged) literals for labels."""
    if pred in LABELS:
        return isinstance(obj, Literal) and (obj.language is None or is_english(obj))
    if isinstance(obj, Literal):
        return True  # e.g. oboInOwl:shorthand
    return isinstance(obj, URIRef)  # named resources only, never blank nodes


def exists(g: Graph, term: URIRef) -> bool:
    return next(g.predicate_objects(term), None) is not None


def descendants(g: Graph, term: URIRef, pred: URIRef = SKOS.broader) -> set[URIRef]:
    found: set[URIRef] = set()
    stack = [term]
    while stack:
        for child in g.subjects(pred, stack.pop()):
            if isinstance(child, URIRef) and child not in found:
                found.add(child)
                stack.append(child)
    return found


def upward_closure(g: Graph, terms: Iterable[URIRef], namespace: str,
                   with_types: bool = True) -> set[URIRef]:
    """The terms with all their ancestors in ``namespace`` (and the classes in
    ``namespace`` they are typed with, if ``with_types``), transitively."""
    found = set(terms)
    stack = list(found)
    while stack:
        term = stack.pop()
        preds = UPWARD + ((RDF.type,) if with_types else ())
        for pred in preds:
            for parent in g.objects(term, pred):
                if (isinstance(parent, URIRef) and str(parent).startswith(namespace)
                        and parent not in found and exists(g, parent)):
                    found.add(parent)
                    stack.append(parent)
    return found


def extract(g: Graph, terms: Iterable[URIRef], keep: tuple[URIRef, ...]) -> Graph:
    out = Graph()
    for term in terms:
        for pred in keep:
            for obj in g.objects(term, pred):
                if keep_object(pred, obj):
                    out.add((term, pred, obj))
    return out


def select_dpv(g: Graph) -> tuple[Graph, list[str]]:
    missing = [f"dpv:{n}" for n in DPV_SEEDS_WITH_DESCENDANTS + DPV_SEEDS_WITH_CHILDREN
               + DPV_CONCEPTS + DPV_PROPERTIES if not exists(g, DPV[n])]
    terms: set[URIRef] = set()
    for name in DPV_SEEDS_WITH_DESCENDANTS:
        terms |= {DPV[name]} | descendants(g, DPV[name])
    for name in DPV_SEEDS_WITH_CHILDREN:
        terms |= {DPV[name]} | {c for c in g.subjects(SKOS.broader, DPV[name])
                                if isinstance(c, URIRef)}
    terms |= {DPV[n] for n in DPV_CONCEPTS + DPV_PROPERTIES}
    terms = {t for t in terms if exists(g, t)}
    return extract(g, upward_closure(g, terms, str(DPV)), KEEP_DPV), missing


def select_odrl(g: Graph) -> tuple[Graph, list[str]]:
    missing = [f"odrl:{n}" for n in ODRL_TERMS if not exists(g, ODRL[n])]
    terms = {ODRL[n] for n in ODRL_TERMS if exists(g, ODRL[n])}
    return extract(g, upward_closure(g, terms, str(ODRL)), KEEP_ODRL), missing


def select_duo(g: Graph) -> tuple[Graph, list[str]]:
    terms = {s for s in g.subjects() if isinstance(s, URIRef)
             and str(s).startswith(SOURCES["duo"].namespace)}
    return extract(g, terms, KEEP_DUO), []


def select_dcat(g: Graph) -> tuple[Graph, list[str]]:
    missing = [f"dcat:{n}" for n in DCAT_TERMS if not exists(g, DCAT[n])]
    terms = {DCAT[n] for n in DCAT_TERMS if exists(g, DCAT[n])}
    return extract(g, upward_closure(g, terms, str(DCAT)), KEEP_DCAT), missing


SELECTORS: dict[str, Callable[[Graph], tuple[Graph, list[str]]]] = {
    "dpv": select_dpv, "odrl": select_odrl, "duo": select_duo, "dcat": select_dcat,
}


# --------------------------------------------------------------------------
# Deterministic Turtle writer
# --------------------------------------------------------------------------

PREFIXES = {
    "dcat": str(DCAT),
    "dct": "http://purl.org/dc/terms/",
    "dpv": str(DPV),
    "foaf": "http://xmlns.com/foaf/0.1/",
    "obo": str(OBO),
    "oboInOwl": str(OBOINOWL),
    "odrl": str(ODRL),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": "http://schema.org/",
    "skos": str(SKOS),
    "xsd": str(XSD),
}
# Longest namespace first, so that the most specific prefix wins.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: (-len(kv[1]), kv[0]))
_LOCAL = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_-]*)?$")
PRED_ORDER = [RDF.type, RDFS.label, SKOS.prefLabel, OBOINOWL.shorthand, RDFS.subClassOf,
              RDFS.subPropertyOf, SKOS.broader, SKOS.broaderTransitive, RDFS.isDefinedBy,
              SKOS.inScheme]


def _iri(term: URIRef, used: set[str]) -> str:
    text = str(term)
    for prefix, ns in _BY_LENGTH:
        if text.startswith(ns) and _LOCAL.match(text[len(ns):]):
            used.add(prefix)
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>"


def _string(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def _term(term, used: set[str]) -> str:
    if isinstance(term, URIRef):
        return _iri(term, used)
    if isinstance(term, Literal):
        if term.language:
            return f"{_string(str(term))}@{term.language}"
        if term.datatype:
            return f"{_string(str(term))}^^{_iri(term.datatype, used)}"
        return _string(str(term))
    raise ValueError(f"unexpected term {term!r}")  # blank nodes are never kept


def _sort_key(term) -> tuple:
    if isinstance(term, URIRef):
        return (0, str(term), "", "")
    return (1, str(term), term.language or "", str(term.datatype or ""))


def turtle(graph: Graph, header: list[str]) -> str:
    used: set[str] = set()
    blocks = []
    for subject in sorted(set(graph.subjects()), key=_sort_key):
        preds = sorted(set(graph.predicates(subject)),
                       key=lambda p: (PRED_ORDER.index(p) if p in PRED_ORDER else len(PRED_ORDER),
                                      str(p)))
        lines = []
        for pred in preds:
            objs = sorted(graph.objects(subject, pred), key=_sort_key)
            p = "a" if pred == RDF.type else _iri(pred, used)
            lines.append(f"    {p} " + ", ".join(_term(o, used) for o in objs))
        blocks.append(_iri(subject, used) + "\n" + " ;\n".join(lines) + " .\n")
    prefixes = "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in sorted(used))
    head = "".join(f"# {line}".rstrip() + "\n" for line in header)
    return head + "\n" + prefixes + "\n" + "\n".join(blocks)


def header_for(src: Source, graph: Graph) -> list[str]:
    name, url = src.licence
    subjects = len(set(graph.subjects()))
    lines = [
        f"{src.vocabulary}: offline subset for responsible-sharing.",
        "",
        f"Vocabulary namespace: {src.namespace}",
        f"Source: {src.repository}, path {src.path},",
        f"        commit {src.commit} (git blob {src.blob}).",
        f"Licence: {name}, {url}",
        *src.extra,
        "",
    ]
    lines += _wrap(src.notice)
    lines += [
        "",
        "This file is an unmodified extract: selected triples copied verbatim from the source",
        "above (types, English labels, hierarchy links; no definitions or comments).",
        "No triple was added or changed. See LICENSES.md in this folder for the full licence",
        "notices, and README.md for how the selection is made.",
        "Generated by tools/build_external.py; do not edit by hand.",
        f"Terms: {subjects}. Triples: {len(graph)}.",
    ]
    return lines


def _wrap(text: str, width: int = 88) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + ([line] if line else [])


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def build(key: str, path: Path) -> tuple[str, int, list[str]]:
    src = SOURCES[key]
    data = path.read_bytes()
    blob = git_blob_id(data)
    if blob != src.blob:
        raise SystemExit(
            f"{path}: git blob {blob} is not the pinned source {src.repository} "
            f"{src.path} @ {src.commit} (blob {src.blob}); update SOURCES['{key}'] first.")
    g = Graph()
    g.parse(data=data, format=src.rdf_format)
    subset, missing = SELECTORS[key](g)
    return turtle(subset, header_for(src, subset)), len(subset), missing


#: every term of the DPV namespace that the pinned dpv.ttl defines, one local name a line
DPV_TERMS_OUTPUT = "dpv-terms.txt"


def dpv_term_list(path: Path) -> str:
    """The local names of every IRI in the DPV namespace that dpv.ttl describes (as a subject), sorted.

    The subset keeps only the terms our shapes walk; this list lets the validator
    tell a DPV term that exists but is not in the subset from one that does not exist.
    """
    src = SOURCES["dpv"]
    g = Graph()
    g.parse(data=path.read_bytes(), format=src.rdf_format)
    names = sorted({str(s)[len(src.namespace):] for s in g.subjects()
                    if isinstance(s, URIRef) and str(s).startswith(src.namespace) and len(str(s)) > len(src.namespace)})
    header = [
        f"Every term of {src.vocabulary} ({src.namespace}): the local name of each IRI in that",
        f"namespace described in {src.repository} {src.path}",
        f"at commit {src.commit} (git blob {src.blob}).",
        f"Licence of the source: {src.licence[0]}, {src.licence[1]}",
        "Only the names are listed (no triple). rsf reads this list to tell whether a DPV IRI",
        "in a policy exists; dpv-subset.ttl holds the triples the shapes need.",
        "Generated by tools/build_external.py; do not edit by hand.",
        f"Terms: {len(names)}.",
    ]
    return "".join(f"# {line}\n" for line in header) + "".join(f"{n}\n" for n in names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for key, src in SOURCES.items():
        parser.add_argument(f"--{key}", type=Path, required=True, metavar="FILE",
                            help=f"local copy of {src.repository} {src.path} @ {src.commit[:12]}")
    parser.add_argument("--out", type=Path, default=OUT_DIR,
                        help="output folder (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if any output file would change")
    args = parser.parse_args(argv)

    stale = []
    for key, src in SOURCES.items():
        text, count, missing = build(key, getattr(args, key))
        target = args.out / src.output
        for term in missing:
            print(f"warning: {term} does not exist in {src.repository} {src.path}", file=sys.stderr)
        data = text.encode("utf-8")
        if args.check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(target)
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        print(f"{src.output}: {count} triples")
        if key == "dpv":
            terms = dpv_term_list(getattr(args, key)).encode("utf-8")
            listed = args.out / DPV_TERMS_OUTPUT
            if args.check:
                if not listed.exists() or listed.read_bytes() != terms:
                    stale.append(listed)
            else:
                listed.write_bytes(terms)
    if stale:
        for target in stale:
            print(f"out of date: {target}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
