"""A seeded generator of malformed and hostile RDF inputs, by category.

``generate(seed, count, ...)`` gives the same cases for the same arguments.
Every case that names something to load points either at the logging server
(``server``) or at the planted secret file (``secret``): a run that reaches
either has broken the reader's promise (docs/security.md).

Categories:

* ``mutate``: an example policy in each syntax, truncated, with bytes
  flipped, spans deleted or duplicated, or a hostile token spliced in;
* ``encoding``: the same text as UTF-16 (with and without byte-order mark),
  UTF-32, Latin-1, or with stray invalid bytes;
* ``xml``: DOCTYPEs with internal, external (file and http) and parameter
  entities and entity bombs, in UTF-8 and UTF-16;
* ``jsonld``: contexts naming documents at every depth;
* ``size``: deep nesting of lists, blank nodes and JSON, long literals,
  deep ``rdf:XMLLiteral`` and ``rdf:HTML``, many prefixes;
* ``paths``: a valid policy under an odd name (spaces, non-ASCII, bytes that
  are not UTF-8, 240 characters, a leading dash, no or an upper-case suffix),
  behind a symbolic link, or in a folder holding a symbolic link loop, a
  dangling link and a named pipe (:func:`place` lays each case out).
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

ROOT = Path(__file__).resolve().parent.parent
POLICY = "https://w3id.org/rsf/DataSharingPolicy"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: rdflib format -> file suffix, for the syntaxes rsf reads
SYNTAXES = {"turtle": ".ttl", "nt": ".nt", "xml": ".rdf", "json-ld": ".jsonld", "trig": ".trig", "nquads": ".nq"}
CATEGORIES = ("mutate", "encoding", "xml", "jsonld", "size", "paths")
#: how a ``paths`` case is laid out on disk (see :func:`place`)
LAYOUTS = ("spaces", "unicode", "bytes", "long", "dash", "no-suffix", "upper-suffix", "symlink", "loop-folder")


@dataclass(frozen=True)
class Case:
    name: str
    suffix: str
    data: bytes
    layout: str = "file"


@lru_cache(maxsize=1)
def base_documents() -> dict[str, bytes]:
    """One example policy written in every syntax."""
    dataset = Dataset()
    dataset.graph(URIRef("https://example.org/graph/funder")).parse(ROOT / "examples" / "funder-data-sharing-policy.ttl")
    graph = Graph()
    for quad in dataset.quads((None, None, None, None)):
        graph.add(quad[:3])
    return {fmt: (dataset if fmt in ("trig", "nquads") else graph).serialize(format=fmt, encoding="utf-8")
            for fmt in SYNTAXES}


def generate(seed: int, count: int, server: str, secret: Path) -> list[Case]:
    """``count`` cases, the categories taken in turn, each drawn from ``random.Random(seed)``."""
    rng = random.Random(seed)
    makers = {"mutate": _mutate, "encoding": _encoding, "xml": _xml, "jsonld": _jsonld, "size": _size, "paths": _paths}
    cases = []
    for number in range(count):
        category = CATEGORIES[number % len(CATEGORIES)]
        label, suffix, data = makers[category](rng, server, secret)
        layout = label.split("-", 1)[1] if category == "paths" else "file"
        cases.append(Case(f"{number:04d}-{category}-{label}", suffix, data, layout))
    return cases


def place(case: Case, folder: Path) -> tuple[str, str]:
    """Lay ``case`` out in the empty ``folder``: the argument to give rsf, and the name an error must hold
    (the policy file's, or the folder's for a folder)."""
    stem, suffix = case.name, case.suffix
    if case.layout == "spaces":
        stem = f"{case.name} policy (draft) v2"
    elif case.layout == "unicode":
        stem = f"{case.name}-politique-confidentialité-名前"
    elif case.layout == "long":
        stem = case.name + "p" * (240 - len(case.name))
    elif case.layout == "dash":
        stem = "-" + case.name
    elif case.layout == "no-suffix":
        suffix = ""
    elif case.layout == "upper-suffix":
        suffix = suffix.upper()
    name = os.fsdecode(os.fsencode(stem) + b"-\xff\xfe" + os.fsencode(suffix)) if case.layout == "bytes" else stem + suffix
    if case.layout == "loop-folder":
        folder = folder / "policies"
        folder.mkdir()
        (folder / "loop").symlink_to(".", target_is_directory=True)
        (folder / "dangling.ttl").symlink_to("missing.ttl")
        os.mkfifo(folder / "pipe.ttl")  # a reader that opened it would wait for a writer forever
    (folder / name).write_bytes(case.data)
    if case.layout == "symlink":
        (folder / f"link-{name}").symlink_to(name)
        return str(folder / f"link-{name}"), f"link-{name}"
    if case.layout == "loop-folder":
        return str(folder), folder.name
    return str(folder / name), name


def _hostile_tokens(server: str, secret: Path) -> list[bytes]:
    return [t.encode("utf-8") for t in (
        f'<!DOCTYPE r [<!ENTITY e SYSTEM "{secret.as_uri()}">]>', f'<!DOCTYPE r SYSTEM "{server}/dtd">',
        f'"@context": "{server}/ctx",', f'"@context": {{"@import": "{secret.as_uri()}"}},',
        f"<{server}/iri>", f"@base <{secret.as_uri()}> .",
        f"<{server}/o> <http://www.w3.org/2002/07/owl#imports> <{server}/onto> .",
        f"<x> <http://www.w3.org/2002/07/owl#imports> <{secret.as_uri()}> .", "<<( <a> <b> <c> )>>", '"""', "\\u0000", "]]>",
        "&e;", "\x00", "\ufeff", "@prefix : <", "[ [ [ [", "( ( ( (", '"x"^^<' + RDF_NS + 'XMLLiteral>',
    )] + [b"\xff", b"\xc3", b"\xed\xa0\x80"]


