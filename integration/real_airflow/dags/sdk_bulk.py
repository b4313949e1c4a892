"""The DAG of the bulk state change's real-server tests (test/real_airflow/
test_bulk_state_on_real_servers.py), the same file on Airflow 2 and 3.

One run of it has more task instances than two of the SDK's bulk requests hold (100 each): 230
EmptyOperators, which the scheduler finishes without running them, and a mapped task with three
map indexes, so that one bulk change names task instances of both kinds.
Airflow 3 takes DAG from the task SDK and the operators from the standard provider; Airflow 2 has
neither module.
"""

from datetime import datetime, timezone

try:
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.providers.standard.operators.empty import EmptyOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG  # type: ignore[no-redef]
    from airflow.operators.bash import BashOperator  # type: ignore[no-redef]
    from airflow.operators.empty import EmptyOperator  # type: ignore[no-redef]

WIDE_TASKS = 230

with DAG(
    dag_id="sdk_bulk",
    schedule=None,  # runs only when a test triggers it
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["sdk-integration"],
) as dag:
    for number in range(WIDE_TASKS):
        EmptyOperator(task_id=f"wide_{number:03d}")
    BashOperator.partial(task_id="mapped", retries=0).expand(
        bash_command=["echo 0", "echo 1", "echo 2"]
    )
