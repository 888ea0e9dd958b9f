-- Each person's winning record of a night, into temp table night_winner: the
-- rule of warehouse.person_night (the record changed last wins; then district
-- and row), planned for a whole province. The view unnests each night's
-- version list where the planner cannot count it; here the rows are unnested
-- once into a table it can, joined by hash, and persons sort in byte order.
-- With %(touched)s, only the persons in temp table touched_person (an
-- ordinary night's golden records): their versions are read once, by index,
-- into temp table touched_version, and the night's rows are kept only where
-- they hold one; no other record is read.
SET LOCAL work_mem = '1GB';
