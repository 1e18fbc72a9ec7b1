#!/usr/bin/env python3
"""Generate N synthetic data-sharing policies for benchmarks, from the examples.

Each example policy in ``examples/*.ttl`` is a *template*. The generator parses
every template once, then writes policy after policy as text, never building
a graph of the whole collection, so memory stays flat whatever N is.

For each policy (``i`` from 0 to N-1) a random generator seeded with the seed
and ``i`` alone picks:

- the template (uniformly among the examples);
- fictitious place names that replace the template's own (``Calderby``,
  ``Tamsin Valley``, ...) in names, descriptions, IRIs and e-mail domains;
- every ``xsd:duration`` (same unit, another number), the issue date and
  the version;
- for a policy with gaps, one to three *checked statements* to leave out
  (see ``GAPS``: the retention period, the appeal route, the breach
  deadline, ...), each chosen among those its template states and whose
  check applies to its profile (``TEMPLATE_GAPS``).

Every IRI of the template's own namespace and of the other invented
organisations it cites (``https://example.org/…``, ``…@….example.org``,
the test DOI prefix ``10.5555``) gets a per-policy form that includes the
policy number, and every blank node gets a per-policy label, so no two
policies share a node; the shared vocabularies (rsf, DPV, ODRL, DUO, laws,
standards) are kept. Which policies have gaps is spread evenly: every prefix
of the sequence has the requested share, to within one policy. Policy ``i``
is the same whatever N is, so the first 1 000 policies of a 10 000 run are the
1 000 run's (with the same seed, templates and gap share).

Output, written as it is generated:

- ``--layout files --out DIR``: one Turtle file per policy, in subfolders of
  at most 1 000 files (``DIR/000/000000-clinical-laboratory-policy.ttl``);
- ``--layout nquads --out FILE.nq``: one N-Quads file, one named graph per
  policy (the graph is named by the policy IRI);
- ``--layout trig --out FILE.trig``: the same as TriG.

The same seed and arguments give byte-identical output.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, TextIO

import rdflib
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

HERE = Path(__file__).resolve().parent
DEFAULT_EXAMPLES = HERE.parent / "examples"
FILES_PER_FOLDER = 1000
RSF = "https://w3id.org/rsf/"
POLICY_CLASS = URIRef(RSF + "DataSharingPolicy")
SEED_TAG = "rsf-bench-v1"

#: The invented place names of the examples; each becomes a generated one.
FICTITIOUS_PLACES = ("Tamsin Valley", "Calderby", "Corvell", "Ferncastle", "Halvard", "Lowmoor", "Meridale",
                     "Nordmere", "Wrenfield")

PREFIXES = {
    "rsf": RSF,
    "rdf": str(RDF),
    "xsd": str(XSD),
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dpv": "https://w3id.org/dpv#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "prov": "http://www.w3.org/ns/prov#",
    "obo": "http://purl.obolibrary.org/obo/",
}

_MEASURES = ("dpv:hasTechnicalOrganisationalMeasure", "dpv:hasOrganisationalMeasure", "dpv:hasTechnicalMeasure")


@dataclass(frozen=True)
class Gap:
    """A checked statement a policy can leave out, and the shape that then fires.

    ``path`` is a sequence of steps from the policy node, each a tuple of
    alternative predicates; the statements of the last step are dropped, with
    whatever hangs off them through blank nodes. ``where`` keeps only last-step
    objects that equal the value or have it for the predicate (``rdf:type``
    for a measure, ``odrl:action`` for a rule).
    """

    label: str
    shape: str
    path: tuple[tuple[str, ...], ...]
    where: tuple[str, str] | None = None


#: Checked statements a real policy often forgets, by short name.
GAPS: dict[str, Gap] = {
    "landing-page": Gap("where the policy is published", "O-CE1-01", (("dcat:landingPage",),)),
    "purpose": Gap("the purposes of sharing", "O-CE1-02", (("dpv:hasPurpose",),)),
    "third-parties": Gap("whether data go to third parties", "O-CE1-03-third-parties",
                         (("rsf:sharesWithThirdParties",),)),
    "borders": Gap("whether data leave the country", "O-CE1-03-borders", (("rsf:transfersAcrossBorders",),)),
    "retention": Gap("the retention period or rule", "O-CE1-05", (("rsf:retentionPeriod", "rsf:retentionRule"),)),
    "reidentification-risk": Gap("the limits of anonymity", "O-CE1-06-limits", (("rsf:reidentificationRisk",),)),
    "withdrawal-contact": Gap("whom to contact to withdraw", "O-CE1-09", (("rsf:withdrawal",), ("dcat:contactPoint",))),
    "committee-contact": Gap("how to reach the access committee", "O-CE1-10-committee",
                             (("rsf:accessCommittee",), ("dcat:contactPoint",))),
    "decision-criteria": Gap("the criteria access is decided on", "O-CE1-10-criteria", (("rsf:decisionCriteria",),)),
    "decision-time": Gap("the time limit for access decisions", "O-CE1-10-time", (("rsf:decisionTimeLimit",),)),
    "appeal-route": Gap("the appeal route", "O-CE1-16", (("rsf:appealRoute",),)),
    "responsible-contact": Gap("how to reach the answerable officer", "O-CE2-01",
                               (("dpv:hasResponsibleEntity",), ("dcat:contactPoint",))),
    "conflicts-of-interest": Gap("how deciders handle conflicts of interest", "O-CE2-03",
                                 (("rsf:conflictOfInterestProcedure",),)),
    "complaint-route": Gap("the complaint route", "O-CE2-04", (("rsf:complaintRoute",),)),
    "breach-deadline": Gap("the breach notification deadline", "O-CE2-05",
                           (("rsf:breachProcedure",), ("rsf:notificationDeadline",))),
    "sanctions": Gap("the sanctions for breaking the terms", "O-CE2-06", (("rsf:sanctions",),)),
    "recipient-breach-deadline": Gap("the recipients' breach reporting deadline", "O-CE2-09",
                                     (("rsf:recipientBreachReporting",), ("rsf:notificationDeadline",))),
    "delegate-contact": Gap("how to reach a delegate", "O-CE2-10",
                            (("rsf:delegation",), ("rsf:delegate",), ("dcat:contactPoint",))),
    "participant-engagement": Gap("the standing consultation of participants", "O-CE3-01",
                                  (("rsf:participantEngagement",),)),
    "participant-representation": Gap("participants' seats on a governing body", "O-CE3-02",
                                      (("rsf:participantRepresentation",),)),
    "participant-information": Gap("how participants are kept informed", "O-CE3-04",
                                   (("rsf:participantInformation",),)),
    "quality-control": Gap("the quality controls", "O-CE4-01-quality", (("rsf:qualityControl",),)),
    "error-reporting": Gap("how to report errors", "O-CE4-02", (("rsf:errorReporting",),)),
    "backups": Gap("protection against loss (backups)", "O-CE4-04", (_MEASURES,), ("rdf:type", "dpv:DataBackupProtocols")),
    "law-enforcement": Gap("requests from police or security bodies", "O-CE4-05", (("rsf:lawEnforcementRequests",),)),
    "applicable-law": Gap("the data-protection law", "O-CE5-01-law", (("dpv:hasApplicableLaw",),)),
    "reidentification-ban": Gap("the ban on re-identification", "O-CE5-03", (("odrl:prohibition",),),
                                ("odrl:action", "rsf:reidentify")),
    "copies-deleted": Gap("that recipients destroy their copies", "O-CE5-07", (("odrl:obligation",),),
                          ("odrl:action", "odrl:delete")),
    "risk-review": Gap("how often the risk assessment is reviewed", "O-CE6-03",
                       (("rsf:riskAssessment",), ("rsf:reviewInterval",))),
    "cite-identifier": Gap("the identifier to cite", "O-CE7-03", (("rsf:citationRequirement",), ("rsf:citeIdentifier",))),
    "archiving": Gap("where data are archived", "O-CE8-01", (("rsf:archiving",),)),
    "deposit": Gap("deposit in recognised repositories", "O-CE10-02", (("rsf:depositRequirement",),)),
    "negative-results": Gap("publishing negative results", "O-CE10-03",
                            (("rsf:publicationRules",), ("rsf:coversNegativeResults",))),
    "duo-conditions": Gap("conditions on use in DUO", "O-CE10-05", (("odrl:permission",), ("odrl:constraint",))),
}

#: For each template, the gaps it can have: statements it makes whose check
#: applies to its profile and does not already fire on it. Held by
#: tests/test_bench_generate.py, which validates every (template, gap) pair.
TEMPLATE_GAPS: dict[str, tuple[str, ...]] = {
    "access-committee-procedures": (
        "appeal-route", "committee-contact", "conflicts-of-interest", "copies-deleted", "decision-criteria",
        "decision-time", "duo-conditions", "participant-representation", "recipient-breach-deadline",
        "reidentification-ban", "sanctions"),
    "biobank-community-charter": (
        "appeal-route", "applicable-law", "archiving", "backups", "breach-deadline", "cite-identifier",
        "committee-contact", "complaint-route", "decision-criteria", "decision-time", "deposit", "error-reporting",
        "landing-page", "law-enforcement", "participant-engagement", "participant-information",
        "participant-representation", "purpose", "quality-control", "recipient-breach-deadline", "reidentification-ban",
        "reidentification-risk", "responsible-contact", "retention", "risk-review", "sanctions", "third-parties",
        "withdrawal-contact"),
    "clinical-laboratory-policy": (
        "applicable-law", "archiving", "backups", "borders", "cite-identifier", "committee-contact", "complaint-route",
        "copies-deleted", "decision-criteria", "decision-time", "deposit", "duo-conditions", "error-reporting",
        "landing-page", "law-enforcement", "participant-information", "purpose", "quality-control",
        "recipient-breach-deadline", "reidentification-ban", "reidentification-risk", "responsible-contact",
        "risk-review", "sanctions", "third-parties", "withdrawal-contact"),
    "federated-repository-delegating": (
        "applicable-law", "archiving", "backups", "borders", "breach-deadline", "cite-identifier", "complaint-route",
        "copies-deleted", "deposit", "duo-conditions", "error-reporting", "landing-page", "law-enforcement",
        "participant-information", "purpose", "quality-control", "recipient-breach-deadline", "reidentification-ban",
        "reidentification-risk", "responsible-contact", "retention", "risk-review", "sanctions", "third-parties",
        "withdrawal-contact"),
    "funder-data-sharing-policy": (
        "deposit", "negative-results"),
    "genomic-data-repository": (
        "appeal-route", "applicable-law", "archiving", "backups", "borders", "breach-deadline", "cite-identifier",
        "committee-contact", "complaint-route", "copies-deleted", "decision-criteria", "decision-time", "deposit",
        "duo-conditions", "error-reporting", "landing-page", "law-enforcement", "participant-engagement",
        "participant-information", "purpose", "quality-control", "recipient-breach-deadline", "reidentification-ban",
        "reidentification-risk", "responsible-contact", "retention", "risk-review", "sanctions", "third-parties",
        "withdrawal-contact"),
    "open-reference-panel": (
        "applicable-law", "archiving", "backups", "cite-identifier", "complaint-route", "duo-conditions",
        "error-reporting", "landing-page", "participant-engagement", "participant-information", "purpose",
        "quality-control", "reidentification-risk", "responsible-contact", "retention", "risk-review",
        "withdrawal-contact"),
    "research-institute-policy": (
        "applicable-law", "landing-page", "participant-engagement", "responsible-contact", "sanctions"),
}

# Syllables for fictitious place names; a few get a second word.
_PLACE_HEADS = ("Ash", "Bram", "Brack", "Cal", "Carn", "Dun", "Elm", "Fal", "Fen", "Gar", "Glen", "Hal", "Hart",
                "Hazel", "Kel", "Kirk", "Lang", "Lyn", "Mar", "Mel", "Nor", "Oak", "Pen", "Quen", "Rad", "Ros",
                "Sel", "Stan", "Thorn", "Tre", "Ul", "Vel", "Wex", "Whit", "Wil", "Yar")
_PLACE_TAILS = ("bourne", "bridge", "brook", "by", "castle", "combe", "dale", "den", "field", "ford", "gate", "ham",
                "holm", "hurst", "ley", "mere", "minster", "moor", "mouth", "ness", "stead", "stow", "thorpe", "ton",
                "wick", "worth")
_PLACE_SECONDS = ("Valley", "Vale", "Heath", "Cross", "Downs")

_DURATION = re.compile(r"^P(?:(\d+)([YMD])|T(\d+)([HM]))$")
_DURATION_RANGE = {"Y": (1, 10), "M": (1, 24), "D": (5, 90), "H": (12, 96), "TM": (30, 240)}
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_PLACEHOLDER = re.compile(r"\{[A-Za-z]\w*\}")
#: IRIs of invented things (renamed per policy); every other IRI is shared vocabulary, kept as it is
_INVENTED = re.compile(r"^(?:https?://example\.org/|mailto:[^@]*@[^@]*example\.org$|https://doi\.org/10\.5555/)")


def expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


def escape_literal(text: str) -> str:
    """A string as the inside of a "…" literal in N-Triples, N-Quads, Turtle or TriG."""
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def place_forms(name: str) -> tuple[str, str, str]:
    """A place name as written in prose, in an IRI path and in an e-mail domain."""
    return name, name.lower().replace(" ", "-"), name.lower().replace(" ", "")


def make_places(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(_PLACE_HEADS) + rng.choice(_PLACE_TAILS)
        if rng.random() < 0.15:
            name += " " + rng.choice(_PLACE_SECONDS)
        if name not in names:
            names.append(name)
    return names


@dataclass
class Template:
    """One example policy, compiled to text with per-policy placeholders."""

    name: str
    source: Path
    policy_iri: str  # compiled (with placeholders)
    triple_count: int
    places: list[str]
    own_prefix: tuple[str, str] | None  # (prefix, compiled namespace)
    used_prefixes: list[str]
    durations: list[tuple[str, int, int]]  # (unit suffix, low, high) per {dN}
    # per triple: compiled N-Quads terms; per subject block: turtle rendering pieces
    nq_terms: list[tuple[str, str, str]] = field(default_factory=list)
    blocks: list[tuple[str, list[tuple[int, str, str]]]] = field(default_factory=list)
    #: the same with the own namespace written in full (TriG declares prefixes once, for all graphs)
    blocks_full: list[tuple[str, list[tuple[int, str, str]]]] = field(default_factory=list)
    #: the statements (by index) each of the template's gaps leaves out
    gap_drops: dict[str, frozenset[int]] = field(default_factory=dict)
    #: the same for every gap of GAPS the template states something for, listed or not
    possible_drops: dict[str, frozenset[int]] = field(default_factory=dict)
    _full_turtle: str | None = None
    _full_nquads: str | None = None

    def turtle_body(self, dropped: frozenset[int], indent: str = "") -> str:
        """The triples as Turtle, subject by subject (placeholders unfilled).

        With an indent (TriG), names in the template's own namespace are written in full.
        """
        if not dropped and self._full_turtle is not None and not indent:
            return self._full_turtle
        out = []
        sep = " ;\n" + indent + "    "
        for subject, items in (self.blocks_full if indent else self.blocks):
            pairs: list[str] = []
            last = None
            for index, predicate, obj in items:
                if index in dropped:
                    continue
                if predicate == last:
                    pairs[-1] += " , " + obj
                else:
                    pairs.append(predicate + " " + obj)
                    last = predicate
            if pairs:
                out.append(indent + subject + " " + sep.join(pairs) + " .\n\n")
        body = "".join(out)
        if not dropped and not indent:
            self._full_turtle = body
        return body

    def nquads_body(self, dropped: frozenset[int]) -> str:
        if not dropped and self._full_nquads is not None:
            return self._full_nquads
        graph = self.policy_iri
        body = "".join(f"{s} {p} {o} <{graph}> .\n"
                       for index, (s, p, o) in enumerate(self.nq_terms) if index not in dropped)
        if not dropped:
            self._full_nquads = body
        return body


class _Compiler:
    """Turns one parsed example into a :class:`Template`."""

    def __init__(self, path: Path, prefixes: dict[str, str]):
        self.path = path
        self.graph = Graph()
        # keep lexical forms as written ("PT48H", not rdflib's normalised "P2D")
        normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
        try:
            self.graph.parse(path, format="turtle")
        finally:
            rdflib.NORMALIZE_LITERALS = normalize
        text = path.read_text(encoding="utf-8")
        self.places = [p for p in FICTITIOUS_PLACES
                       if any(form in text for form in place_forms(p))]
        self.declared = dict(re.findall(r"@prefix\s+([A-Za-z][\w-]*):\s*<([^>]+)>", text))
        self.own = [(p, ns) for p, ns in self.declared.items() if ns.startswith("https://example.org/")]
        self.prefixes = prefixes  # shared vocabulary prefixes (the output may use any of them)
        self.durations: list[tuple[str, int, int]] = []
        self.used: set[str] = set()

    # -- terms -------------------------------------------------------------

    def compile_text(self, text: str) -> str:
        """Per-policy placeholders in an IRI or a literal's (already escaped) text."""
        out = _braces(text)
        for k, place in enumerate(self.places):
            prose, slug, domain = place_forms(place)
            out = out.replace(prose, "{P%d}" % k).replace(slug, "{S%d}" % k).replace(domain, "{D%d}" % k)
            title = prose.replace(" ", "")
            out = out.replace(title, "{P%d}" % k)
        # every invented organisation's web space, mailbox and DOI gets the policy number
        out = re.sub(r"(https?://example\.org/)([^/\s\"]+)", r"\1\2-{I}", out)
        out = re.sub(r"@([A-Za-z0-9{}.-]+?)\.example\.org", r"@\1-{I}.example.org", out)
        out = out.replace("10.5555/", "10.5555/{I}.")
        return out

    def iri_text(self, text: str) -> str:
        """An IRI with placeholders if it names something invented, else as it is (braces escaped)."""
        return self.compile_text(text) if _INVENTED.match(text) else _braces(text)

    def iri(self, node: URIRef, *, local_prefix: bool) -> str:
        """A compiled IRI in Turtle form (prefixed name where safe)."""
        text = str(node)
        if node == RDF.type:
            return "a"
        for prefix, ns in self.prefixes.items():
            if text.startswith(ns) and _SAFE_LOCAL.match(text[len(ns):]):
                self.used.add(prefix)
                return f"{prefix}:{_braces(text[len(ns):])}"
        if local_prefix and len(self.own) == 1:
            prefix, ns = self.own[0]
            if text.startswith(ns) and _SAFE_LOCAL.match(text[len(ns):]):
                return f"{prefix}:{self.compile_text(text[len(ns):])}"
        return f"<{self.iri_text(text)}>"

    def full_iri(self, node: URIRef) -> str:
        text = str(node)
        if _BAD_IRI.search(text):
            raise ValueError(f"{self.path}: IRI {text!r} cannot be written in N-Quads")
        return f"<{self.iri_text(text)}>"

    def literal_lexical(self, node: Literal) -> str:
        """The compiled lexical form (without quotes)."""
        lexical = str(node)
        if node.datatype == XSD.duration:
            match = _DURATION.match(lexical)
            if match:
                unit = match.group(2) or ("TM" if match.group(4) == "M" else match.group(4))
                low, high = _DURATION_RANGE[unit]
                self.durations.append((unit, low, high))
                return "{d%d}" % (len(self.durations) - 1)
        if node.datatype == XSD.date:
            return "{date}"
        return self.compile_text(escape_literal(lexical))

    def literal(self, node: Literal, *, turtle: bool, predicate: URIRef) -> str:
        lexical = self.literal_lexical(node)
        if predicate == URIRef(PREFIXES["dcat"] + "version") and node.datatype is None and not node.language:
            lexical = "{version}"
        if turtle and node.datatype == XSD.boolean and lexical in ("true", "false"):
            return lexical
        if node.language:
            return f'"{lexical}"@{node.language}'
        if node.datatype is not None:
            dt = self.iri(node.datatype, local_prefix=False) if turtle else f"<{node.datatype}>"
            return f'"{lexical}"^^{dt}'
        return f'"{lexical}"'

    # -- structure ---------------------------------------------------------

    def compile(self) -> Template:
        g = self.graph
        policies = list(g.subjects(RDF.type, POLICY_CLASS))
        if len(policies) != 1 or not isinstance(policies[0], URIRef):
            raise ValueError(f"{self.path}: a template must hold exactly one rsf:DataSharingPolicy with an IRI")
        policy = policies[0]
        # subjects in a fixed order: the policy, what it reaches (depth first), then other subjects by IRI
        order: list = []
        seen: set = set()

        def visit(node) -> None:
            if node in seen or (node, None, None) not in g:
                return
            seen.add(node)
            order.append(node)
            for _, o in self._ordered(node):
                if isinstance(o, (BNode, URIRef)):
                    visit(o)

        visit(policy)
        for subject in sorted({s for s in g.subjects() if isinstance(s, URIRef)}, key=str):
            visit(subject)
        for subject in g.subjects():
            if subject not in seen:
                raise ValueError(f"{self.path}: blank node subject not reachable from a named node")
        labels = {node: "_:p{I}b%d" % k for k, node in enumerate(n for n in order if isinstance(n, BNode))}
        # an object blank node that is never a subject still needs a label
        for o in g.objects():
            if isinstance(o, BNode) and o not in labels:
                labels[o] = "_:p{I}b%d" % len(labels)

        triples: list[tuple] = []
        nq_terms: list[tuple[str, str, str]] = []
        blocks: list[tuple[str, list[tuple[int, str, str]]]] = []
        blocks_full: list[tuple[str, list[tuple[int, str, str]]]] = []
        for subject in order:
            s_turtle = labels[subject] if isinstance(subject, BNode) else self.iri(subject, local_prefix=True)
            s_full = labels[subject] if isinstance(subject, BNode) else self.iri(subject, local_prefix=False)
            s_nq = labels[subject] if isinstance(subject, BNode) else self.full_iri(subject)
            items: list[tuple[int, str, str]] = []
            items_full: list[tuple[int, str, str]] = []
            for p, o in self._ordered(subject):
                index = len(triples)
                triples.append((subject, p, o))
                if isinstance(o, BNode):
                    o_turtle = o_full = o_nq = labels[o]
                elif isinstance(o, URIRef):
                    o_turtle, o_nq = self.iri(o, local_prefix=True), self.full_iri(o)
                    o_full = self.iri(o, local_prefix=False)
                else:
                    # compile once per syntax but with the same duration placeholders
                    before = len(self.durations)
                    o_nq = self.literal(o, turtle=False, predicate=p)
                    after = len(self.durations)
                    del self.durations[before:]
                    o_turtle = o_full = self.literal(o, turtle=True, predicate=p)
                    assert len(self.durations) == after
                predicate = self.iri(p, local_prefix=False)
                items.append((index, predicate, o_turtle))
                items_full.append((index, predicate, o_full))
                nq_terms.append((s_nq, self.full_iri(p), o_nq))
            blocks.append((s_turtle, items))
            blocks_full.append((s_full, items_full))
        name = self.path.stem
        own_prefix = None
        if len(self.own) == 1:
            prefix, ns = self.own[0]
            own_prefix = (prefix, self.compile_text(ns))
        template = Template(
            name=name,
            source=self.path,
            policy_iri=self.iri_text(str(policy)),
            triple_count=len(triples),
            places=self.places,
            own_prefix=own_prefix,
            used_prefixes=sorted(self.used),
            durations=list(self.durations),
            nq_terms=[(s, p, o) for s, p, o in nq_terms],
            blocks=blocks,
            blocks_full=blocks_full,
        )
        for gap_name, gap in GAPS.items():
            drops = self._gap_drops(policy, triples, gap)
            if drops:
                template.possible_drops[gap_name] = drops
        for gap_name in TEMPLATE_GAPS.get(name, ()):
            if gap_name not in template.possible_drops:
                raise ValueError(f"{self.path}: gap {gap_name!r} is listed for this template but it states nothing to drop")
            template.gap_drops[gap_name] = template.possible_drops[gap_name]
        return template

    def _ordered(self, subject) -> list[tuple]:
        """A subject's statements in a stable order (blank-node objects keep the parser's order)."""
        pairs = list(self.graph.predicate_objects(subject))
        return sorted(pairs, key=lambda po: (po[0] != RDF.type, str(po[0]),
                                             "" if isinstance(po[1], BNode) else po[1].n3()))

    def _gap_drops(self, policy: URIRef, triples: list[tuple], gap: Gap) -> frozenset[int]:
        index = {t: i for i, t in enumerate(triples)}
        g = self.graph
        nodes = {policy}
        for step in gap.path[:-1]:
            nodes = {o for n in nodes for p in step for o in g.objects(n, expand(p))}
        matched = [(n, expand(p), o) for n in nodes for p in gap.path[-1] for o in g.objects(n, expand(p))]
        if gap.where:
            wp, wv = expand(gap.where[0]), expand(gap.where[1])
            matched = [t for t in matched if t[2] == wv or (t[2], wp, wv) in g]
        dropped = {index[t] for t in matched}
        # what hangs off the dropped statements through blank nodes no kept statement points to
        stack = [t[2] for t in matched if isinstance(t[2], BNode)]
        while stack:
            node = stack.pop()
            if any(index[(s, p, node)] not in dropped for s, p in g.subject_predicates(node)):
                continue
            for p, o in g.predicate_objects(node):
                dropped.add(index[(node, p, o)])
                if isinstance(o, BNode):
                    stack.append(o)
        return frozenset(dropped)


