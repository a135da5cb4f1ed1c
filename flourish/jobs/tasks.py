"""The single task the queue carries: "run job <id>". Everything about the job (its kind,
arguments, attempts, lease) lives in our `Job` row, so retries and recovery behave the
same on the database backend and on RQ."""

from .backend import task


@task()
def run_job(job_id: str) -> str:
    from . import actions

    return actions.execute(job_id)
