-- The published catalog's entries and their provider departments (for attributing the exchange log).
select resource_code, model, name_zh, provider_id from catalog.entries
