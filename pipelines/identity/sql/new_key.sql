-- The blocking keys of a batch of tonight's new nodes (resolve.KEY_COLUMNS), for sql/candidates.sql.
CREATE TEMP TABLE IF NOT EXISTS new_key (nik text, dob date, first_skel text, mother_skel text, name_skel text,
                                         birth_year int, nik_birth text, name_key text, address_key text, desa text)
    ON COMMIT DROP
