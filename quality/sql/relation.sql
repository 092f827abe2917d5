{#- A lake table or view to validate; `relation` is a checked dotted identifier. -#}
SELECT * FROM {{ relation | ident }}
