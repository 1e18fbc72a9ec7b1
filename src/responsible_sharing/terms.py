"""The terms a user can name, and the one set of rules by which a name is resolved.

Every command that takes a term (``rsf explain``, ``rsf impact``, ``rsf graph
--focus``, ``--role``, ``--access-model``, ``rsf query --param``) resolves it
here. A term of the ontology, or of the vocabularies whose extracts ship with
it (DUO, DPV, ODRL, DCAT), is named by, in this order:

1. its IRI (in angle brackets or not), or a prefixed name with a prefix the
   ontology, the extracts or rsf's reports bind: ``rsf:RightToPrivacy``,
   ``obo:DUO_0000042``, ``dpv:Consent``;
2. its notation, label or alternative label, in any case: ``O-CE5-03``,
   ``R05``, ``right to privacy``;
3. the local name of one of our own terms as written (``RightToPrivacy``,
   ``accessModel``), then in any case.

The first rule that matches decides. Among the terms it matches, a term of
the Framework (one with a notation) wins over the rest of the ontology's
vocabulary, and the ontology's terms over the extracts': ``sustainability`` is
the core element CE8, not the property ``rsf:sustainability``. When terms of
the same standing remain the name is ambiguous and the error lists them; when
nothing matches, the error suggests the nearest names (:mod:`difflib` over the
sorted names, so the same suggestions every time), or else the terms a search
for its words finds.

:meth:`TermIndex.search` finds terms by the words of their names and
definitions, as OAK's ``search`` does: every word must occur (ignoring case),
and terms whose names hold all the words come before those found through
their definitions.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS, NamespaceManager
from rdflib.term import Node

from .errors import UnknownTermError
from .namespaces import RSF
from .query_output import PREFIXES
from .rdfio import parse_into
from .resources import shipped_path
from .trace import natural_key

#: the ontology folder's offline extracts of the vocabularies it reuses
EXTRACTS_DIR = "external"
#: types that say nothing about what a term is when it has another
_GENERIC_TYPES = frozenset({str(OWL.NamedIndividual), str(RDFS.Class), str(SKOS.Concept), str(OWL.Thing)})
#: how many terms a miss suggests
_SUGGESTIONS = 3
#: a miss of an option that takes one kind of term lists every term of the kind when it has no more than this
_MAX_LISTED_CHOICES = 20


@dataclass(frozen=True)
class TermEntry:
    """One nameable term and everything it can be called by."""

    iri: str
    #: its prefixed name (``rsf:CE5``), or the IRI in angle brackets when no prefix is bound for it
    prefixed_name: str
    #: what kind of term it is, as a person says it: "core element", "owl:ObjectProperty"
    kind: str
    types: frozenset[str]
    notation: str = ""
    label: str = ""
    alt_labels: tuple[str, ...] = ()
    definition: str = ""
    #: the local name, for a term of our own namespace only
    local_name: str = ""
    deprecated: bool = False
    #: among the terms one rule matches, those of the lowest priority win (see :meth:`TermIndex.find`):
    #: 0 a term of the Framework, 1 another term of the ontology, 2 a term of a vocabulary extract
    priority: int = 0

    @property
    def ident(self) -> str:
        """The shortest name that identifies it: its notation, else its prefixed name."""
        return self.notation or self.prefixed_name

    @property
    def name(self) -> str:
        """How a message names it: ``CE5 "Privacy, Data Protection and Confidentiality"``."""
        return f'{self.ident} "{self.label}"' if self.label else self.ident

    @property
    def names(self) -> tuple[str, ...]:
        """Every name it is known by, besides its IRI."""
        return tuple(n for n in (self.notation, self.label, *self.alt_labels, self.local_name, self.prefixed_name) if n)


@dataclass(frozen=True)
class SearchHit:
    entry: TermEntry
    #: "label" when its names hold every word, "definition" when some word is found only in its definition
    matched_in: str
    rank: int


def nearest(needle: str, names: dict[str, str], n: int = _SUGGESTIONS) -> list[str]:
    """The IRIs of the names (lower-cased local names, labels, notations → IRI) closest to ``needle``, best first."""
    found: list[str] = []
    for name in difflib.get_close_matches(needle.lower(), sorted(names), n=12, cutoff=0.6):
        if names[name] not in found:
            found.append(names[name])
    return found[:n]


def own_local_name(iri: str) -> str:
    """The local name of an IRI of our own namespace (``RightToPrivacy``), else ""."""
    return iri.removeprefix(str(RSF)) if iri.startswith(str(RSF)) else ""


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


class TermIndex:
    """Terms by every name they are known by; resolves a user's name for a term and searches them."""

    def __init__(self, entries: Iterable[TermEntry], prefixes: Mapping[str, str], kind_names: Mapping[str, str],
                 *, what: str = "term") -> None:
        self.entries = sorted(entries, key=lambda e: (e.priority, natural_key(e.ident), e.iri))
        self.by_iri = {e.iri: e for e in self.entries}
        self.prefixes = dict(prefixes)
        #: type IRI -> how a message names its members ("actor role")
        self.kind_names = dict(kind_names)
        #: what a miss says nothing was found of: "term", "term of the traceability graph"
        self.what = what
        self._named: dict[str, list[TermEntry]] = {}
        self._local: dict[str, list[TermEntry]] = {}
        self._local_folded: dict[str, list[TermEntry]] = {}
        for entry in self.entries:
            for name in {n.casefold() for n in (entry.notation, entry.label, *entry.alt_labels) if n}:
                self._named.setdefault(name, []).append(entry)
            if entry.local_name:
                self._local.setdefault(entry.local_name, []).append(entry)
                self._local_folded.setdefault(entry.local_name.casefold(), []).append(entry)

    # -- resolving ----------------------------------------------------------------

    def iri_of(self, text: str) -> str | None:
        """The IRI ``text`` writes: ``<IRI>``, an absolute IRI or a prefixed name with a bound prefix."""
        if text.startswith("<") and text.endswith(">"):
            return text[1:-1]
        if "://" in text or text.startswith("urn:"):
            return text
        prefix, colon, local = text.partition(":")
        if colon and prefix in self.prefixes and local and not any(c.isspace() for c in local):
            return self.prefixes[prefix] + local
        return None

    def find(self, needle: str, kinds: Collection[str] = ()) -> list[TermEntry]:
        """The terms the first matching rule gives for ``needle`` (of ``kinds``, if given), best priority only."""
        text, wanted = needle.strip(), set(kinds)
        iri = self.iri_of(text)
        rules = ([self.by_iri[iri]] if iri in self.by_iri else [], self._named.get(text.casefold(), []),
                 self._local.get(text, []), self._local_folded.get(text.casefold(), []))
        for matched in rules:
            found = [e for e in matched if not wanted or e.types & wanted]
            if found:
                best = min(e.priority for e in found)
                return [e for e in found if e.priority == best]
        return []

    def resolve(self, needle: str, kinds: Collection[str] = ()) -> TermEntry:
        """The one term ``needle`` names, of one of ``kinds`` (type IRIs) if given.

        Raises :class:`UnknownTermError` naming the nearest terms on a miss, the
        candidates when the name is ambiguous, and the term's own kind when it
        names a term of another kind.
        """
        what = " or ".join(self.kind_names.get(k, k) for k in sorted(kinds)) if kinds else self.what
        found = self.find(needle, kinds)
        if len(found) == 1:
            return found[0]
        if found:
            names = "; ".join(f"{e.name} ({e.kind})" for e in found)
            raise UnknownTermError(f"{needle!r} names more than one {what}: {names}; give its notation or prefixed name")
        other = self.find(needle) if kinds else []
        if len(other) == 1:
            raise UnknownTermError(f"{needle!r} is {other[0].name}, {_article(other[0].kind)}, not {_article(what)}; "
                                   f"{self._choices(needle, kinds)}")
        raise UnknownTermError(f"no {what} has the notation, label or IRI {needle!r}; {self._choices(needle, kinds)}")

    def _choices(self, needle: str, kinds: Collection[str]) -> str:
        """What to say after a miss: every choice of a small kind, else the nearest names."""
        pool = [e for e in self.entries if e.types & set(kinds)] if kinds else self.entries
        close = self.nearest(needle, pool) or [hit.entry for hit in self.search(needle.split(), pool)][:_SUGGESTIONS]
        guess = f"did you mean {' or '.join(e.name for e in close)}? " if close else ""
        if kinds and len(pool) <= _MAX_LISTED_CHOICES:
            return f"{guess}choose one of: " + ", ".join(e.name for e in pool)
        return f"{guess}`rsf search WORDS` finds terms by the words of their labels and definitions"

    def nearest(self, needle: str, pool: Sequence[TermEntry]) -> list[TermEntry]:
        """The terms of ``pool`` whose names are closest to ``needle``, best first."""
        names: dict[str, str] = {}
        for entry in pool:
            for name in entry.names:
                names.setdefault(name.lower(), entry.iri)
        return [self.by_iri[iri] for iri in nearest(needle.strip(), names, _SUGGESTIONS)]

    # -- searching ----------------------------------------------------------------

    def search(self, words: Sequence[str], pool: Sequence[TermEntry] | None = None) -> list[SearchHit]:
        """The terms whose names or definition hold every word (ignoring case), best first.

        First the terms one of whose names is the words themselves, then those
        whose names hold every word, then those found through their definition;
        within each, the Framework's terms, then the rest of the ontology's,
        then the extracts'; then the term whose shortest name holding the words
        is shortest (the closest match), then notation order.
        """
        folded = [w.casefold() for w in words if w.strip()]
        if not folded:
            return []
        phrase = " ".join(folded)
        hits = []
        for entry in self.entries if pool is None else pool:
            names = [n.casefold() for n in entry.names]
            holding = [len(n) for n in names if all(w in n for w in folded)]
            in_names = all(any(w in n for n in names) for w in folded)
            if not in_names and not all(any(w in n for n in names) or w in entry.definition.casefold() for w in folded):
                continue
            rank = 0 if phrase in names else 1 if in_names else 2
            hits.append((SearchHit(entry, "label" if in_names else "definition", rank), min(holding, default=0)))
        hits.sort(key=lambda h: (h[0].rank, h[0].entry.priority, h[0].entry.deprecated, h[1],
                                 natural_key(h[0].entry.ident), h[0].entry.iri))
        return [hit for hit, _ in hits]


