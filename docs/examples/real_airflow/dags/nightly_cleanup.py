"""A nightly job: export the orders, check the disk quota, publish a report.

The quota check fails when the disk is too full, and the report is then not published.
"""

from datetime import datetime, timezone

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG  # type: ignore[no-redef]
    from airflow.operators.bash import BashOperator  # type: ignore[no-redef]

with DAG(
    dag_id="nightly_cleanup",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
) as dag:
    export_orders = BashOperator(
        task_id="export_orders",
        bash_command='echo "exported 120 orders"',
    )
    check_disk_quota = BashOperator(
        task_id="check_disk_quota",
        bash_command='echo "disk quota exceeded: 93% used, limit 90%"; exit 1',
        retries=0,
    )
    publish_report = BashOperator(
        task_id="publish_report",
        bash_command='echo "report published"',
    )
    export_orders >> check_disk_quota >> publish_report
