"""Plugins installed for real: a package in tests/plugins/ is installed by pip into a temporary directory (never
into renkei's environment), and renkei, run with that directory on its path, offers the plugin's format and reads
the plugin's files wherever it offers and reads its own: ``renkei formats``, ``export``, ``check``, the sphere
page's downloads, the API's formats, its export and its check. A broken plugin leaves renkei working, with a
warning.

The demo plugin's "bars" text is the official layout with ¦ for tabs under a ``#renkei-bars`` line, so what it
writes and reads is checked against renkei's own official export and reading of the seed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import renkei.render
from clirun import run
from renkei.core import plugins
from renkei.ingest import read_bytes, readers
from webserver import free_port, running_server

PLUGINS = Path(__file__).resolve().parent / "plugins"
DEMO, BROKEN = "renkei-demo-plugin", "renkei-broken-plugin"
MAGIC, BAR = "#renkei-bars", "\u00a6"
LABELS = {"ja": "縦棒区切りテキスト（デモ用プラグイン）", "en": "Bar-separated text (demo plugin)"}
BUILTIN = [r.name for r in renkei.render.renderers()]


def install(package: str, tmp: Path) -> Path:
    """``pip install --target``: the package copied out of the tree first, so that its build artefacts (build/,
    *.egg-info) land in the temporary directory. pip builds it in an isolated environment from the configured
    index, as it builds renkei itself."""
    source = tmp / "source"
    shutil.copytree(PLUGINS / package, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    target = tmp / "site"
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-cache-dir", "--target"]
    result = subprocess.run(
        [*command, str(target), str(source)], capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, f"pip could not install {package}:\n{result.stdout}\n{result.stderr}"
    assert list(target.glob("*.dist-info/entry_points.txt")), "the plugin is installed with its entry points"
    return target


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install(DEMO, tmp_path_factory.mktemp("demo-plugin"))


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install(BROKEN, tmp_path_factory.mktemp("broken-plugin"))


def path_of(*targets: Path) -> str:
    return os.pathsep.join(str(t) for t in targets)


@contextlib.contextmanager
def on_path(*targets: Path) -> Iterator[None]:
    """The targets on this process's path and the plugins discovered again; afterwards neither."""
    sys.path[:0] = [str(t) for t in targets]
    plugins.forget()
    try:
        yield
    finally:
        for target in targets:
            sys.path.remove(str(target))
        for name in [m for m in sys.modules if m.startswith(("renkei_demo", "renkei_broken", "renkei_clashing"))]:
            del sys.modules[name]
        plugins.forget()


def bars_of(official: str) -> str:
    """What the demo plugin says bars text is: the official layout, ¦ for tabs, under the magic line."""
    assert BAR not in official, "the seed holds no ¦, so the bars text of it can be read back"
    return f"{MAGIC}\n{official.replace(chr(9), BAR)}"


# Installed, not in renkei's environment --------------------------------------------------------------------


def test_the_plugin_is_installed_apart_and_leaves_the_tree_clean(demo: Path) -> None:
    names = [f["name"] for f in json.loads(run("formats", "--json").stdout)]
    assert names == BUILTIN, "without its directory on the path, renkei has only its own formats"
    assert "bars" not in names
    source = PLUGINS / DEMO
    assert not (source / "build").exists() and not list(source.glob("*.egg-info")), "built outside the tree"


# The command line ------------------------------------------------------------------------------------------


def test_formats_lists_the_plugins_format_in_both_languages(demo: Path) -> None:
    for lang in ("ja", "en"):
        result = run("formats", "--json", PYTHONPATH=path_of(demo), RENKEI_LANG=lang)
        assert result.returncode == 0, result.stderr
        listed = json.loads(result.stdout)
        assert [f["name"] for f in listed] == [*BUILTIN, "bars"], "the built-ins first, then the plugin's"
        bars = listed[-1]
        assert bars == {
            "name": "bars",
            "extension": "bars",
            "media_type": "text/plain; charset=utf-8",
            "description": LABELS[lang],
            "readable": True,
        }
    table = run("formats", PYTHONPATH=path_of(demo), COLUMNS="200")
    assert table.returncode == 0
    assert any("bars" in line and LABELS["ja"] in line for line in table.stdout.splitlines())


def test_export_writes_and_check_reads_the_plugins_format(demo: Path, seed_path: Path, tmp_path: Path) -> None:
    env = {"PYTHONPATH": path_of(demo)}
    official = run("export", seed_path, "--to", "official", **env)
    exported = run("export", seed_path, "--to", "bars", **env)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == bars_of(official.stdout)

    written = tmp_path / "seed.bars"
    written.write_text(exported.stdout, encoding="utf-8")
    seed = run("check", seed_path, "--json")
    result = run("check", written, "--json", **env)
    assert result.returncode == seed.returncode, result.stderr
    report, expected = json.loads(result.stdout), json.loads(seed.stdout)
    assert report["source"]["format"] == "bars"
    assert report["projects"] == expected["projects"] and report["totals"] == expected["totals"]


