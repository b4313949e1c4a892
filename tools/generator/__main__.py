"""`python -m tools.generator [--check]`: render the generated files from openapi.yaml.

Without --check it writes them (and removes files it wrote before but no longer renders).
With --check it writes nothing and fails, naming each file that differs from what the spec
renders, so that CI catches generated code edited by hand or a spec changed without regenerating.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from tools.generator.parse import parse
from tools.generator.render import render

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ".openapi-generator/FILES"


def previously_generated(root: Path) -> set[str]:
    manifest = root / MANIFEST
    if not manifest.exists():
        return set()
    return {line for line in manifest.read_text().splitlines() if line}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.generator", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when generated files drifted")
    parser.add_argument("--spec", type=Path, default=ROOT / "openapi.yaml")
    parser.add_argument("--root", type=Path, default=ROOT, help="where the files are written")
    args = parser.parse_args(argv)

    spec = parse(args.spec)
    for problem in spec.problems:
        print(problem, file=sys.stderr)
    if any(p.level == "error" for p in spec.problems):
        return 2
    files = render(spec)
    stale = previously_generated(args.root) - set(files)

    if args.check:
        drifted = []
        for path, text in sorted(files.items()):
            target = args.root / path
            current = target.read_text() if target.exists() else None
            if current != text:
                drifted.append(path)
                diff = difflib.unified_diff((current or "").splitlines(), text.splitlines(),
                                            f"{path} (on disk)", f"{path} (from the spec)",
                                            lineterm="", n=1)
                print("\n".join(list(diff)[:20]), file=sys.stderr)
        drifted += [f"{path} (no longer generated)" for path in sorted(stale)
                    if (args.root / path).exists()]
        if drifted:
            print("Generated files differ from what openapi.yaml renders "
                  "(run `make generate`):", file=sys.stderr)
            for path in drifted:
                print(f"  {path}", file=sys.stderr)
            return 1
        print(f"{len(files)} generated files match openapi.yaml")
        return 0

    for path, text in files.items():
        target = args.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
    for path in stale:
        (args.root / path).unlink(missing_ok=True)
    print(f"wrote {len(files)} files from {args.spec.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
