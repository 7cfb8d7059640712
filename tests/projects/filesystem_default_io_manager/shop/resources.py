import dagster as dg

# The filesystem I/O manager records only the path it wrote to.
local_io_manager = dg.FilesystemIOManager(base_dir="/tmp/dagster")
