from dagster import RunRequest, ScheduleDefinition, build_schedule_from_partitioned_job, schedule

import dagster as dg

from shop.jobs import customers_job, daily_group_job, everything_job, orders_job

# --- DAG207: partitioned assets, no partition chosen ------------------------------------

orders_nightly = ScheduleDefinition(job=orders_job, cron_schedule="0 1 * * *")  # DAG207
group_nightly = dg.ScheduleDefinition(name="group_nightly", job=daily_group_job, cron_schedule="0 2 * * *")  # DAG207
orders_by_name = dg.ScheduleDefinition(job_name="orders_job", cron_schedule="0 3 * * *")  # DAG207


@schedule(job=orders_job, cron_schedule="0 4 * * *")
def orders_morning(context):  # DAG207
    return RunRequest(run_key=None)


# --- DAG906: a job name nothing defines -------------------------------------------------

order_refresh = dg.ScheduleDefinition(job_name="order_job", cron_schedule="0 5 * * *")  # DAG906

# --- near-misses ------------------------------------------------------------------------

orders_partitioned = build_schedule_from_partitioned_job(orders_job)
customers_nightly = ScheduleDefinition(job=customers_job, cron_schedule="0 1 * * *")
everything_nightly = ScheduleDefinition(job=everything_job, cron_schedule="0 6 * * *")  # selection: all assets, unread
reports_weekly = dg.ScheduleDefinition(job_name="report_job", cron_schedule="0 7 * * 1")
graph_job_weekly = dg.ScheduleDefinition(job_name="reporting", cron_schedule="0 7 * * 1")
orders_tagged = dg.ScheduleDefinition(job=orders_job, cron_schedule="0 8 * * *", tags={"dagster/partition": "2024-01-01"})


@dg.schedule(job=orders_job, cron_schedule="0 9 * * *")
def orders_yesterday(context: dg.ScheduleEvaluationContext):
    day = context.scheduled_execution_time.strftime("%Y-%m-%d")
    return dg.RunRequest(partition_key=day)
