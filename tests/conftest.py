"""Shared fixtures: the seed table, the facts a reader must find in it, and skips that CI turns into failures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from seedfacts import SeedFacts, derive

ROOT = Path(__file__).resolve().parents[1]
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_b04363f4c5aa68b9.txt"
PACKAGED_SEED = ROOT / "src" / "renkei" / "data" / "sample.txt"


def require(available: bool, reason: str) -> None:
    """Skip a test whose real dependency is absent; under RENKEI_REQUIRE_ALL=1 (CI) fail instead."""
    if available:
        return
    if os.environ.get("RENKEI_REQUIRE_ALL") == "1":
        pytest.fail(f"required for CI but missing: {reason}")
    pytest.skip(reason)


def require_command(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"the command {name} is not installed")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed where the repository sits beside ../shared, else the copy the package ships as its sample."""
    return SHARED_SEED if SHARED_SEED.exists() else PACKAGED_SEED


@pytest.fixture(scope="session")
def seed_bytes(seed_path: Path) -> bytes:
    return seed_path.read_bytes()


@pytest.fixture(scope="session")
def facts(seed_bytes: bytes) -> SeedFacts:
    return derive(seed_bytes.decode("utf-8"))
