"""The catalogue: every sphere's dataset and its revisions in DCAT, as JSON-LD that a CKAN harvester reads.

A sphere is a ``dcat:Dataset`` (its landing page the sphere's page); each revision, in each format of
``DISTRIBUTED``, is a ``dcat:Distribution`` whose ``dcat:accessURL`` and ``dcat:downloadURL`` are the stable
address ``/spheres/{key}/revisions/{n}/{format}.{extension}``: a revision never changes, so neither does the
file there. ckanext-dcat's JSON-LD profile maps ``dct:title``, ``dct:description``, ``dcat:keyword``,
``dct:publisher``, ``dct:license``, ``dct:modified``, ``owl:versionInfo`` and the distributions' ``dcat:mediaType``
and URLs to CKAN's fields. The licence and the publisher are configurable (``RENKEI_LICENSE_URL``,
``RENKEI_LICENSE_NAME``, ``RENKEI_PUBLISHER``); the default is CC BY 4.0, the usual licence of Japanese open
data, since the tables are public records.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from renkei import render as registry
from renkei.render.datapackage import CC_BY, Licence
from renkei.store import RevisionInfo, SphereInfo

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# The formats each revision is listed in: the data package first (everything, with its schema), the tables
# data users open, and the printable PDF.
DISTRIBUTED = ("datapackage", "csv", "csv-cp932", "csv-long", "xlsx", "json", "pdf")
MEDIA_TYPE = "application/ld+json"


@dataclass(frozen=True)
class Publishing:
    """Who publishes and under which licence (from the environment, else renkei's defaults)."""

    licence: Licence
    publisher: str

    @classmethod
    def from_env(cls) -> Publishing:
        url = os.environ.get("RENKEI_LICENSE_URL")
        licence = Licence(os.environ.get("RENKEI_LICENSE_NAME", url or ""), "", url) if url else CC_BY
        return cls(licence, os.environ.get("RENKEI_PUBLISHER", "renkei"))


def file_name(renderer: registry.Renderer) -> str:
    """The file of a revision in one format, at its stable address: ``xlsx.xlsx``, ``csv-cp932.csv``."""
    return f"{renderer.name}.{renderer.extension}"


def revision_url(base: str, key: str, number: int, renderer: registry.Renderer) -> str:
    return f"{base}/spheres/{key}/revisions/{number}/{file_name(renderer)}"


def _formats() -> list[registry.Renderer]:
    usable = {r.name: r for r in registry.usable()}
    return [usable[name] for name in DISTRIBUTED if name in usable]


def _date(value: str) -> dict[str, str]:
    return {"@value": value, "@type": "xsd:date"}


def distribution(base: str, info: SphereInfo, revision: RevisionInfo, renderer: registry.Renderer) -> dict[str, Any]:
    url = revision_url(base, info.key, revision.number, renderer)
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": f"{info.name} 第{revision.number}版（{revision.effective_on.isoformat()} 適用）{renderer.name}",
        "dct:format": renderer.name,
        "dcat:mediaType": renderer.media_type.split(";")[0],
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:issued": _date(revision.effective_on.isoformat()),
        "owl:versionInfo": str(revision.number),
    }


def dataset(base: str, info: SphereInfo, history: list[RevisionInfo], publishing: Publishing) -> dict[str, Any]:
    """A sphere's dataset with every revision's distributions, newest first."""
    central = "・".join(c.name for c in info.central_cities)  # two in a 複眼型 sphere
    described = f"{info.name}（{info.kind.value}）の連携事業一覧。" + (f"中心市: {central}。" if central else "")
    found: dict[str, Any] = {
        "@id": f"{base}/spheres/{info.key}",
        "@type": "dcat:Dataset",
        "dct:identifier": info.key,
        "dct:title": info.name,
        "dct:description": described + f"版 {len(history)} 件。",
        "dcat:keyword": ["連携事業", info.kind.value, *([info.prefecture] if info.prefecture else [])],
        "dcat:landingPage": {"@id": f"{base}/spheres/{info.key}"},
        "dct:publisher": _publisher(base, publishing),
        "dct:license": {"@id": publishing.licence.path},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/JPN"},
        "dcat:distribution": [
            distribution(base, info, revision, renderer)
            for revision in sorted(history, key=lambda r: -r.number)
            for renderer in _formats()
        ],
    }
    if info.latest is not None:
        found["dct:modified"] = _date(info.latest.effective_on.isoformat())
        found["owl:versionInfo"] = str(info.latest.number)
    return found


def _publisher(base: str, publishing: Publishing) -> dict[str, Any]:
    return {"@id": f"{base}/#publisher", "@type": "foaf:Agent", "foaf:name": publishing.publisher}


def catalog(base: str, spheres: list[tuple[SphereInfo, list[RevisionInfo]]], publishing: Publishing) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@id": f"{base}/catalog",
        "@type": "dcat:Catalog",
        "dct:title": "renkei 連携事業レジストリ",
        "dct:description": "定住自立圏・連携中枢都市圏の連携事業一覧と、その版の履歴。",
        "dct:publisher": _publisher(base, publishing),
        "dct:license": {"@id": publishing.licence.path},
        "foaf:homepage": {"@id": f"{base}/"},
        "dcat:dataset": [dataset(base, info, history, publishing) for info, history in spheres],
    }


def embedded(data: dict[str, Any]) -> str:
    """JSON-LD to put in a page's ``<script type="application/ld+json">``: nothing in it can close the element
    (a sphere's name is anybody's text), so < > & are escaped as JSON allows."""
    text = json.dumps({"@context": CONTEXT, **data}, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
