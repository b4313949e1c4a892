"""The DAGs of the DAG and DAG run operations' real-server tests (test/real_airflow/
test_dag_operations_on_real_servers.py), the same file on Airflow 2 and 3.

`sdk_dag_ops` is triggered with a conf and a note, marked, cleared and deleted; it stays paused
(as Airflow makes a new DAG), so its runs stay queued and every answer is the same on every run
of the tests. `sdk_dag_ops_spare` is the second DAG a pattern matches, for pausing and unpausing
several at once. Two tasks each, the second after the first.
"""

from datetime import datetime, timezone

try:
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG  # type: ignore[no-redef]
    from airflow.operators.bash import BashOperator  # type: ignore[no-redef]

for dag_id in ("sdk_dag_ops", "sdk_dag_ops_spare"):
    with DAG(
        dag_id=dag_id,
        schedule=None,  # runs only when a test triggers it
        start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
        catchup=False,
        tags=["sdk-integration", "sdk-dag-ops"],
        description="Triggered, marked, cleared and deleted by the SDK's tests.",
    ) as dag:
        prepare = BashOperator(task_id="prepare", bash_command="echo prepared", retries=0)
        publish = BashOperator(task_id="publish", bash_command="echo published", retries=0)
        prepare >> publish
    globals()[dag_id] = dag
