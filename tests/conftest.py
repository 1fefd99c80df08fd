"""Test setup shared by every suite: Qt runs offscreen, settings and data stay in tmp."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

from hypothesis import settings

# The suite (and CI) draws the same Hypothesis examples on every run, so a result is
# repeatable; `HYPOTHESIS_PROFILE=explore` draws fresh ones to hunt for new cases.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
