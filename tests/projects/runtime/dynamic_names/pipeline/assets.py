import dagster as dg

customers = dg.DynamicPartitionsDefinition(name="customers")
clients = dg.DynamicPartitionsDefinition(name="clients")


@dg.asset(partitions_def=clients)
def client_files(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=customers, deps=[client_files])  # DAG201
def customer_profiles(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