def _mutate(rng: random.Random, server: str, secret: Path) -> tuple[str, str, bytes]:
    fmt = rng.choice(list(SYNTAXES))
    data = bytearray(base_documents()[fmt])
    how = rng.choice(["truncate", "flip", "delete", "duplicate", "splice"])
    at = rng.randrange(len(data))
    if how == "truncate":
        del data[at:]
    elif how == "flip":
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif how == "delete":
        del data[at : at + rng.randint(1, 200)]
    elif how == "duplicate":
        data[at:at] = data[at : at + rng.randint(1, 2000)] * rng.randint(2, 50)
    else:
        data[at:at] = rng.choice(_hostile_tokens(server, secret))
    return f"{how}-{fmt}", SYNTAXES[fmt], bytes(data)


def _encoding(rng: random.Random, server: str, secret: Path) -> tuple[str, str, bytes]:
    fmt = rng.choice(list(SYNTAXES))
    text = base_documents()[fmt].decode("utf-8") + '\n<!-- "Zürich – naïve" -->\n' * (fmt == "xml")
    encoding = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "stray"])
    if encoding == "stray":
        data = bytearray(text.encode("utf-8"))
        data[rng.randrange(len(data)):0] = rng.choice([b"\xff", b"\xc3(", b"\xe2\x82", b"\xf8\x88\x80\x80\x80"])
        return f"stray-{fmt}", SYNTAXES[fmt], bytes(data)
    return f"{encoding}-{fmt}", SYNTAXES[fmt], text.encode(encoding, errors="replace")


def _xml(rng: random.Random, server: str, secret: Path) -> tuple[str, str, bytes]:
    bomb = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    doctypes = {
        "internal": '<!DOCTYPE r [<!ENTITY e "expanded">]>',
        "file": f'<!DOCTYPE r [<!ENTITY e SYSTEM "{secret.as_uri()}">]>',
        "http": f'<!DOCTYPE r [<!ENTITY e SYSTEM "{server}/entity">]>',
        "parameter": f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{server}/p.dtd"> %p;]>',
        "external-dtd": f'<!DOCTYPE rdf:RDF SYSTEM "{server}/x.dtd">',
        "bomb": f"<!DOCTYPE r [{bomb}]>",
    }
    kind = rng.choice(list(doctypes))
    entity = "&l9;" if kind == "bomb" else "&e;"
    text = (f'<?xml version="1.0"?>\n{doctypes[kind]}\n<rdf:RDF xmlns:rdf="{RDF_NS}">'
            f'<rdf:Description rdf:about="http://example.org/policy"><rdf:type rdf:resource="{POLICY}"/>'
            f"<rdf:value>{entity}</rdf:value></rdf:Description></rdf:RDF>\n")
    encoding = rng.choice(["utf-8", "utf-16", "utf-16-le", "utf-16-be"])
    if encoding != "utf-8":
        text = text.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
                            if rng.random() < 0.5 else "")
    return f"{kind}-{encoding}", ".rdf", text.encode(encoding)


