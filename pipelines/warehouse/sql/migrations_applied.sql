SELECT version, name, sha256 FROM audit.schema_migration
