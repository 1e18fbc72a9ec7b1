"""`rsf docs -o DIR`: a static site of the model that a person browses offline.

The site is built once for the module. Every href and src of every page is
checked to resolve (file and anchor); then a real browser (Debian's headless
Chromium) opens pages from file:// and runs the search, as a reader would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import OWL

from hostile import run_rsf_inprocess
from responsible_sharing.namespaces import RSF
from responsible_sharing.queries import stored_query, stored_query_names
from responsible_sharing.validate import engine


_VOID = {"meta", "link", "input", "br", "img", "hr"}


class _Page(HTMLParser):
    """The ids, the links (href/src/action) and the text of one HTML page, and in which element each link is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.attrs: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        #: element id -> the hrefs of the links inside it, and its text
        self.inside: dict[str, list[str]] = {}
        self.text_in: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.attrs.append((tag, found))
        if found.get("id"):
            self.ids.add(found["id"])  # type: ignore[arg-type]
        for name in ("href", "src", "action"):
            if found.get(name) is not None:
                self.links.append(found[name])  # type: ignore[arg-type]
        if tag == "a" and found.get("href"):
            for element in self._open:
                self.inside.setdefault(element, []).append(found["href"])  # type: ignore[arg-type]
        if tag not in _VOID:
            self._open.append(found.get("id") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data.strip())
        for element in filter(None, self._open):
            self.text_in[element] = self.text_in.get(element, "") + data

    def hrefs(self) -> set[str]:
        return {a["href"] for tag, a in self.attrs if tag == "a" and a.get("href")}  # type: ignore[misc]


def _parse(path: Path) -> _Page:
    return _Page(path.read_text(encoding="utf-8"))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docs") / "site"
    outcome = run_rsf_inprocess("docs", "-o", str(folder))
    assert outcome.code == 0, outcome.output
    assert "index.html" in outcome.stdout
    assert outcome.accesses == [], "rsf docs goes to no network"
    return folder


@pytest.fixture(scope="module")
def pages(site) -> dict[str, _Page]:
    """Every page of the site, parsed."""
    return {path.name: _parse(path) for path in sorted(site.glob("*.html"))}


def _local(iri: object) -> str:
    return str(iri).removeprefix(str(RSF))


def test_a_page_for_every_term_shape_and_query(site, pages, graph):
    kinds = (RSF.HumanRight, RSF.LegalProvision, RSF.Principle, RSF.CoreElement, RSF.Obligation, RSF.ActorRole,
             RSF.SourceClause)
    for kind in kinds:
        members = list(graph.subjects(RDF.type, kind))
        assert members
        for member in members:
            page = f"{_local(member)}.html"
            assert page in pages, f"no page for {member}"
            assert str(graph.value(member, RDFS.label)) in pages[page].text
    for shape in engine().checks:
        assert f"shape-{shape.rsplit('/', 1)[-1]}.html" in pages
    for name in stored_query_names():
        assert pages[f"query-{name}.html"].text_in["query-text"] == stored_query(name).text
    assert {"class-Obligation.html", "property-derivesFrom.html"} <= set(pages)
    index = pages["index.html"].hrefs()
    for obligation in graph.subjects(RDF.type, RSF.Obligation):
        assert f"{_local(obligation)}.html" in index


def test_every_link_of_every_page_resolves(site, pages):
    internal = external = 0
    for name, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                external += 1
                continue
            assert not parts.scheme and not parts.netloc, f"{name}: {link} is neither a page of the site nor a web address"
            target = unquote(parts.path) or name
            assert (site / target).is_file(), f"{name}: {link} points at a missing file"
            if parts.fragment:
                assert target in pages and parts.fragment in pages[target].ids, f"{name}: {link} has no such anchor"
            internal += 1
    assert internal > 10 * len(pages) and external > 0


def test_links_go_up_and_down_the_spine_with_basis_and_source(site, pages, graph):
    obligation = pages["O-CE5-03.html"]
    links = obligation.hrefs()
    clauses = list(graph.objects(RSF["O-CE5-03"], RSF.statedIn))
    assert {"CE5.html", "P1.html", "RightToPrivacy.html", "shape-O-CE5-03.html"} <= links
    assert {f"{_local(c)}.html" for c in clauses} <= links
    text = " ".join(obligation.text)
    for clause in clauses:
        assert str(graph.value(clause, RSF.locator)) in text, "the clause's citation is shown"
    assert "https://www.ga4gh.org/framework" in links

    element = pages["CE5.html"]
    assert "O-CE5-03.html" in element.hrefs(), "the element lists the obligations below it"
    basis_of_serves = next(
        graph.value(axiom, RSF.basis) for axiom in graph.subjects(OWL.annotatedSource, RSF.CE5)
        if graph.value(axiom, OWL.annotatedProperty) == RSF.serves and graph.value(axiom, OWL.annotatedTarget) == RSF.P1
    )
    row = (site / "CE5.html").read_text(encoding="utf-8").split('<a href="P1.html"', 1)[1].split("</tr>", 1)[0]
    assert f'<span class="basis basis-{_local(basis_of_serves)}"' in row
    assert str(graph.value(basis_of_serves, RDFS.label)) in row

    right = pages["RightToPrivacy.html"]
    assert {f"{_local(p)}.html" for p in graph.objects(RSF.RightToPrivacy, RSF.recognisedIn)} <= right.hrefs()
    assert {f"{_local(p)}.html" for p in graph.subjects(RSF.groundedIn, RSF.RightToPrivacy)} <= right.hrefs()
    assert "O-CE5-03.html" in right.hrefs(), "down from the right to the obligations resting on it"

    role = pages["DataCustodian.html"]
    assert {f"{_local(o)}.html" for o in graph.subjects(RSF.bearer, RSF.DataCustodian)
            if (o, OWL.deprecated, None) not in graph} <= role.hrefs()

    shape = (site / "shape-O-CE5-03.html").read_text(encoding="utf-8")
    message = str(engine().shapes.value(URIRef("https://w3id.org/rsf/shapes/O-CE5-03"), URIRef(
        "http://www.w3.org/ns/shacl#message")))
    assert 'href="O-CE5-03.html"' in shape and "Violation" in shape and message in shape


