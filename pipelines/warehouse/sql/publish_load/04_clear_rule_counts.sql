DELETE FROM audit.rule_count WHERE export_date = %(night)s AND district_code = %(district)s;
