"""The DAG of the task-instance family's real-server tests (test/real_airflow/
test_family_on_real_servers.py), the same file on Airflow 2 and 3.

One run of it has more task instances than one page (105 EmptyOperators, which the scheduler
finishes without running them), a mapped task with three map indexes that push XCom, and a task
that fails followed by one that runs anyway, for clear (try 2) and bulk state with downstream.
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

WIDE_TASKS = 105

with DAG(
    dag_id="sdk_family",
    schedule=None,  # runs only when a test triggers it
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["sdk-integration"],
) as dag:
    for number in range(WIDE_TASKS):
        EmptyOperator(task_id=f"wide_{number:03d}")
    # Echoes its map index: the last line is its XCom return_value.
    BashOperator.partial(task_id="mapped_echo", retries=0).expand(
        bash_command=["echo 0", "echo 1", "echo 2"]
    )
    flaky = BashOperator(task_id="flaky", bash_command='echo "failing"; exit 3', retries=0)
    after_flaky = BashOperator(
        task_id="after_flaky", bash_command="echo after", trigger_rule="all_done", retries=0
    )
    flaky >> after_flaky
