"""Schemathesis over /openapi.json against the app in process: no operation answers with a server error,
whatever the schema allows (and much it does not) is sent, signed in or not.

Path parameters are the generated ones or, half the time, names the registry knows (the seed's sphere, a town's
code, a present project, a chart kind, a format), so that the generated queries and bodies reach past the 404s.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi

from renkei.publish.charts import CHARTS
from renkei.render import renderers
from renkei.store import Store
from renkei.web.app import create_app
from seedfacts import SeedFacts
from webdata import ADMIN, ESCAPE_KEY, KEY, fill

EXAMPLES = 25

# The schema is read when the tests are collected (schemathesis makes one test per operation from it), from an
# app over an empty in-memory registry; the module's fixture then puts the filled registry behind the same app.
APP = create_app(Store.open("sqlite://"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def registry(tmp_path_factory: pytest.TempPathFactory, seed_path: Path, facts: SeedFacts) -> Iterator[str]:
    """The filled registry behind APP for this module's tests; an administrator's API token."""
    url = f"sqlite:///{tmp_path_factory.mktemp('schemathesis') / 'registry.db'}"
    fill(url, seed_path, facts)
    store = Store.open(url)
    empty = APP.state.store
    APP.state.store = store
    try:
        _, token = store.accounts.create_token(ADMIN, "schemathesis")
        yield token
    finally:
        APP.state.store = empty
        store.close()


@pytest.fixture(scope="module", autouse=True)
def known_names(registry: str, facts: SeedFacts) -> None:
    """Path parameters: half the time a name the registry knows instead of the generated one."""
    vision = APP.state.store.vision(KEY)
    codes = [m.code for m in vision.municipalities if m.code]
    KNOWN.update(
        {
            "key": [KEY, ESCAPE_KEY],
            "code": codes,
            "municipality": [*codes, facts.towns[0]],
            "number": facts.numbers,
            "serial": [1, 2],
            "kind": list(CHARTS),
            # PDF takes a second or more a file: its downloads are tested in test_web_api, not fuzzed.
            "format": [r.name for r in renderers() if r.name != "pdf"],
        }
    )


KNOWN: dict[str, list[Any]] = {}


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    return st.fixed_dictionaries(
        {
            name: st.one_of(st.just(value), st.sampled_from(KNOWN[name])) if KNOWN.get(name) else st.just(value)
            for name, value in (path_parameters or {}).items()
        }
    )


@pytest.fixture(scope="module")
def client(registry: str) -> Iterator[Any]:
    """One in-process client for every call (schemathesis would start one a call)."""
    with asgi.get_client(APP) as opened:
        yield opened


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case: Any, client: Any) -> None:
    case.call_and_validate(session=client, checks=[not_a_server_error])


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_signed_in(case: Any, client: Any, registry: str) -> None:
    signed_in = {"Authorization": f"Bearer {registry}"}
    case.call_and_validate(session=client, headers=signed_in, checks=[not_a_server_error])
