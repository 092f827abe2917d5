-- Department-level scores of one night (index page).
SELECT department, dimension, score FROM quality.scores
WHERE level = 'department' AND run_date = CAST(? AS DATE)
