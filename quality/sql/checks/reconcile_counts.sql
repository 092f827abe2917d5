{#- Row counts of a model and its upstream relation must reconcile within a tolerance. -#}
SELECT b.n AS value, u.n AS upstream FROM
  (SELECT count(*) AS n FROM {batch}) AS b,
  (SELECT count(*) AS n FROM {{ upstream | ident }}) AS u
WHERE abs(b.n - u.n) > {{ tolerance }} * greatest(u.n, 1)