def test_check_reads_a_file_in_the_plugins_format_by_its_content(
    demo: Path, seed_path: Path, seed_bytes: bytes, tmp_path: Path
) -> None:
    """The seed made into bars text here (not by the plugin), under a name without the plugin's extension:
    no built-in reader reads it as a table, the plugin's sniff claims it, and it reads as the seed does, findings
    on the same lines (the magic line read as a blank one)."""
    file = tmp_path / "seed.dat"
    file.write_text(bars_of(seed_bytes.decode("utf-8")), encoding="utf-8")
    without = run("check", file, "--json")
    assert without.returncode == 2, "without the plugin, bars text is not a table"
    seed = run("check", seed_path, "--json")
    result = run("check", file, "--json", PYTHONPATH=path_of(demo))
    assert result.returncode == seed.returncode, result.stderr
    report, expected = json.loads(result.stdout), json.loads(seed.stdout)
    assert report["source"]["format"] == "bars"
    assert report["projects"] == expected["projects"] and report["totals"] == expected["totals"]
    # Every line of the seed is one further down under the magic line.
    assert [(f["code"], f["line"]) for f in report["findings"]] == [
        (f["code"], None if f["line"] is None else f["line"] + 1) for f in expected["findings"]
    ]


# The web app, served --------------------------------------------------------------------------------------