def load_templates(folder: Path = DEFAULT_EXAMPLES, names: list[str] | None = None) -> list[Template]:
    """The templates named (any example with one policy), by default those with a gap list in ``TEMPLATE_GAPS``.

    The default is fixed so that a new example does not change the benchmark's data; an example with
    access tiers (several policies in one file) cannot be a template.
    """
    paths = sorted(folder.glob("*.ttl"))
    if names is None and folder == DEFAULT_EXAMPLES:
        names = list(TEMPLATE_GAPS)
    if names:
        wanted = set(names)
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            raise SystemExit(f"unknown template(s): {', '.join(sorted(unknown))}; "
                             f"choose from {', '.join(p.stem for p in paths)}")
        paths = [p for p in paths if p.stem in wanted]
    if not paths:
        raise SystemExit(f"{folder}: no example policies (*.ttl) to use as templates")
    return [_Compiler(p, PREFIXES).compile() for p in paths]


@dataclass
class Policy:
    """One generated policy: its template, IRI, the gaps it has and its text."""

    index: int
    template: Template
    iri: str
    gaps: tuple[str, ...]
    triples: int
    values: dict[str, str]
    dropped: frozenset[int]

    def turtle(self, seed: int) -> str:
        t = self.template
        lines = [
            f"# Synthetic data-sharing policy {self.values['I']}, generated by bench/generate.py (seed {seed})",
            f"# from template examples/{t.source.name}; all names and addresses are invented.",
            "# Gaps on purpose: " + (", ".join(f"{g} ({GAPS[g].label}, rsfsh:{GAPS[g].shape})" for g in self.gaps)
                                     if self.gaps else "none beyond the template's own."),
            "",
        ]
        for prefix in t.used_prefixes:
            lines.append(f"@prefix {prefix}: <{PREFIXES[prefix]}> .")
        if t.own_prefix:
            lines.append(f"@prefix {t.own_prefix[0]}: <{t.own_prefix[1]}> .")
        head = "\n".join(lines) + "\n\n"
        return _fill(head, self.values) + t.turtle_body(self.dropped).format_map(self.values)

    def nquads(self) -> str:
        return self.template.nquads_body(self.dropped).format_map(self.values)

    def trig(self) -> str:
        t = self.template
        gaps = ", ".join(self.gaps) if self.gaps else "none"
        head = f"# policy {self.values['I']} from examples/{t.source.name}; gaps: {gaps}\n"
        body = t.turtle_body(self.dropped, indent="    ")
        return head + "<" + self.iri + "> {\n" + body.format_map(self.values) + "}\n\n"


