"""A DAG the SDK's paging tests give hundreds of runs by the REST API, never unpaused.

Its runs stay queued (a paused DAG's runs never start), so the scheduler has nothing to do for
them and the list of runs changes only when a test adds runs. Airflow 3 takes DAG from the task
SDK and BashOperator from the standard provider; Airflow 2 has neither module.
"""

from datetime import datetime, timezone

try:
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG  # type: ignore[no-redef]
    from airflow.operators.bash import BashOperator  # type: ignore[no-redef]

with DAG(
    dag_id="sdk_many_runs",
    schedule=None,
    # Before every run a test makes (from 2000-01-01 on).
    start_date=datetime(1999, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    is_paused_upon_creation=True,
    tags=["sdk-integration"],
) as dag:
    BashOperator(task_id="never_runs", bash_command="true", retries=0)