def fetch(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "renkei-plugin-test"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_the_served_app_offers_exports_and_reads_the_plugins_format(demo: Path, broken: Path, tmp_path: Path) -> None:
    """``renkei serve`` with the demo plugin and the broken one installed: it starts, says what it left out,
    and the sphere page, the API's formats, the export and the API's check use the demo plugin's format."""
    env: dict[str, str | None] = {"PYTHONPATH": path_of(demo, broken)}
    options = ("--db", f"sqlite:///{tmp_path / 'registry.db'}", "--port", str(port := free_port()))
    with running_server(tmp_path / "serve.log", *options, port=port, env=env) as server:
        status, _, body = fetch(f"{server.url}/api/spheres?limit=1000")
        assert status == 200
        # The sample's sphere: the one with a table (serve loads the country's list beside it).
        key = urllib.parse.quote(next(s["key"] for s in json.loads(body)["items"] if s["has_table"]))

        status, _, body = fetch(f"{server.url}/api/formats")
        listed = json.loads(body)
        assert [f["name"] for f in listed] == [*BUILTIN, "bars"]
        assert listed[-1]["description"] == LABELS["ja"] and listed[-1]["documents"] is False
        english = json.loads(fetch(f"{server.url}/api/formats?lang=en")[2])
        assert english[-1]["description"] == LABELS["en"]

        status, _, page = fetch(f"{server.url}/spheres/{key}")
        assert status == 200
        html = page.decode("utf-8")
        assert f'<a href="/spheres/{key}/export/bars?" download data-format="bars">{LABELS["ja"]}</a>' in html
        page_in_english = fetch(f"{server.url}/spheres/{key}?lang=en")[2].decode("utf-8")
        assert f'data-format="bars">{LABELS["en"]}</a>' in page_in_english

        status, headers, data = fetch(f"{server.url}/spheres/{key}/export/bars")
        assert status == 200
        assert headers["content-type"] == "text/plain; charset=utf-8"
        assert headers["content-disposition"].startswith(f'attachment; filename="{key}-r1-')
        assert '.bars"; filename*=' in headers["content-disposition"], "named with the plugin's extension"
        official = fetch(f"{server.url}/spheres/{key}/export/official")[2]
        assert data.decode("utf-8") == bars_of(official.decode("utf-8"))

        # The plugin's reader is listed with renkei's and its extension is offered by the upload picker.
        readers_listed = {r["name"]: r for r in json.loads(fetch(f"{server.url}/api/readers")[2])}
        assert readers_listed["bars"]["plugin"] is True and readers_listed["bars"]["extensions"] == ["bars"]
        assert readers_listed["docx"]["plugin"] is False
        check_page = fetch(f"{server.url}/check")[2].decode("utf-8")
        offered = check_page.split('accept="', 1)[1].split('"', 1)[0].split(",")
        assert ".bars" in offered and ".docx" in offered

        body, content_type = multipart("table.bars", data)
        status, _, checked = fetch(f"{server.url}/api/check", body, {"Content-Type": content_type})
        assert status == 200, checked
        official_body, _ = multipart("table.txt", official)
        reference = json.loads(fetch(f"{server.url}/api/check", official_body, {"Content-Type": content_type})[2])
        report = json.loads(checked)
        assert report["source"]["format"] == "bars"
        assert report["projects"] == reference["projects"] and report["totals"] == reference["totals"]
    assert "「broken」" in server.output() and "ImportError" in server.output(), "the app said what it left out"


# In process: discovery, its cache, and what a plugin may not do ---------------------------------------------


def test_discovered_once_in_process(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "bars" not in [r.name for r in renkei.render.renderers()]
    with on_path(demo):
        bars = renkei.render.get("bars")
        assert [r.name for r in renkei.render.renderers()] == [*BUILTIN, "bars"]
        assert bars.label("ja") == LABELS["ja"] and bars.label("en") == LABELS["en"]
        assert bars in renkei.render.usable() and bars not in renkei.render.document_renderers()
        assert [r.name for r in readers()] == ["bars"]
        assert plugins.entries(plugins.RENDERERS) is plugins.entries(plugins.RENDERERS), "loaded once"
        assert plugins.problems() == [] and capsys.readouterr().err == ""
    assert "bars" not in [r.name for r in renkei.render.renderers()] and readers() == []


def test_a_format_is_described_by_its_labels_its_catalogue_key_or_its_title() -> None:
    def write(vision: object) -> bytes:
        return b""

    labelled = renkei.render.Renderer("x", "x", "text/plain", "X", write, labels={"ja": "エックス"})
    assert labelled.label("ja") == "エックス" and labelled.label("en") == "エックス", "the other language's label"
    assert renkei.render.Renderer("x", "x", "text/plain", "Plain X", write).label("en") == "Plain X"
    assert renkei.render.get("pdf").label("en") != renkei.render.get("pdf").label("ja") != "format.pdf"


def test_a_plugins_failure_to_render_or_read_is_a_render_or_read_error(demo: Path) -> None:
    from renkei.core.sample import sample_bytes
    from renkei.ingest import TableReadError

    with on_path(demo):
        with pytest.raises(TableReadError) as refused:
            read_bytes(b"not bars at all", "table.bars")
        assert refused.value.code == "plugin-unreadable" and refused.value.params["reader"] == "bars"
        vision = read_bytes(sample_bytes(), "sample.txt").vision
        first = dataclasses.replace(vision.projects[0], name=f"{vision.projects[0].name}{BAR}")
        with pytest.raises(renkei.render.RenderError, match=BAR):
            renkei.render.render(dataclasses.replace(vision, projects=[first, *vision.projects[1:]]), "bars")


def test_a_broken_plugin_leaves_renkei_working_with_a_warning(
    demo: Path, broken: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {"PYTHONPATH": path_of(demo, broken)}
    result = run("formats", "--json", **env)
    assert result.returncode == 0
    listed = json.loads(result.stdout)
    assert [f["name"] for f in listed] == [*BUILTIN, "bars"], "the built-ins and the working plugin, nothing else"
    assert listed[0]["description"] == json.loads(run("formats", "--json").stdout)[0]["description"]
    warnings = result.stderr.splitlines()
    assert any("「broken」" in line and "ImportError" in line for line in warnings), result.stderr
    assert any("「csv」" in line and "組み込み" in line for line in warnings), "the built-in CSV wins, said so"
    assert any("「wrong」" in line and "dict" in line for line in warnings)

    exported = run("export", seed_path, "--to", "csv", **env)
    assert exported.returncode == 0 and exported.stdout == run("export", seed_path, "--to", "csv").stdout
    checked = run("check", seed_path, "--json", **env)
    plain = run("check", seed_path, "--json")
    assert checked.returncode == plain.returncode and json.loads(checked.stdout) == json.loads(plain.stdout)
    assert any("「fake-csv」" in line and ".csv" in line for line in checked.stderr.splitlines())

    with on_path(demo, broken):
        assert [r.name for r in renkei.render.renderers()] == [*BUILTIN, "bars"]
        assert renkei.render.get("csv").label("ja") != "偽の CSV"
        assert [r.name for r in readers()] == ["bars", "fake-csv"] and readers()[1].extensions == ()
        left_out = {(p.group, p.entry, p.code) for p in plugins.problems()}
        assert left_out == {
            (plugins.RENDERERS, "broken", "failed"),
            (plugins.RENDERERS, "csv", "builtin_wins"),
            (plugins.RENDERERS, "wrong", "not_renderer"),
            (plugins.READERS, "broken", "failed"),
            (plugins.READERS, "csv", "builtin_wins"),
            (plugins.READERS, "fake-csv", "builtin_extension"),
        }
        assert capsys.readouterr().err.count("renkei: ") == len(left_out), "each said once on stderr"
        readers()
        renkei.render.renderers()
        assert capsys.readouterr().err == "", "and not again: discovery is cached"
