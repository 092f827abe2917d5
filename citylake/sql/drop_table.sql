-- A table that did not exist before tonight's build is not published at all.
drop table if exists {{ table }};
