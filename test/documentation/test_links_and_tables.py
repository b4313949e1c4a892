"""The project's Markdown links to files and anchors that exist, and its tables are whole."""

from __future__ import annotations

from pathlib import Path

from tools.docs.links import broken_links, broken_tables, pages
from tools.docs.markdown import ROOT


def test_every_link_of_the_projects_markdown_leads_somewhere() -> None:
    checked = pages()
    assert ROOT / "CHANGELOG.md" in checked
    assert ROOT / "integration" / "real_airflow" / "README.md" in checked
    assert broken_links(checked) == []


def test_no_table_of_the_projects_markdown_is_cut_in_two() -> None:
    assert broken_tables(pages()) == []


def test_a_link_to_a_missing_file_or_anchor_is_reported_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "Other.md").write_text("# Other page\n\n## `get DAG_ID`\n<a name=\"kept\"></a>\n")
    page = tmp_path / "Page.md"
    page.write_text(
        "# Page\n\n"
        "[fine](Other.md) [fine too](Other.md#get-dag_id) [tag](Other.md#kept) [top](#)\n"
        "[here](#page) [web](https://example.invalid/nowhere) `[code](nowhere.md)`\n"
        "[**list[TaskState]**](list[TaskState].md)\n"
        "[no such heading](Other.md#get_dag_id)\n"
        "```\n[in a block](nowhere.md)\n```\n"
    )

    problems = broken_links([page])

    assert problems == [
        f"{page}:5: list[TaskState].md: no such file",
        f"{page}:6: Other.md#get_dag_id: no heading or anchor #get_dag_id in Other.md",
    ]


def test_table_rows_a_blank_line_cut_from_their_header_are_reported(tmp_path: Path) -> None:
    page = tmp_path / "Page.md"
    page.write_text("| a | b |\n| --- | --- |\n| 1 | 2 |\n\n| 3 | 4 |\n\n| c |\n|---|\n| 5 |\n")

    assert broken_tables([page]) == [
        f"{page}:5: a table row without the table's header (a blank line above it cuts the "
        "table in two)"
    ]
