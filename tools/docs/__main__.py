"""`python -m tools.docs`: how many blocks of each page run, and where; broken links and tables.

Prints one line per page with code blocks: the blocks run in the fast suite and in the
real-Airflow suite (counting files written and outputs compared), and those marked not to run;
then the totals, and every broken link or table. Exits 1 if the Markdown has a broken link or
table, or a block the runner cannot place.
"""

from __future__ import annotations

import sys
from collections import Counter

from .links import broken_links, broken_tables, pages
from .markdown import ROOT, DocsError, read_blocks, shown


def main() -> int:
    problems: list[str] = []
    totals: Counter[str] = Counter()
    rows = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        try:
            blocks = read_blocks(page)
        except DocsError as error:
            problems.append(str(error))
            continue
        if not blocks:
            continue
        counts = Counter(
            "not run" if not b.runs else "real airflow" if b.real_airflow else "fast"
            for b in blocks)
        totals.update(counts)
        rows.append((shown(page), counts["fast"], counts["real airflow"], counts["not run"]))
    width = max(len(row[0]) for row in rows)
    print(f"{'page':<{width}}  {'run (fast)':>10}  {'run (real Airflow)':>18}  {'not run':>7}")
    for name, fast, real, skipped in rows:
        print(f"{name:<{width}}  {fast:>10}  {real:>18}  {skipped:>7}")
    print(f"{'total':<{width}}  {totals['fast']:>10}  {totals['real airflow']:>18}  "
          f"{totals['not run']:>7}")
    problems += broken_links(pages()) + broken_tables(pages())
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
