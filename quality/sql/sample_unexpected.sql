{#- A few failing rows of an UnexpectedRowsExpectation query, for the report (only run when it failed). -#}
SELECT * FROM ({{ query }}) AS unexpected LIMIT {{ limit | int }}
