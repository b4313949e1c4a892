"""Waiting for DAG runs and task instances to finish: the hand-written methods the generated
`DAGRunApi` and `TaskInstanceApi` inherit (openapi.yaml names each mixin with `x-python-mixin`).

- `pace.py`: the arguments (`timeout`, `poll_interval`) checked, the pauses between polls, and
  each poll's request timeout cut to the time the wait has left;
- `polling.py`: the loop every wait runs: one read per poll, transient failures (5xx, 429, a
  dropped connection) survived within the wait's time, `Retry-After` honoured;
- `paused.py`: whether a DAG is paused, asked when something waited for has not started;
- `run_waits.py`: `wait_for_dag_run`, `trigger_dag_run_and_wait` (DAGRunApi);
- `task_instance_waits.py`: `wait_for_task_instances` (TaskInstanceApi).

The mixins sit beside the generated API classes (they call their operations), so this package
shares their layer; the modules are imported by the API modules that need them, not here.
"""