def _fill(text: str, values: dict[str, str]) -> str:
    """Fill placeholders in text that may also hold literal braces (the header's comments)."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(0)[1:-1]], text)


def has_gaps(index: int, share: float, phase: float) -> bool:
    """Spread policies with gaps evenly: each prefix holds the share, to within one policy."""
    return math.floor((index + 1) * share + phase) > math.floor(index * share + phase)


def generate(n: int, seed: int, *, gap_share: float = 0.3, templates: list[Template] | None = None) -> Iterator[Policy]:
    """The ``n`` policies for ``seed``, one at a time."""
    if not 0.0 <= gap_share <= 1.0:
        raise ValueError("gap share must be between 0 and 1")
    templates = templates if templates is not None else load_templates()
    width = max(6, len(str(n - 1)))
    phase = random.Random(f"{SEED_TAG}:{seed}:phase").random()
    for index in range(n):
        rng = random.Random(f"{SEED_TAG}:{seed}:{index}")
        template = templates[rng.randrange(len(templates))]
        values = {"I": f"{index:0{width}d}"}
        for k, place in enumerate(make_places(rng, len(template.places))):
            prose, slug, domain = place_forms(place)
            values[f"P{k}"], values[f"S{k}"], values[f"D{k}"] = prose, slug, domain
        for k, (unit, low, high) in enumerate(template.durations):
            number = rng.randint(low, high)
            values[f"d{k}"] = f"PT{number}M" if unit == "TM" else (f"PT{number}H" if unit == "H" else f"P{number}{unit}")
        values["date"] = f"{rng.randint(2016, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        values["version"] = f"{rng.randint(1, 6)}.{rng.randint(0, 9)}"
        gaps: tuple[str, ...] = ()
        if template.gap_drops and has_gaps(index, gap_share, phase):
            choices = sorted(template.gap_drops)
            gaps = tuple(sorted(rng.sample(choices, min(len(choices), rng.randint(1, 3)))))
        dropped = frozenset().union(*(template.gap_drops[g] for g in gaps)) if gaps else frozenset()
        yield Policy(index, template, template.policy_iri.format_map(values), gaps,
                     template.triple_count - len(dropped), values, dropped)


# -- writing --------------------------------------------------------------


def _prepare_dir(out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise SystemExit(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not overwrite:
            raise SystemExit(f"{out}: the folder is not empty; use --overwrite to replace generated policies in it")
        children = sorted(out.iterdir())
        foreign = [c.name for c in children if not (c.is_dir() and c.name.isdigit())]
        if foreign:
            raise SystemExit(f"{out}: holds {', '.join(foreign[:3])}, which the generator did not write; not touching it")
        for child in children:
            shutil.rmtree(child)
    out.mkdir(parents=True, exist_ok=True)


def write(policies: Iterator[Policy], n: int, seed: int, layout: str, out: Path, *, overwrite: bool = False,
          manifest: TextIO | None = None) -> dict[str, float]:
    """Write policies in ``layout``; the counts for the summary."""
    stats = {"policies": 0, "triples": 0, "gapped": 0}
    folder_width = max(3, len(str((n - 1) // FILES_PER_FOLDER)))
    if manifest:
        manifest.write("index\tpolicy\ttemplate\ttriples\tgaps\n")

    def note(policy: Policy) -> None:
        stats["policies"] += 1
        stats["triples"] += policy.triples
        stats["gapped"] += bool(policy.gaps)
        if manifest:
            manifest.write(f"{policy.index}\t{policy.iri}\t{policy.template.name}\t{policy.triples}\t"
                           f"{','.join(policy.gaps)}\n")

    if layout == "files":
        _prepare_dir(out, overwrite)
        current = None
        for policy in policies:
            folder = out / f"{policy.index // FILES_PER_FOLDER:0{folder_width}d}"
            if folder != current:
                folder.mkdir(exist_ok=True)
                current = folder
            path = folder / f"{policy.values['I']}-{policy.template.name}.ttl"
            with path.open("w", encoding="utf-8", newline="\n") as handle:
                handle.write(policy.turtle(seed))
            note(policy)
        return stats
    if out.exists() and out.is_dir():
        raise SystemExit(f"{out}: is a folder; --layout {layout} writes one file")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        if layout == "trig":
            handle.write(f"# {n} synthetic data-sharing policies, generated by bench/generate.py (seed {seed}),\n"
                         "# one named graph per policy, named by the policy IRI.\n\n")
            for prefix, ns in PREFIXES.items():
                handle.write(f"@prefix {prefix}: <{ns}> .\n")
            handle.write("\n")
        for policy in policies:
            handle.write(policy.nquads() if layout == "nquads" else policy.trig())
            note(policy)
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate N synthetic data-sharing policies from the example policies, "
                    "deterministically, for benchmarks.",
        epilog="Example: python bench/generate.py --n 1000 --seed 7 --layout files --out /tmp/p1000")
    parser.add_argument("--n", type=int, required=True, help="number of policies (1 or more)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0); same seed, same bytes")
    parser.add_argument("--gap-share", type=float, default=0.3, metavar="SHARE",
                        help="share of policies that leave out one to three checked statements (0 to 1; default 0.3)")
    parser.add_argument("--layout", choices=("files", "nquads", "trig"), default="files",
                        help="files: one Turtle file per policy in subfolders of 1000; nquads or trig: "
                             "one file, one named graph per policy (default files)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (files) or file (nquads, trig)")
    parser.add_argument("--examples", type=Path, default=DEFAULT_EXAMPLES,
                        help="folder of template policies (default: the repository's examples/)")
    parser.add_argument("--templates", metavar="NAME,…",
                        help="use only these templates (example file names without .ttl)")
    parser.add_argument("--manifest", type=Path, metavar="FILE.tsv",
                        help="also write one line per policy: index, IRI, template, triples, gaps")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the numbered subfolders of a previous run in the output folder")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    if not 0.0 <= args.gap_share <= 1.0:
        parser.error("--gap-share must be between 0 and 1")
    started = time.perf_counter()
    templates = load_templates(args.examples, args.templates.split(",") if args.templates else None)
    policies = generate(args.n, args.seed, gap_share=args.gap_share, templates=templates)
    if args.manifest:
        with args.manifest.open("w", encoding="utf-8", newline="\n") as manifest:
            stats = write(policies, args.n, args.seed, args.layout, args.out, overwrite=args.overwrite,
                          manifest=manifest)
    else:
        stats = write(policies, args.n, args.seed, args.layout, args.out, overwrite=args.overwrite)
    elapsed = time.perf_counter() - started
    print(f"{stats['policies']} policies, {stats['triples']} triples "
          f"({stats['triples'] / stats['policies']:.1f} per policy), "
          f"{stats['gapped'] / stats['policies']:.1%} with gaps, {args.layout} -> {args.out}, {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
