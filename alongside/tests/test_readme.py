"""The README tells the truth: every environment variable the code reads is in its table, and
every `make` target it names exists."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
README = (BASE / "README.md").read_text()
# os.environ.get("X"), os.environ["X"], env_bool("X"), env_list("X"), ENV_VAR = "X"
READS = re.compile(
    r"""(?:os\.environ(?:\.get)?\s*[\[(]\s*|env_\w+\(\s*|ENV_VAR\s*=\s*)["']([A-Z][A-Z0-9_]+)["']"""
)


def _variables_read() -> set[str]:
    sources = [BASE / "alongside" / "settings.py", *(BASE / "alongside" / "lib").glob("*.py")]
    return {name for path in sources for name in READS.findall(path.read_text())}


def test_the_code_reads_the_variables_this_test_expects_to_find() -> None:
    assert {"DATABASE_URL", "SECRET_KEY", "HTTPS", "TASKS_BACKEND"} <= _variables_read()


def test_every_environment_variable_is_in_the_readme_table() -> None:
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", README, re.M))
    missing = sorted(_variables_read() - documented)
    assert not missing, f"add to the README's configuration table: {missing}"


def test_every_make_target_the_readme_names_exists() -> None:
    makefile = (BASE / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.M))
    named = set(re.findall(r"`make ([a-z][a-z0-9-]*)`", README))
    assert {"run", "test", "test-postgres", "e2e", "lint", "messages", "bench"} <= named
    assert named <= targets, sorted(named - targets)


def test_the_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
    assert "http://127.0.0.1:8000" in first_block
