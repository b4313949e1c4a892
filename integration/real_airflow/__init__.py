"""Start real Apache Airflow servers on 127.0.0.1 for the SDK's integration tests.

Everything here uses the standard library only, so it runs with the SDK's own interpreter while
Airflow itself lives in separate virtual environments under `.airflow-venvs/`.
"""
