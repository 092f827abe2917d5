SELECT column_name FROM information_schema.columns
WHERE table_catalog = 'lake' AND table_schema = ? AND table_name = ?