# ---------------------------------------------------------------------------
# The index of the ontology (and of the vocabulary extracts)
# ---------------------------------------------------------------------------


def _texts(graphs: Sequence[Graph], subject: URIRef, *props: URIRef) -> list[str]:
    """The English (or untagged) values of ``props``, in the order of ``props``, each sorted."""
    out: list[str] = []
    for prop in props:
        values = {str(v) for g in graphs for v in g.objects(subject, prop)
                  if isinstance(v, Literal) and v.language in ("en", None)}
        out.extend(v for v in sorted(values) if v not in out)
    return out


def _namespace_manager(prefixes: Mapping[str, str]) -> NamespaceManager:
    names = NamespaceManager(Graph(bind_namespaces="none"), bind_namespaces="none")
    for prefix, namespace in prefixes.items():
        names.bind(prefix, namespace, override=False)
    return names


def _entries(graphs: Sequence[Graph], prefixes: Mapping[str, str], kind_names: Mapping[str, str]) -> list[TermEntry]:
    """An entry for every IRI typed in ``graphs``, except ontology headers; those typed in the first come first."""
    shorten = _namespace_manager(prefixes)
    typed: dict[URIRef, set[str]] = {}
    for graph in graphs:
        for subject, cls in graph.subject_objects(RDF.type):
            if isinstance(subject, URIRef) and isinstance(cls, URIRef):
                typed.setdefault(subject, set()).add(str(cls))
    entries = []
    for subject, types in typed.items():
        if str(OWL.Ontology) in types:
            continue
        shown = (types - _GENERIC_TYPES) or types
        labels = _texts(graphs, subject, RDFS.label, SKOS.prefLabel)
        iri = str(subject)
        entries.append(TermEntry(
            iri=iri,
            prefixed_name=shorten.normalizeUri(subject),
            kind=", ".join(sorted(kind_names.get(t) or shorten.normalizeUri(URIRef(t)) for t in shown)),
            types=frozenset(types),
            notation=next(iter(_texts(graphs, subject, SKOS.notation)), ""),
            label=labels[0] if labels else "",
            alt_labels=tuple(labels[1:] + [a for a in _texts(graphs, subject, SKOS.altLabel) if a not in labels]),
            definition=next(iter(_texts(graphs, subject, SKOS.definition, RDFS.comment)), ""),
            local_name=own_local_name(iri),
            deprecated=any(g.value(subject, OWL.deprecated) == Literal(True) for g in graphs),
            priority=(0 if graphs[0].value(subject, SKOS.notation) is not None else 1)
            if (subject, RDF.type, None) in graphs[0] else 2,
        ))
    return entries


