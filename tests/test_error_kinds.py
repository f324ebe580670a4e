"""Every error kind declared once (``renkei.core.errorkinds``) and used from there: each kind's words are in both
catalogues, every code raised anywhere in ``src/`` is declared, the web app answers each store, read and render
error with its declared status and body, the CLI exits with its declared status and says its words, and the
generated reference pages (docs/errors.md, docs/findings.md, docs/formats.md) are those the code makes now.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import string
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import typer
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape

from renkei.cli import common
from renkei.core.errorbody import error_body
from renkei.core.errorkinds import KINDS, ErrorKind, Family, declared, kind_of, web_kind
from renkei.core.messages import LANGUAGES, catalogue, t
from renkei.ingest import TableReadError
from renkei.national.manifest import ManifestError
from renkei.render import RenderUnavailable
from renkei.store import Store, StoreError
from renkei.web.app import create_app
from renkei.web.hints import hint_for_web
from renkei.web.refusal import refusal

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "renkei"
# The exceptions that carry a catalogue code, with the family whose kinds they raise.
CODED = {
    "StoreError": Family.STORE,
    "ManifestError": Family.STORE,
    "TableReadError": Family.READ,
    "CountryError": Family.COUNTRY,
    "RenderUnavailable": Family.RENDER,
}


def params_for(kind: ErrorKind) -> dict[str, object]:
    """A value for every parameter the kind's words fill in, in either language."""
    names: set[str] = set()
    for key in (kind.message_key, kind.hint_key):
        for lang in LANGUAGES:
            if key and key in catalogue(lang):
                names |= {f[1] for f in string.Formatter().parse(catalogue(lang)[key]) if f[1]}
    return {name: f"«{name}»" for name in names}


def test_every_kind_is_declared_once_with_its_words_in_both_catalogues() -> None:
    seen = [(k.family, k.code) for k in KINDS]
    assert len(seen) == len(set(seen))
    for kind in KINDS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", kind.code), kind
        for lang in LANGUAGES:
            assert kind.message_key in catalogue(lang), (kind.code, lang)
            assert kind.hint_key is None or kind.hint_key in catalogue(lang), (kind.code, lang)
        assert kind.http is None or 400 <= kind.http < 600
        assert kind.api is None or 400 <= kind.api < 500
        # The CLI's contract: 1 findings with errors (a refused file among several), 2 refused input.
        assert kind.exit in (None, 1, 2) and kind.import_exit in (None, 1)
        assert kind.http is not None or kind.exit is not None, f"{kind.code} is met nowhere"


def _codes_raised() -> Iterator[tuple[str, str, str | re.Pattern[str]]]:
    """(where, exception, code) of every coded exception made in the sources: ``StoreError("code", …)``, an
    f-string code as a pattern, and ``super().__init__("code", …)`` in the classes derived from one."""
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        derived: dict[str, str] = {}  # class name -> the coded exception it derives from
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for base in node.bases:
                    name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
                    if name in CODED or name in derived:
                        derived[node.name] = name if name in CODED else derived[name]
                        for call in ast.walk(node):
                            if (
                                isinstance(call, ast.Call)
                                and isinstance(call.func, ast.Attribute)
                                and call.func.attr == "__init__"
                                and call.args
                                and isinstance(call.args[0], ast.Constant)
                            ):
                                yield f"{path.name}:{call.lineno}", derived[node.name], str(call.args[0].value)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in CODED:
                continue
            first = node.args[0]
            where = f"{path.name}:{node.lineno}"
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield where, name, first.value
            elif isinstance(first, ast.JoinedStr):
                parts = [re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z0-9-]+" for v in first.values]
                yield where, name, re.compile("".join(parts))


def test_every_code_raised_in_the_sources_is_declared() -> None:
    found = list(_codes_raised())
    assert len(found) > 60  # the walk sees the raise sites (about a hundred)
    undeclared = []
    for where, exception, code in found:
        family = CODED[exception]
        codes = {k.code for k in KINDS if k.family is family}
        ok = code in codes if isinstance(code, str) else any(code.fullmatch(c) for c in codes)
        if not ok:
            undeclared.append((where, exception, code if isinstance(code, str) else code.pattern))
    assert undeclared == []


def test_the_derived_store_errors_carry_declared_codes() -> None:
    """The walk above reads ``super().__init__`` of the derived classes: check it sees them (a class added with a
    code in a keyword would slip past)."""
    found = {(e, c) for _, e, c in _codes_raised() if isinstance(c, str)}
    assert {("StoreError", "forbidden"), ("StoreError", "stale-version"), ("StoreError", "invalid")} <= found
    assert ("StoreError", "import-refused") in found


