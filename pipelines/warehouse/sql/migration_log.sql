-- Each applied migration with the checksum of its text: an applied file must never change.
CREATE TABLE IF NOT EXISTS audit.schema_migration (
    version int PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())
