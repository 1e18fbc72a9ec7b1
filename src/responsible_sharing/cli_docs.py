"""`rsf docs`: the ontology's documentation as a static HTML site.

Kept apart from :mod:`responsible_sharing.cli`, which adds it with
:func:`register`; the work is done by :mod:`responsible_sharing.site`.
"""

from __future__ import annotations

from pathlib import Path

import click

from .cli_options import ontology_option
from .site import build_site


@click.command("docs")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Folder to write the site to. It must be new or empty, or hold a site rsf docs wrote before "
              "(then give --force). The site is built beside it and renamed into place, so a failure leaves "
              "no half site.")
@click.option("--force", is_flag=True,
              help="Replace the site already in DIR. A folder holding anything else is never replaced.")
@ontology_option
def docs(output: Path, force: bool, ontology_dir: Path | None) -> None:
    """Write the model's documentation as a static HTML site to DIR.

    One page for every human right, provision, principle, core element,
    obligation, actor role, source clause, class and property of the
    ontology, every policy shape and every stored query, with an index by
    kind and a search page. Each link of the spine (right, principle, core
    element, obligation, role, shape) is shown from both ends with its basis
    (stated by the Framework or a GA4GH policy, or this project's
    interpretation) and where the term at the other end is written.

    The site needs no server and no network: open DIR/index.html in a
    browser, also from file://. The same ontology gives the same bytes.
    """
    pages = build_site(output, ontology_dir, replace=force)
    click.echo(f"wrote {pages} pages to {output}; open {output / 'index.html'}")


def register(cli: click.Group) -> None:
    """Add ``rsf docs`` to the ``rsf`` command group."""
    cli.add_command(docs)
