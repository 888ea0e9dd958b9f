ANALYZE night_node;
