DELETE FROM audit.validation_result WHERE export_date = %(night)s AND district_code = %(district)s;
