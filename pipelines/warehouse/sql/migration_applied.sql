INSERT INTO audit.schema_migration (version, name, sha256) VALUES (%(version)s, %(name)s, %(sha256)s)