def _web_codes() -> Iterator[tuple[str, str]]:
    """(where, code) of every error code the web layer writes: ``refusal("code")``, ``kind_of(Family.WEB,
    "code")``, ``error_response(request, status, "code", …)`` and a body's ``{"code": "code"}``."""
    for path in sorted((SRC / "web").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.name}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                place = {"refusal": 0, "kind_of": 1, "declared": 1, "error_response": 2}.get(name)
                if place is not None and len(node.args) > place:
                    code = node.args[place]
                    if isinstance(code, ast.Constant) and isinstance(code.value, str):
                        yield where, code.value
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "code" and isinstance(value, ast.Constant):
                        yield where, str(value.value)


def test_every_code_the_web_layer_answers_with_is_declared() -> None:
    found = list(_web_codes())
    assert {"sign-in-needed", "too-large", "not-found", "invalid-request", "bad-characters"} <= {c for _, c in found}
    assert [(where, code) for where, code in found if not any(k.code == code for k in KINDS)] == []


def test_the_web_layer_raises_no_status_of_its_own() -> None:
    """An HTTP error raised in the web layer takes its status from a declared kind (``refusal``): no
    ``HTTPException(4xx)`` with a number of its own (a redirect, 3xx, is not an error)."""
    raised = []
    for path in sorted((SRC / "web").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")).endswith(
                "HTTPException"
            ):
                status = node.args[0] if node.args else None
                if not (isinstance(status, ast.Constant) and isinstance(status.value, int) and status.value < 400):
                    raised.append(f"{path.name}:{node.lineno}")
    assert [r for r in raised if not r.startswith("refusal.py:")] == []


def test_each_answer_of_the_web_app_has_a_status_of_its_own() -> None:
    web = [k for k in KINDS if k.family is Family.WEB]
    statuses = [k.http for k in web]
    assert len(statuses) == len(set(statuses)) and None not in statuses
    for kind in web:
        assert web_kind(kind.status()) is kind
    assert web_kind(418).code == "http-error"  # a status no kind declares


def test_the_readers_busy_codes_are_declared() -> None:
    from renkei.web.reading import ReadersBusy

    for held in (True, False):
        assert declared(Family.WEB, ReadersBusy(held).code) is not None


# The web app answers with the declaration ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def raising(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The real app over a real SQLite store, with two routes (under /api/ and not) that raise the error named."""
    path = tmp_path_factory.mktemp("kinds") / "registry.db"
    with Store.open(f"sqlite:///{path}") as store:
        app: FastAPI = create_app(store)

        def raise_it(family: str, code: str) -> None:
            kind = kind_of(Family(family), code)
            params = params_for(kind)
            if kind.family is Family.READ:
                raise TableReadError(code, **params)
            if kind.family is Family.RENDER:
                raise RenderUnavailable(code, **params)
            raise StoreError(code, **params)

        def refuse(code: str) -> None:
            raise refusal(code)

        for prefix in ("/api/test-kinds", "/test-kinds"):
            app.add_api_route(prefix + "/{family}/{code}", raise_it, methods=["GET"])
            app.add_api_route(prefix.replace("kinds", "refusals") + "/{code}", refuse, methods=["GET"])
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client


_SERVED = [k for k in KINDS if k.family in (Family.STORE, Family.RENDER) and k.http is not None]


@pytest.mark.parametrize("kind", _SERVED, ids=[k.code for k in _SERVED])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_api_answers_each_error_with_its_declared_status_and_words(
    raising: TestClient, kind: ErrorKind, lang: str
) -> None:
    params = params_for(kind)
    response = raising.get(f"/api/test-kinds/{kind.family.value}/{kind.code}", headers={"Accept-Language": lang})
    assert response.status_code == (kind.api or kind.http)
    body = response.json()
    # The web's words of what to do (a client of the API has no command line): never renkei … or --force.
    hint = hint_for_web(kind.hint_key, lang, **params) if kind.hint_key else ""
    assert not re.search(r"renkei\s|--[a-z]", body["error"]["hint"])
    assert body["error"]["code"] == kind.code
    assert (body["error"]["message"], body["error"]["hint"]) == (t(kind.message_key, lang, **params), hint)
    page = raising.get(f"/test-kinds/{kind.family.value}/{kind.code}", headers={"Accept": "text/html"})
    assert page.status_code == kind.http
    assert "text/html" in page.headers["content-type"]


# The web app's own answers, but those of a busy reader (they carry the seconds to wait: tests/test_reader_pool.py).
_REFUSED = [k for k in KINDS if k.family is Family.WEB and k.code not in ("readers-busy", "reader-held")]


@pytest.mark.parametrize("kind", _REFUSED, ids=[k.code for k in _REFUSED])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_web_app_answers_each_of_its_refusals_as_declared(raising: TestClient, kind: ErrorKind, lang: str) -> None:
    response = raising.get(f"/api/test-refusals/{kind.code}", headers={"Accept-Language": lang})
    assert response.status_code == kind.http
    assert response.json()["error"]["code"] == kind.code
    assert response.json()["error"]["message"] == t(kind.message_key, lang)
    page = raising.get(f"/test-refusals/{kind.code}", headers={"Accept": "text/html", "Accept-Language": lang})
    assert page.status_code == kind.http and "text/html" in page.headers["content-type"]
    assert str(escape(t(kind.message_key, lang))) in page.text


