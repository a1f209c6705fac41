"""Shared fixtures. Tests never write to the user's embedding cache or project store: both are
pointed at a temporary folder for the whole session (the cache is shared across tests, so the
demo pair is embedded once per session)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpora" / "latushka-interia"
_SESSION_DIR = tempfile.mkdtemp(prefix="align-tests-")


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("ALIGN_CACHE_DIR", os.path.join(_SESSION_DIR, "cache"))
    os.environ.setdefault("ALIGN_STORE", os.path.join(_SESSION_DIR, "projects.sqlite3"))


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def encoder():
    """The bundled encoder, with the session's on-disk cache."""
    from align.embed import load_encoder

    return load_encoder()


@pytest.fixture(scope="session")
def demo_paths() -> tuple[Path, Path, Path]:
    return DEMO / "pl.txt", DEMO / "en.txt", DEMO / "gold.txt"
