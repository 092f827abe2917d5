-- The metadata database as the data service's first slice made it (before schema versioning): apps,
-- secrets, revoked tokens, the exchange log, and applications with a required client_id and no
-- valid_from/approver. One app, one approved and one pending application; the log rows are appended
-- by the test (hash-chained).
CREATE TABLE apps (
	client_id VARCHAR(64) NOT NULL, department VARCHAR(32) NOT NULL, name VARCHAR(200) NOT NULL,
	status VARCHAR(16) NOT NULL, created_at VARCHAR(32) NOT NULL, revoked_at VARCHAR(32),
	quota_per_minute INTEGER, quota_rows_per_day INTEGER, PRIMARY KEY (client_id));
CREATE TABLE exchange_log (
	seq INTEGER NOT NULL, at VARCHAR(32) NOT NULL, client_id VARCHAR(64), department VARCHAR(32),
	operator VARCHAR(200), purpose VARCHAR(500), jti VARCHAR(64), method VARCHAR(8) NOT NULL,
	path VARCHAR(500) NOT NULL, dataset VARCHAR(64), application_id VARCHAR(32), columns TEXT, rows INTEGER,
	snapshot_id INTEGER, status INTEGER NOT NULL, latency_ms FLOAT NOT NULL, bytes INTEGER, detail TEXT,
	prev_hash VARCHAR(64) NOT NULL, row_hash VARCHAR(64) NOT NULL, PRIMARY KEY (seq));
CREATE INDEX exchange_log_client_at ON exchange_log (client_id, at);
CREATE TABLE revoked_tokens (jti VARCHAR(64) NOT NULL, revoked_at VARCHAR(32) NOT NULL, PRIMARY KEY (jti));
CREATE TABLE app_secrets (
	secret_id INTEGER NOT NULL, client_id VARCHAR(64) NOT NULL, secret_hash VARCHAR(200) NOT NULL,
	created_at VARCHAR(32) NOT NULL, retired_at VARCHAR(32), PRIMARY KEY (secret_id),
	FOREIGN KEY(client_id) REFERENCES apps (client_id));
CREATE INDEX ix_app_secrets_client_id ON app_secrets (client_id);
CREATE TABLE applications (
	application_id VARCHAR(32) NOT NULL, client_id VARCHAR(64) NOT NULL, department VARCHAR(32) NOT NULL,
	resource_code VARCHAR(32) NOT NULL, provider VARCHAR(32) NOT NULL, columns TEXT NOT NULL,
	row_filter TEXT NOT NULL, purpose VARCHAR(500) NOT NULL, legal_basis VARCHAR(500) NOT NULL,
	valid_until VARCHAR(10) NOT NULL, status VARCHAR(16) NOT NULL, reason VARCHAR(500),
	applied_on VARCHAR(10) NOT NULL, decided_on VARCHAR(10), PRIMARY KEY (application_id),
	FOREIGN KEY(client_id) REFERENCES apps (client_id));
CREATE INDEX ix_applications_client_id ON applications (client_id);
INSERT INTO apps VALUES ('app_0123456789abcdef', 'civil', '低保核对系统', 'active', '2026-11-20T08:00:00+00:00', NULL, NULL, NULL);
INSERT INTO applications VALUES ('SQ20261120aaaaaa', 'app_0123456789abcdef', 'civil', '101001001/000001', 'psb',
	'["id_number", "person_name"]', '[["county_code", "eq.510603"]]', '低保资格核对', '社会救助暂行办法', '2027-06-30',
	'approved', NULL, '2026-11-20', '2026-11-23');
INSERT INTO applications VALUES ('SQ20261121bbbbbb', 'app_0123456789abcdef', 'civil', '102001001/000001', 'samr',
	'["legal_rep_name"]', '[]', '企业资格核对', '社会救助暂行办法', '2027-06-30', 'pending', NULL, '2026-11-21', NULL)