def test_the_same_model_gives_the_same_bytes_and_force_replaces_only_a_site(site, tmp_path):
    before = _snapshot(site)
    again = run_rsf_inprocess("docs", "-o", str(site))
    assert again.code == 2 and "--force" in again.stderr and str(site) in again.stderr
    replaced = run_rsf_inprocess("docs", "-o", str(site), "--force")
    assert replaced.code == 0, replaced.output
    assert _snapshot(site) == before
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".")], "no building folder is left beside it"

    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("keep me", encoding="utf-8")
    refused = run_rsf_inprocess("docs", "-o", str(other), "--force")
    assert refused.code == 2 and str(other) in refused.stderr and "not empty" in refused.stderr
    assert [p.name for p in other.iterdir()] == ["mine.txt"]
    a_file = tmp_path / "file.html"
    a_file.write_text("x", encoding="utf-8")
    assert run_rsf_inprocess("docs", "-o", str(a_file)).code == 2
    inside_a_file = run_rsf_inprocess("docs", "-o", str(a_file / "site"))
    assert inside_a_file.code == 2 and f"{a_file} is a file" in inside_a_file.stderr


def test_a_failure_leaves_no_half_site(ontology_copy, tmp_path):
    with (ontology_copy / "obligations.ttl").open("a", encoding="utf-8") as module:
        module.write("\nrsf:Broken a \n")
    target = tmp_path / "out" / "site"
    outcome = run_rsf_inprocess("docs", "-o", str(target), "--ontology", str(ontology_copy))
    assert outcome.code == 2 and "obligations.ttl" in outcome.stderr and "Traceback" not in outcome.stderr
    assert not target.exists()


def test_a_site_that_cannot_be_put_in_place_leaves_the_earlier_one(tmp_path, monkeypatch):
    from responsible_sharing import site as site_module

    earlier = tmp_path / "site"
    earlier.mkdir()
    (earlier / "index.html").write_text(f'<meta name="generator" content="{site_module.GENERATOR} 0.1">', encoding="utf-8")
    before = _snapshot(earlier)
    monkeypatch.setattr(site_module, "render_site", lambda ontology_dir: {"index.html": b"new", "a.html": b"new"})

    def full_disk(building: Path, output: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_module, "_swap_into_place", full_disk)
    outcome = run_rsf_inprocess("docs", "-o", str(earlier), "--force")
    assert outcome.code == 2, outcome.output
    assert str(earlier) in outcome.stderr and "No space left on device" in outcome.stderr
    assert _snapshot(earlier) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "the half-built folder is removed"


# ---------------------------------------------------------------------------
# In a real browser
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium; installed with apt-get when missing and running as root, else the browser tests skip."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium, as root); not installed")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    tail = ""
    for command in (["apt-get", "install", "-y", "chromium"], ["apt-get", "update"],
                    ["apt-get", "install", "-y", "chromium"]):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1200)
        tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or [""]
        if command[1] == "install" and done.returncode == 0 and shutil.which("chromium"):
            return shutil.which("chromium")  # type: ignore[return-value]
    pytest.skip(f"browser tests need Debian's chromium, and apt-get could not install it: {tail[0]}")


def _browse(chromium: str, page: Path, profile: Path, query: str = "") -> tuple[_Page, str]:
    """The DOM after the page's scripts ran, and what the browser logged (console messages included)."""
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri() + query],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return _Page(done.stdout), done.stderr


def test_the_browser_search_finds_an_obligation_by_a_word_of_its_label(site, chromium, tmp_path, graph):
    label = str(graph.value(RSF["O-CE1-09"], RDFS.label))
    assert "withdraw" in label.split()
    dom, log = _browse(chromium, site / "search.html", tmp_path, "?q=Withdraw")
    results = dom.inside.get("results", [])
    assert results and results[0] == "O-CE1-09.html", "a label match comes first"
    assert all((site / href).is_file() for href in results)
    assert ":CONSOLE" not in log, log


@pytest.mark.parametrize(("name", "shown"), [("index.html", "O-CE5-03"), ("O-CE5-03.html", "O-CE5-03"),
                                              ("RightToPrivacy.html", "RightToPrivacy")])
def test_pages_open_in_the_browser_without_script_errors(site, chromium, tmp_path, graph, name, shown):
    dom, log = _browse(chromium, site / name, tmp_path)
    assert [a.get("data-script") for tag, a in dom.attrs if tag == "html"] == ["ran"], "the page's script ran to its end"
    assert ":CONSOLE" not in log, log  # an uncaught error, or a script or style sheet that failed to load
    assert str(graph.value(RSF[shown], RDFS.label)) in " ".join(dom.text)
