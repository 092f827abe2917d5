{#- The delivery landed after its deadline (timeliness of a snapshot delivery). -#}
SELECT max(_landed_at) AS value FROM {batch}
HAVING max(_landed_at) > CAST({{ deadline | literal }} AS TIMESTAMP)
