"""The DAGs of the waits' real-server tests
(test/real_airflow/test_dag_run_life_on_real_servers.py), the same file on Airflow 2 and 3.

`sdk_dag_runs`: prepare -> check_export -> publish. check_export fails on its first try (no
retries), so a run fails, publish upstream_failed; cleared, it runs try 2, which succeeds, and
the run with it.
`sdk_mapped`: load_partition mapped over three partitions, the second of which fails: a mapped
task one of whose instances failed.
"""

from datetime import datetime, timezone

try:
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG  # type: ignore[no-redef]
    from airflow.operators.bash import BashOperator  # type: ignore[no-redef]

FIRST_TRY_FAILS = (
    'if [ "{{ ti.try_number }}" = "1" ]; then '
    'echo "first try fails: the upstream export was not there yet"; exit 1; fi; '
    'echo "try {{ ti.try_number }} found the export"'
)

with DAG(
    dag_id="sdk_dag_runs",
    schedule=None,  # runs only when a test triggers it
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["sdk-integration"],
    description="Triggered, waited for, cleared and waited for again by the SDK's tests.",
) as sdk_dag_runs:
    prepare = BashOperator(task_id="prepare", bash_command="echo prepared", retries=0)
    check_export = BashOperator(task_id="check_export", bash_command=FIRST_TRY_FAILS, retries=0)
    publish = BashOperator(task_id="publish", bash_command="echo published", retries=0)
    prepare >> check_export >> publish

with DAG(
    dag_id="sdk_mapped",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["sdk-integration"],
    description="A mapped task with one failing partition.",
) as sdk_mapped:
    BashOperator.partial(task_id="load_partition", retries=0).expand(
        bash_command=["echo partition 0", "echo partition 1 is corrupt; exit 1",
                      "echo partition 2"])
