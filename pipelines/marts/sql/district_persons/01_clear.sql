-- Persons per district of a night, each at the residence of their winning
-- record (warehouse.person_winner, see ektp_coverage/).
DELETE FROM mart.district_persons WHERE export_date = %(night)s;
