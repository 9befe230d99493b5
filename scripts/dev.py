"""Install copbot into ./.venv and run it, or its test suite, with nothing but Python 3.11+.

    python3 scripts/dev.py run [copbot run options]   # starts copbot on config.example.toml
    python3 scripts/dev.py test [pytest options]      # runs the whole test suite
    python3 scripts/dev.py copbot <any copbot command>

The virtual environment is created once and reinstalled only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def _stamp(extra: str) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"{extra}:{digest}"


def ensure_installed(extra: str) -> None:
    """Create .venv if needed and install copbot (with an extra) when pyproject.toml changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 (this script may be run by an older python3)
        sys.exit(f"copbot needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists() and not (BIN / "python.exe").exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp_file = VENV / f".copbot-{extra or 'base'}"
    if stamp_file.exists() and stamp_file.read_text() == _stamp(extra):
        return
    target = f".[{extra}]" if extra else "."
    print(f"Installing copbot{f' with {extra} tools' if extra else ''} into .venv ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--editable", target], cwd=ROOT, check=True)
    stamp_file.write_text(_stamp(extra))


def _chose_workers(args: list[str]) -> bool:
    """Whether the pytest options already say how to use pytest-xdist (or not at all)."""
    return "no:xdist" in args or any(a.startswith(("-n", "--numprocesses")) for a in args)


def main(argv: list[str]) -> int:
    """Dispatch to run, test or copbot inside the project's virtual environment."""
    if not argv or argv[0] not in {"run", "test", "copbot"}:
        print(__doc__)
        return 2
    what, rest = argv[0], argv[1:]
    if what == "test":
        ensure_installed("test")
        if not os.environ.get("COPBOT_TEST_POSTGRES_URL") and not _chose_workers(rest):
            # On every core: the SQLite tests do not share anything. The PostgreSQL tests share
            # one database (each resets its schema), so with it set they run one at a time.
            # Work stealing: the slow end-to-end tests do not all land on one worker.
            rest = ["-n", "auto", "--dist", "worksteal", *rest]
        # The suite starts copbot some forty times and rewrites every test module's asserts:
        # without compiled caches (PYTHONDONTWRITEBYTECODE set) each start compiles copbot
        # anew, a quarter of the suite's time. The caches go to __pycache__ (ignored by git).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        return subprocess.call([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT, env=env)
    ensure_installed("")
    copbot = str(BIN / "copbot")
    if what == "run":
        if "--config" not in rest:
            rest = ["--config", str(ROOT / "config.example.toml"), *rest]
        return subprocess.call([copbot, "run", *rest])
    return subprocess.call([copbot, *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
