"""Japanese in every PDF, or a refusal that says what to install: never boxes (tofu) with exit 0.

The CJK fonts are hidden by a fontconfig that lists only a Latin font's directory (FONTCONFIG_FILE): the PDF
must still carry the Japanese text in an embedded Japanese font (the packaged Noto Sans JP). Where no Japanese
font and no Pango can be had, the CLI exits 2 naming what is missing and the web offers the other formats.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clirun import cli_env
from conftest import require, require_command
from renkei.core import fonts
from renkei.core.messages import t
from renkei.ingest import read_sample
from renkei.render import pdf as pdf_renderer
from renkei.render import usable
from renkei.store import SphereSpec, Store
from renkei.web.app import create_app

LATIN_FONTS = Path("/usr/share/fonts/truetype/dejavu")


def latin_only_fontconfig(tmp_path: Path) -> Path:
    require(LATIN_FONTS.is_dir(), f"a Latin font directory ({LATIN_FONTS}, Debian's fonts-dejavu-core)")
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{LATIN_FONTS}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return config


def renkei(*args: str, env: dict[str, str], hide: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """``renkei ARGS`` in a subprocess, with the Python modules named in ``hide`` made unimportable."""
    hiding = "".join(f"sys.modules[{name!r}] = None; " for name in hide)
    code = f"import sys; {hiding}from renkei.cli import main; sys.argv = ['renkei', *sys.argv[1:]]; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def test_a_pdf_made_without_the_system_cjk_fonts_carries_japanese_glyphs(tmp_path: Path) -> None:
    pdffonts, pdftotext = require_command("pdffonts"), require_command("pdftotext")
    env = cli_env(FONTCONFIG_FILE=str(latin_only_fontconfig(tmp_path)))
    listed = subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True, env=env, check=False)
    assert listed.stdout.strip() == "", "the CJK fonts are hidden from fontconfig"
    out = tmp_path / "sample.pdf"
    result = renkei("export", "--sample", "--to", "pdf", "-o", str(out), env=env)
    assert result.returncode == 0, result.stderr
    text = subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True, check=True).stdout
    vision = read_sample().vision
    for name in (vision.sphere.name, vision.projects[0].name, vision.municipalities[0].name):
        assert name in text.replace("\n", "")
    table = subprocess.run([pdffonts, str(out)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in table.splitlines()[2:] if line.strip()]
    assert rows and all("yes" in row[-5:-2][0] for row in rows), table  # every font embedded
    assert any("Noto-Sans-JP" in row[0] or "CJK" in row[0] for row in rows), table


def test_without_any_japanese_font_the_pdf_is_refused_naming_the_package(tmp_path: Path) -> None:
    env = cli_env(FONTCONFIG_FILE=str(latin_only_fontconfig(tmp_path)))
    out = tmp_path / "tofu.pdf"
    result = renkei(
        "--lang", "en", "export", "--sample", "--to", "pdf", "-o", str(out), env=env, hide=("pylopdf_fonts_jp",)
    )
    assert result.returncode == 2
    assert fonts.PACKAGE in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_without_pango_the_cli_says_what_is_missing(tmp_path: Path) -> None:
    result = renkei("--lang", "en", "export", "--sample", "--to", "pdf", "-o", str(tmp_path / "x.pdf"),
                    env=cli_env(), hide=("weasyprint",))  # fmt: skip
    assert result.returncode == 2
    assert "Pango" in result.stderr and "internal error" not in result.stderr


@pytest.fixture
def no_pango(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_renderer, "_weasyprint_problem", lambda: "cannot load library 'libpango-1.0-0'")


def test_without_pango_the_page_offers_the_other_formats_and_the_pdf_says_why(no_pango: None, tmp_path: Path) -> None:
    assert "pdf" not in {r.name for r in usable()} and "xlsx" in {r.name for r in usable()}
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    with Store.open(url) as store:
        store.upgrade()
        sample = read_sample()
        store.import_reading(sample, SphereSpec(key="kamikawa", name=sample.vision.sphere.name))
        with TestClient(create_app(store)) as client:
            page = client.get("/spheres/kamikawa", headers={"Accept-Language": "ja"})
            assert page.status_code == 200
            assert "/export/xlsx" in page.text and "/export/pdf" not in page.text
            download = client.get("/spheres/kamikawa/export/pdf", headers={"Accept-Language": "ja"})
            assert download.status_code == 503
            assert t("render.pdf-pango-missing", "ja", reason="").split("（")[0] in download.text
