-- warehouse.person_winner brought to the night (migration 060): the winners in
-- temp table night_winner (built by sql/night_winner/ beside this one)
-- replace the rows the caller cleared, and the table is marked as holding the
-- night.
INSERT INTO warehouse.person_winner (person_id, district_code, kecamatan_code, desa_code, stat_hidup, tgl_lhr,
                                     stat_kwn, ektp_current_status_code)
SELECT person_id, district_code, kecamatan_code, desa_code, stat_hidup, tgl_lhr, stat_kwn, ektp_current_status_code
FROM night_winner;
