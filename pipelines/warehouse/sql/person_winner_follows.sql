-- Whether warehouse.person_winner holds the night just before this one, with
-- the same districts: tonight's staged changes were then found against exactly
-- the files it was built from, so only the persons they touch can have another
-- winner tonight.
SELECT EXISTS (
    SELECT 1 FROM warehouse.person_winner_night w
    WHERE w.night = (SELECT max(export_date) FROM warehouse.night_record WHERE export_date < %(night)s)
      AND ARRAY(SELECT district_code FROM warehouse.night_record WHERE export_date = w.night ORDER BY 1)
          = ARRAY(SELECT district_code FROM warehouse.night_record WHERE export_date = %(night)s ORDER BY 1));
