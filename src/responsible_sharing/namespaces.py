"""The project's own namespaces, for code that names our terms."""

from rdflib import Namespace

RSF = Namespace("https://w3id.org/rsf/")
RSFSH = Namespace("https://w3id.org/rsf/shapes/")
