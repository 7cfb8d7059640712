import dagster as dg

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")
