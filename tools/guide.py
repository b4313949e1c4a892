"""`python -m tools.guide [--check]`: copy docs/CLI.md into the package as the command's guide.

A user of the wheel has no docs/ folder; `airflow-sdk help` reads the copy in
airflow_python_sdk/cli/guide.md instead. `make generate` writes it, `make check-generated` (with
--check) fails when it differs from docs/CLI.md, so that the two cannot drift apart.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "docs/CLI.md"
TARGET = "airflow_python_sdk/cli/guide.md"
HEADER = f"<!-- Copied from {SOURCE} by `make generate` (tools/guide.py): edit that file. -->\n"


def guide_text(root: Path) -> str:
    return HEADER + (root / SOURCE).read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.guide", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when the copy drifted")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    text = guide_text(args.root)
    target = args.root / TARGET
    current = target.read_text(encoding="utf-8") if target.exists() else None
    if args.check:
        if current != text:
            print(f"{TARGET} differs from {SOURCE} (run `make generate`)", file=sys.stderr)
            return 1
        print(f"{TARGET} matches {SOURCE}")
        return 0
    if current != text:
        target.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET} from {SOURCE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
