ANALYZE touched_version;
