"""The DAG the SDK's integration tests run on Airflow 2 and 3: one task succeeds, one fails.

echo_ok prints numbered lines so a test can read a known log; fail_task exits non-zero with no
retries so its task instance ends in `failed` after exactly one try. Airflow 3 takes DAG from the
task SDK and BashOperator from the standard provider; Airflow 2 has neither module.
"""

from datetime import datetime, timezone

try:
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG  # type: ignore[no-redef]
    from airflow.operators.bash import BashOperator  # type: ignore[no-redef]

with DAG(
    dag_id="sdk_maintenance",
    schedule=None,  # runs only when a test triggers it
    # Before the run's logical date (2026-11-26), so the scheduler accepts that run.
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["sdk-integration"],
) as dag:
    BashOperator(
        task_id="echo_ok",
        bash_command='for i in $(seq 1 20); do echo "line $i of output from echo_ok"; done',
        retries=0,
    )
    BashOperator(
        task_id="fail_task",
        bash_command='echo "about to fail"; exit 3',
        retries=0,
    )
