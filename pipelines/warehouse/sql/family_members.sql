-- Every version the families of a staged load ever had (the family rule,
-- pipelines/validate/family.py, keeps tonight's among them): its family card, its id
-- and whether it is the head (STAT_HBKEL's code given as head: the contract's
-- HEAD_OF_FAMILY). Index-only through record_version_kk (migration 150) where
-- the visibility map is set.
SELECT v.no_kk, v.version_id, v.stat_hbkel = %(head)s AS head
FROM (SELECT DISTINCT l.district_code, s.no_kk FROM staging.resident s
      JOIN staging.load l USING (load_id) WHERE load_id = %(load_id)s) family
JOIN warehouse.record_version v USING (district_code, no_kk)
