import dagster as dg

from shop.assets.orders import refunds
from shop.resources import MailerResource


@dg.sensor(target=[refunds], minimum_interval_seconds=600, default_status=dg.DefaultSensorStatus.RUNNING)
def refund_alerts(context: dg.SensorEvaluationContext, mailer: MailerResource):  # DAG307
    mailer.send("finance@example.com", "checking refunds")
    return dg.SkipReason("no new refunds")


@dg.schedule(
    cron_schedule="0 7 * * *",
    target=[refunds],
    required_resource_keys={"warehouse"},
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def morning_refunds(context: dg.ScheduleEvaluationContext):
    context.resources.warehouse.query("select 1")
    return dg.RunRequest()
