DELETE FROM quality.scores WHERE run_date = CAST(? AS DATE);
