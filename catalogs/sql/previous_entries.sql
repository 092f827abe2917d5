-- The catalog as it stands before tonight's generation (publication dates are carried over).
select resource_code, model, published_on from catalog.entries
