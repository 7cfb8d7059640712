import dagster as dg

from analytics.constants import START_DATE, TIMEZONE

daily = dg.DailyPartitionsDefinition(start_date=START_DATE)
late_daily = dg.DailyPartitionsDefinition(start_date="2024-06-01")
ny_daily = dg.DailyPartitionsDefinition(start_date=START_DATE, timezone=TIMEZONE)
hourly = dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00")
monthly = dg.MonthlyPartitionsDefinition(start_date=START_DATE)
regions = dg.StaticPartitionsDefinition(["eu", "us"])
all_regions = dg.StaticPartitionsDefinition(["eu", "us", "apac"])
region_day = dg.MultiPartitionsDefinition({"date": daily, "region": regions})
region_ny_day = dg.MultiPartitionsDefinition({"date": ny_daily, "region": regions})
files = dg.DynamicPartitionsDefinition(name="files")
uploads = dg.DynamicPartitionsDefinition(name="uploads")
