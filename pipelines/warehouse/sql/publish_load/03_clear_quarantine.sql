DELETE FROM quarantine.record WHERE export_date = %(night)s AND district_code = %(district)s;
