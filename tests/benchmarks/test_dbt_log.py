"""The dbt node lines of a night's log split the dbt stage into models, tests and the rest."""

from benchmarks.dbt_log import summarise

LOG = """\
\x1b[0m20:38:15  Unable to do partial parsing because saved manifest not found. Starting full parse.
\x1b[0m20:38:19  1 of 3 START sql table model lake.base.iot_sensing ............ [RUN]
\x1b[0m20:38:19  1 of 3 OK created sql table model lake.base.iot_sensing ....... [\x1b[32mOK\x1b[0m in 0.29s]
20:38:20  2 of 3 PASS not_null_iot_sensing_sensor_id .................... [\x1b[32mPASS\x1b[0m in 0.14s]
20:38:20  3 of 3 FAIL 2 unique_iot_sensing_sensor_id .................... [\x1b[31mFAIL 2\x1b[0m in 0.12s]
20:39:01  1 of 2 OK created sql incremental model lake.staging.stg_bdc__readings .. [OK in 5.50s]
20:39:02  2 of 2 OK created sql view model lake.staging.stg_bdc__sensors ... [OK in 0.20s]
2026-11-25T20:38:54Z [info] Done. PASS=3 WARN=0 ERROR=0 SKIP=0 TOTAL=3
"""


def test_models_tests_and_full_parses_are_counted():
    s = summarise(LOG, top=2)
    assert s["models"] == 3 and s["models_s"] == 5.99
    assert s["tests"] == 2 and s["tests_s"] == 0.26
    assert list(s["slowest_models"]) == ["lake.staging.stg_bdc__readings", "lake.base.iot_sensing"]
    assert s["full_parses"] == 1
