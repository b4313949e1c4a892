"""Helpers every layer may use, importing nothing of the package: date-time text
(`datetimes`), headers (`headers`), URLs and secrets safe to show (`redaction`), and the check
for the original client installed in the same place (`original_client`)."""
