ANALYZE touched_person;
