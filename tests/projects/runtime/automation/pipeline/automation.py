import dagster as dg

from pipeline.assets import customers, orders


class CrmResource(dg.ConfigurableResource):
    url: str


orders_job = dg.define_asset_job("orders_job", selection=[orders])
customers_job = dg.define_asset_job("customers_job", selection=[customers])

nightly_orders = dg.ScheduleDefinition(name="nightly_orders", job=orders_job, cron_schedule="0 2 * * *")  # DAG207

# Chooses the partition itself: fine.
partitioned_orders = dg.build_schedule_from_partitioned_job(orders_job, name="partitioned_orders")


@dg.schedule(job=orders_job, cron_schedule="0 3 * * *")
def orders_without_partition(context: dg.ScheduleEvaluationContext):  # DAG207
    return dg.RunRequest(run_key=None)


@dg.schedule(job=orders_job, cron_schedule="0 4 * * *")
def orders_for_yesterday(context: dg.ScheduleEvaluationContext):
    # Passes the partition: fine.
    return dg.RunRequest(partition_key=context.scheduled_execution_time.strftime("%Y-%m-%d"))


@dg.sensor(job=customers_job)
def new_customers(context: dg.SensorEvaluationContext, crm: CrmResource):  # DAG307
    return dg.SkipReason("nothing new")


@dg.schedule(job=customers_job, cron_schedule="0 5 * * *", required_resource_keys={"slack"})  # DAG307
def customers_digest(context: dg.ScheduleEvaluationContext):
    return dg.RunRequest()
