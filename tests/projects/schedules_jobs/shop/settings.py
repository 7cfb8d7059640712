# Job names shared by sensors and scripts; no framework import here.
CUSTOMERS_JOB = "customers_job"
REPORTS_JOB = "report_job"
