"""The steps of a night, the one plan of the night, dbt, Airflow glue, status and summary."""