@lru_cache(maxsize=1)
def vocabulary_extracts() -> Graph:
    """The shipped extracts of DUO, DPV, ODRL and DCAT (types, labels, hierarchy)."""
    extracts = Graph()
    with shipped_path("ontology") as folder:
        for path in sorted((folder / EXTRACTS_DIR).glob("*.ttl")):
            parse_into(extracts, path)
    return extracts


def _kind_names(graph: Graph) -> dict[str, str]:
    """Class IRI -> its English label, for our own classes: what a message calls their members."""
    return {str(cls): label for cls in graph.subjects(RDF.type, OWL.Class)
            if isinstance(cls, URIRef) and str(cls).startswith(str(RSF))
            and (label := next(iter(_texts([graph], cls, RDFS.label)), ""))}


@lru_cache(maxsize=4)
def term_index(ontology: Graph, *, extracts: bool = True) -> TermIndex:
    """Every term of ``ontology`` and, with ``extracts``, of the shipped vocabulary extracts."""
    prefixes = dict(PREFIXES)  # the prefixes rsf's own reports write, which a user copies from them
    for graph in (ontology, vocabulary_extracts()) if extracts else (ontology,):
        for prefix, namespace in graph.namespaces():
            if prefix:
                prefixes.setdefault(prefix, str(namespace))
    kinds = _kind_names(ontology)
    return TermIndex(_entries([ontology, vocabulary_extracts()] if extracts else [ontology], prefixes, kinds),
                     prefixes, kinds)


def resolve_term(ontology: Graph, needle: str, kinds: Collection[Node] = ()) -> TermEntry:
    """The term of ``ontology`` (or of the vocabulary extracts) that ``needle`` names, of one of ``kinds`` if given.

    ``kinds`` are classes of the ontology (``rsf:ActorRole``), so a name
    restricted to them is looked up without the extracts.
    """
    return term_index(ontology, extracts=not kinds).resolve(needle, {str(k) for k in kinds})


__all__ = ["SearchHit", "TermEntry", "TermIndex", "nearest", "own_local_name", "resolve_term", "term_index", "vocabulary_extracts"]
