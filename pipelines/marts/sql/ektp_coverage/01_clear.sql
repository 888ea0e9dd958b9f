-- e-KTP recording coverage per desa for a night. Each human counts once, at the
-- residence of their winning record of the night (warehouse.person_winner,
-- which pipelines/marts/__init__.py makes hold the night); "wajib KTP" and
-- "recorded" are the functions of migration 050.
DELETE FROM mart.ektp_coverage WHERE export_date = %(night)s;