def test_what_the_framework_refuses_is_named_by_its_status(raising: TestClient) -> None:
    """An address no route takes, and a method the address does not take: Starlette's own errors, answered
    with the kinds their statuses declare."""
    missing = raising.get("/api/no-such-address")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not-found")
    assert missing.json()["error"]["message"] == t("ui.not_found", "ja")
    wrong = raising.delete("/api/test-refusals/not-found")
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (405, web_kind(405).code)


def test_a_stale_version_is_a_failed_if_match_on_the_api_only(raising: TestClient) -> None:
    """The one kind whose status differs between the API and the pages, read from the declaration."""
    differ = [k for k in KINDS if k.api is not None]
    assert {k.code for k in differ} >= {"stale-version"}
    for kind in differ:
        api = raising.get(f"/api/test-kinds/{kind.family.value}/{kind.code}").status_code
        page = raising.get(f"/test-kinds/{kind.family.value}/{kind.code}", headers={"Accept": "text/html"})
        assert (api, page.status_code) == (kind.api, kind.http) and api != page.status_code


# The CLI exits with the declaration -----------------------------------------------------------------------------


def _exit_of(call: object) -> int:
    with pytest.raises(typer.Exit) as ended:
        call()  # type: ignore[operator]
    return ended.value.exit_code


_CLI_STORE = [k for k in KINDS if k.family is Family.STORE and k.exit is not None]


@pytest.mark.parametrize("kind", _CLI_STORE, ids=[k.code for k in _CLI_STORE])
def test_the_cli_says_each_store_error_and_exits_with_its_declared_status(
    kind: ErrorKind, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common.State, "lang", "en")
    params = params_for(kind)
    error = ManifestError(kind.code, **params) if kind.code.startswith("manifest-") else StoreError(kind.code, **params)
    assert _exit_of(lambda: common.store_fail(error)) == kind.exit
    line = capsys.readouterr().err.replace("\n", "")
    assert t(kind.message_key, "en", **params) in line
    assert kind.hint_key is None or t(kind.hint_key, "en", **params) in line


_CLI_READ = [k for k in KINDS if k.family is Family.READ]


@pytest.mark.parametrize("kind", _CLI_READ, ids=[k.code for k in _CLI_READ])
def test_the_cli_says_each_read_error_as_json_and_exits_2(
    kind: ErrorKind, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common.State, "lang", "ja")
    params = params_for(kind)
    assert _exit_of(lambda: common.fail(kind.code, params, as_json=True)) == kind.exit == 2
    body = json.loads(capsys.readouterr().out)
    message = t(kind.message_key, "ja", **params)
    assert body == error_body(kind.code, message, t(kind.hint_key or "", "ja", **params))


def test_an_undeclared_code_keeps_its_family_defaults() -> None:
    """A plugin's own read error code: answered as a read error (422, exit 2), never a crash."""
    kind = TableReadError("plugin-own-code").kind
    assert (kind.status(), kind.exit) == (422, 2)
    assert StoreError("no-such-code").kind.status() == 400


# The generated pages --------------------------------------------------------------------------------------------


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("page", ["docs/errors.md", "docs/findings.md", "docs/formats.md"])
def test_the_generated_pages_are_up_to_date(page: str) -> None:
    """Like Datasette's documented-hooks test: change a declaration, a catalogue or a registry and this fails
    until ``python scripts/gen_docs.py`` is run."""
    made = _generator().PAGES[page]()
    assert (ROOT / page).read_text(encoding="utf-8") == made, f"{page} is out of date: run python scripts/gen_docs.py"


def test_the_pages_name_every_kind_code_reader_and_renderer() -> None:
    from renkei.ingest.registry import BUILTIN
    from renkei.render import renderers

    errors = (ROOT / "docs/errors.md").read_text(encoding="utf-8")
    assert all(f"| `{k.code}` |" in errors for k in KINDS)
    findings = (ROOT / "docs/findings.md").read_text(encoding="utf-8")
    codes = [k.removeprefix("finding.") for k in catalogue("ja") if k.startswith("finding.")]
    assert codes and all(f"| `{c}` |" in findings for c in codes)
    formats = (ROOT / "docs/formats.md").read_text(encoding="utf-8")
    assert all(f"| `{r.name}` |" in formats for r in BUILTIN)
    assert all(f"| `{r.name}` |" in formats for r in renderers() if r.labels == {})


def test_the_check_mode_names_a_stale_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generator = _generator()
    (tmp_path / "docs").mkdir()
    for page, make in generator.PAGES.items():
        (tmp_path / page).write_text(make(), encoding="utf-8")
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    assert generator.main(["--check"]) == 0
    stale = tmp_path / "docs/errors.md"
    stale.write_text(stale.read_text(encoding="utf-8").replace("| 404 |", "| 400 |", 1), encoding="utf-8")
    assert generator.stale() == ["docs/errors.md"]
    assert generator.main(["--check"]) == 1
