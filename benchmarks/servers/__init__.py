"""The real servers a benchmark or a test starts on this machine and stops by PID: free loopback ports
(`ports`), a throw-away PostgreSQL (`pgserver`), Airflow's own services (`airflow`; `airflow_patient`
for a loaded machine and the ports of a shared one). Shared by benchmarks/ and tests/, so kept here, on
the top floor, rather than under tests/."""
