"""Probe GX on DuckDB in a fresh interpreter: `python _gx_probe.py DB [patch]` prints JSON.

Used by test_gx_duckdb.py to show the un-patched GX still fails on DuckDB (so the
patch is still needed) and the patched one passes.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def run(db: str, patched: bool) -> dict:
    if patched:
        from quality import gx_duckdb

        gx_duckdb.patch()
    import great_expectations as gx
    import great_expectations.expectations as gxe

    ctx = gx.get_context(mode="ephemeral")
    ds = ctx.data_sources.add_sql("probe", connection_string=f"duckdb:///{db}")
    batch = ds.add_query_asset("t", query="select * from t").add_batch_definition_whole_table("all").get_batch()
    out = {}
    for name, exp in {
        "not_null": gxe.ExpectColumnValuesToNotBeNull(column="s"),
        "regex": gxe.ExpectColumnValuesToMatchRegex(column="s", regex="[0-9]$"),
    }.items():
        r = batch.validate(exp)
        info = r.exception_info or {}
        msgs = [info.get("exception_message")] if "exception_message" in info else [
            v.get("exception_message") for v in info.values() if isinstance(v, dict)]
        out[name] = {"success": bool(r.success), "errors": [m for m in msgs if m]}
    return out


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], len(sys.argv) > 2 and sys.argv[2] == "patch")))
