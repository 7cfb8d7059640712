import dagster as dg
from dagster_slack import SlackResource


@dg.asset
def revenue_report(context: dg.AssetExecutionContext, slack: SlackResource):
    # `slack` may be bound by a component declared in YAML: silent.
    slack.get_client().chat_postMessage(channel="#finance", text="revenue ready")


@dg.asset
def finance_summary(finance):
    # `finance` is bound in defs/resources.py, but a dbt model may be called `finance` too.
    return finance
