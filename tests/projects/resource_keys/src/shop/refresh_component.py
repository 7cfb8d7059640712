import dagster as dg


class ChannelRefresh(dg.Component, dg.Resolvable):
    """A component: the project that loads it binds `refresh_hub`, not this module."""

    channel: str

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        @dg.asset(name=f"{self.channel}_refresh", required_resource_keys={"refresh_hub"})
        def _refresh(context: dg.AssetExecutionContext):
            context.resources.refresh_hub.trigger(self.channel)

        return dg.Definitions(assets=[_refresh])
