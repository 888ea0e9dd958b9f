-- Each record of a catalogue night with the person the published night gave it.
SELECT district_code || ':' || source_row, person_id FROM warehouse.record_identity WHERE export_date = %(night)s
