"""What the SDK's own real-server tests need beyond the public fixture: the `sdk_maintenance`
DAG and the finished run of it that those tests read and change.

The servers themselves come from airflow_python_sdk.testing.real_airflow (the `airflow_real`
pytest fixture and its `airflow_real_servers` session), as users get them.
"""
