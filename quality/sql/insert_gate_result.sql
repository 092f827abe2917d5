INSERT INTO quality.gate_results
    (run_id, run_date, dataset, department, handover, expectation, expectation_type, kwargs, column_name,
     severity, dimension, description_en, description_zh, rule_source, success, unexpected_count,
     element_count, unexpected_percent, observed_value, sample, error, fix_en, fix_zh)
VALUES (?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
