-- Put a lake table back to what readers saw before tonight's build (DuckLake time travel).
-- {{ table }} is a catalog-derived, quoted identifier; {{ snapshot }} an integer.
create or replace table {{ table }} as
select * from {{ table }} at (version => {{ snapshot }});
