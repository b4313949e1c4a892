"""Helpers the test folders share: the recording server, a call with a hard time bound, ports
that refuse connections, the repository's paths, the `airflow-sdk` command's runner, and the
embedded server in a process of its own (with the reading of what such a process prints).

Helpers that one folder alone uses stay in that folder.
"""
