"""One source of truth for settings, documented in one place: every setting is in .env.example."""

import re

from agentic_shop.settings import REPO_ROOT, Settings


def test_every_setting_is_documented_in_env_example():
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (REPO_ROOT / ".env.example").read_text(), re.M))
    assert {name.upper() for name in Settings.model_fields} - documented == set()