def _jsonld(rng: random.Random, server: str, secret: Path) -> tuple[str, str, bytes]:
    url = rng.choice([f"{server}/context.jsonld", secret.as_uri(), f"../{secret.parent.name}/{secret.name}",
                      secret.as_uri().replace("file://", "file:"), f"{server}/a?b#c"])
    wrappers = {
        "top": lambda u: u,
        "list": lambda u: [{"x": "http://example.org/x#"}, u],
        "import": lambda u: {"@version": 1.1, "@import": u},
        "scoped-term": lambda u: {"p": {"@id": "http://example.org/p", "@context": u}},
        "scoped-import": lambda u: {"p": {"@id": "http://example.org/p", "@context": {"@import": u}}},
        "nested-list": lambda u: [[u]],
    }
    depth = rng.randint(0, 4)
    kind = rng.choice(list(wrappers))
    context = wrappers[kind](url)
    node: dict = {"@context": context, "p": {"@id": "http://example.org/x"}}
    for _ in range(depth):  # the context on a node deep inside the document
        node = {"http://example.org/q": node}
    document = {"@id": "http://example.org/policy", "@type": POLICY, **node}
    return f"{kind}-depth{depth}", ".jsonld", json.dumps(document).encode("utf-8")


def _size(rng: random.Random, server: str, secret: Path) -> tuple[str, str, bytes]:
    head = f"<http://example.org/policy> a <{POLICY}> ;\n  <http://example.org/p> "
    depth = rng.choice([200, 2000, 20000])
    kind = rng.choice(["blank", "list", "json", "literal", "xmlliteral", "html", "prefixes", "many-policies"])
    if kind == "blank":
        return f"blank-{depth}", ".ttl", (head + "[ <http://example.org/q> " * depth + "1" + " ]" * depth + " .\n").encode()
    if kind == "list":
        return f"list-{depth}", ".ttl", (head + "( " * depth + "1" + " )" * depth + " .\n").encode()
    if kind == "json":
        body = '{"http://example.org/q": ' * depth + "1" + "}" * depth
        return f"json-{depth}", ".jsonld", f'{{"@id": "http://example.org/policy", "@type": "{POLICY}", "http://example.org/p": {body}}}'.encode()
    if kind == "literal":
        return "literal-4MB", ".ttl", (head + '"' + "x" * 4_000_000 + '" .\n').encode()
    if kind in ("xmlliteral", "html"):
        tag, datatype = ("a", "XMLLiteral") if kind == "xmlliteral" else ("div", "HTML")
        content = f"<{tag}>" * depth + f"</{tag}>" * depth
        return f"{kind}-{depth}", ".ttl", (head + f'"{content}"^^<{RDF_NS}{datatype}> .\n').encode()
    if kind == "prefixes":
        lines = "".join(f"@prefix p{i}: <http://example.org/ns{i}/> .\n" for i in range(depth))
        return f"prefixes-{depth}", ".ttl", (lines + f"p1:policy a <{POLICY}> .\n").encode()
    policies = {200: 1, 2000: 10, 20000: 50}[depth]  # empty policies: ~40 findings each, a large report
    lines = "".join(f"<http://example.org/p{i}> a <{POLICY}> .\n" for i in range(policies))
    return f"many-policies-{policies}", ".ttl", lines.encode()


def _paths(rng: random.Random, server: str, secret: Path) -> tuple[str, str, bytes]:
    fmt = rng.choice(list(SYNTAXES))
    return f"layout-{rng.choice(LAYOUTS)}", SYNTAXES[fmt], base_documents()[fmt]
