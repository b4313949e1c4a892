"""The project's Markdown: its code blocks (run by test/documentation/) and its links."""
