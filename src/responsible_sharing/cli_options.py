"""Command-line options that more than one rsf command module uses."""

from __future__ import annotations

from pathlib import Path

import click

ontology_option = click.option(
    "--ontology",
    "ontology_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Ontology folder to use (it must hold rsf.ttl and catalog-v001.xml). "
    "Default: the ontology shipped with rsf. Point it at your checkout's ontology/ while you edit.",
)
