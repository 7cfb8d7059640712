import dagster as dg


class SftpResource(dg.ConfigurableResource):
    host: str


@dg.asset
def export_orders(sftp):  # DAG308
    sftp.put("orders.csv")


@dg.definitions
def exports():
    return dg.Definitions(assets=[export_orders], resources={"sftp": SftpResource(host=dg.EnvVar("SFTP_HOST"))})
