# Plain settings, no framework import: the index still reads the constants other modules import.
START_DATE = "2024-01-01"
TIMEZONE = "America/New_York"
