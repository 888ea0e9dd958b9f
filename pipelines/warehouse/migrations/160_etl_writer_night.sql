-- The nightly login is a member of etl_writer: neither a superuser nor the
-- tables' owner (docs/deployment.md). What a night does beyond reading and
-- writing rows is granted here, or done by a function of the owner's that can
-- do nothing else.

-- Staging is emptied by TRUNCATE (pipelines/warehouse/staging.py) and so is the
-- winners' table when rebuilt whole (pipelines/marts). DELETE was granted already:
-- TRUNCATE destroys nothing more.
GRANT TRUNCATE ON ALL TABLES IN SCHEMA staging TO etl_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA staging GRANT TRUNCATE ON TABLES TO etl_writer;
GRANT TRUNCATE ON warehouse.person_winner TO etl_writer;

-- ANALYZE needs ownership; a non-owner's ANALYZE is skipped with a mere
-- warning, and the next night's lookups would be planned as scans.
CREATE FUNCTION warehouse.analyze_tables(tables text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    rel regclass;
BEGIN
    FOREACH rel IN ARRAY tables::regclass[] LOOP
        IF (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = rel)
                NOT IN ('staging', 'warehouse', 'quarantine', 'audit', 'mart', 'bapenda') THEN
            RAISE EXCEPTION 'analyze_tables: % is not a table of the pipeline', rel
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        EXECUTE format('ANALYZE %s', rel);
    END LOOP;
END $$;

-- A first night fills some tables from empty and builds their secondary
-- indexes (and keys) once afterwards (pipelines/warehouse/indexes.py). Dropping
-- and creating indexes needs ownership: the definitions are set aside in a table
-- of the owner's and built again from there only, never from text the caller
-- passes. Both run in the caller's transaction: an error rolls back the drop.
CREATE TABLE audit.set_aside_index (
    table_name text NOT NULL,
    index_name text NOT NULL,
    definition text NOT NULL,
    constraint_name text,
    constraint_definition text
);
REVOKE ALL ON audit.set_aside_index FROM etl_writer;

CREATE FUNCTION warehouse.set_indexes_aside(tables text[], keys boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ix record;
BEGIN
    IF EXISTS (SELECT FROM unnest(tables::regclass[]) AS t(rel)
               WHERE rel NOT IN ('warehouse.golden_record'::regclass, 'warehouse.identity_node'::regclass,
                                 'warehouse.person_residence'::regclass, 'warehouse.person_winner'::regclass)) THEN
        RAISE EXCEPTION 'set_indexes_aside: only the tables a first night fills'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR ix IN
        SELECT i.indrelid::regclass::text AS table_name, format('%I.%I', n.nspname, c.relname) AS index_name,
               pg_get_indexdef(i.indexrelid) AS definition, quote_ident(k.conname) AS constraint_name,
               pg_get_constraintdef(k.oid) AS constraint_definition
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid
        WHERE i.indrelid = ANY (tables::regclass[]) AND (k.oid IS NULL OR (keys AND k.contype = 'p'))
        ORDER BY 2
    LOOP
        INSERT INTO audit.set_aside_index VALUES (ix.table_name, ix.index_name, ix.definition,
                                                  ix.constraint_name, ix.constraint_definition);
        IF ix.constraint_name IS NULL THEN
            EXECUTE format('DROP INDEX %s', ix.index_name);
        ELSE
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %s', ix.table_name, ix.constraint_name);
        END IF;
    END LOOP;
END $$;

CREATE FUNCTION warehouse.restore_indexes(tables text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ix record;
BEGIN
    FOR ix IN
        DELETE FROM audit.set_aside_index WHERE table_name::regclass = ANY (tables::regclass[]) RETURNING *
    LOOP
        IF ix.constraint_name IS NULL THEN
            EXECUTE ix.definition;
        ELSE
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %s %s', ix.table_name, ix.constraint_name,
                           ix.constraint_definition);
        END IF;
    END LOOP;
END $$;

REVOKE ALL ON FUNCTION warehouse.analyze_tables(text[]), warehouse.set_indexes_aside(text[], boolean),
    warehouse.restore_indexes(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION warehouse.analyze_tables(text[]), warehouse.set_indexes_aside(text[], boolean),
    warehouse.restore_indexes(text[]) TO etl_writer;
