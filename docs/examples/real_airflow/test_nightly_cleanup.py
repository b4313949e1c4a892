"""The nightly_cleanup DAG on a real Airflow:

    pytest tests/test_nightly_cleanup.py --airflow-real=3 --airflow-dags=dags
"""

from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.log_follow import follow_logs
from airflow_python_sdk.testing.real_airflow import RealAirflow

DAG_ID = "nightly_cleanup"


def test_a_full_disk_fails_the_run_and_its_log_says_why(airflow_real: RealAirflow) -> None:
    finished = airflow_real.run_dag(DAG_ID, timeout_s=300)

    api = TaskInstanceApi(airflow_real.client)
    when = finished.logical_date
    # Every task instance of this run (pages walked for you), then the failed ones only.
    task_instances = list(
        api.iter_task_instances(DAG_ID, execution_date_gte=when, execution_date_lte=when)
    )
    failed_page = api.get_task_instances(
        DAG_ID, execution_date_gte=when, execution_date_lte=when, state=["failed"]
    )
    failed = [ti.task_id for ti in failed_page.task_instances]
    log = "".join(follow_logs(api, DAG_ID, "check_disk_quota", when, 1))

    assert finished.state == "failed"
    assert failed == ["check_disk_quota"]
    assert "disk quota exceeded: 93% used" in log
    states = {ti.task_id: str(ti.state) for ti in sorted(task_instances, key=lambda t: t.task_id)}
    quota_line = [line for line in log.splitlines() if "disk quota exceeded" in line][-1]
    print(f"\nAirflow {airflow_real.version} ({airflow_real.dialect}) at {airflow_real.url}")
    print(f"  run {finished.run_id}: {finished.state}; task instances {states}")
    print(f"  failed: {failed}; its log says: {quota_line.strip()}")
