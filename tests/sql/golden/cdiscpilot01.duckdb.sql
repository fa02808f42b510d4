WITH "demographics_repeated" AS (
  SELECT
    "subject_id"
  FROM "demographics"
  WHERE
    NOT "subject_id" IS NULL AND "visit" IN ('SCRN1')
  GROUP BY
    "subject_id"
  HAVING
    COUNT(*) > 1
), "demographics_by_visit" AS (
  SELECT
    "record"."subject_id" AS "subject_id",
    "record"."age" AS "age__SCRN1",
    "record"."sex" AS "sex__SCRN1",
    "record"."postmenopausal" AS "postmenopausal__SCRN1"
  FROM (
    SELECT
      "subject_id",
      "visit",
      CASE WHEN "age" >= 0 AND "age" <= 120 THEN "age" END AS "age",
      CASE WHEN "sex" IN ('M', 'F') THEN "sex" END AS "sex",
      "postmenopausal" AS "postmenopausal"
    FROM (
      SELECT
        "subject_id",
        "visit",
        CAST("age" AS DOUBLE) AS "age",
        "sex" AS "sex",
        "postmenopausal" AS "postmenopausal"
      FROM "demographics"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCRN1')
    ) AS "demographics_converted"
  ) AS "record"
  WHERE
    NOT "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "demographics_repeated"
    )
  UNION ALL
  SELECT
    "record"."subject_id" AS "subject_id",
    CASE WHEN MIN("record"."age") = MAX("record"."age") THEN MAX("record"."age") END AS "age__SCRN1",
    CASE WHEN MIN("record"."sex") = MAX("record"."sex") THEN MAX("record"."sex") END AS "sex__SCRN1",
    CASE
      WHEN BOOL_AND(CAST("record"."postmenopausal" AS BOOLEAN)) = BOOL_OR(CAST("record"."postmenopausal" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."postmenopausal" AS BOOLEAN))
    END AS "postmenopausal__SCRN1"
  FROM (
    SELECT
      "subject_id",
      "visit",
      CASE WHEN "age" >= 0 AND "age" <= 120 THEN "age" END AS "age",
      CASE WHEN "sex" IN ('M', 'F') THEN "sex" END AS "sex",
      "postmenopausal" AS "postmenopausal"
    FROM (
      SELECT
        "subject_id",
        "visit",
        CAST("age" AS DOUBLE) AS "age",
        "sex" AS "sex",
        "postmenopausal" AS "postmenopausal"
      FROM "demographics"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCRN1')
    ) AS "demographics_converted_2"
  ) AS "record"
  WHERE
    "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "demographics_repeated"
    )
  GROUP BY
    "record"."subject_id"
), "eligibility_assessments_repeated" AS (
  SELECT
    "subject_id"
  FROM "eligibility_assessments"
  WHERE
    NOT "subject_id" IS NULL AND "visit" IN ('SCRN1')
  GROUP BY
    "subject_id"
  HAVING
    COUNT(*) > 1
), "eligibility_assessments_by_visit" AS (
  SELECT
    "record"."subject_id" AS "subject_id",
    "record"."probable_ad" AS "probable_ad__SCRN1",
    "record"."mmse_total" AS "mmse_total__SCRN1",
    "record"."hachinski" AS "hachinski__SCRN1",
    "record"."imaging_compatible" AS "imaging_compatible__SCRN1",
    "record"."imaging_date" AS "imaging_date__SCRN1",
    "record"."prior_xanomeline" AS "prior_xanomeline__SCRN1",
    "record"."any_medications" AS "any_medications__SCRN1",
    "record"."any_medical_history" AS "any_medical_history__SCRN1",
    "record"."ecg_listed_condition" AS "ecg_listed_condition__SCRN1",
    "record"."communication_disability" AS "communication_disability__SCRN1"
  FROM (
    SELECT
      "subject_id",
      "visit",
      "probable_ad" AS "probable_ad",
      CASE WHEN "mmse_total" >= 0 AND "mmse_total" <= 30 THEN "mmse_total" END AS "mmse_total",
      CASE WHEN "hachinski" >= 0 AND "hachinski" <= 18 THEN "hachinski" END AS "hachinski",
      "imaging_compatible" AS "imaging_compatible",
      "imaging_date" AS "imaging_date",
      "prior_xanomeline" AS "prior_xanomeline",
      "ecg_listed_condition" AS "ecg_listed_condition",
      "communication_disability" AS "communication_disability",
      "any_medical_history" AS "any_medical_history",
      "any_medications" AS "any_medications"
    FROM (
      SELECT
        "subject_id",
        "visit",
        "probable_ad" AS "probable_ad",
        CAST("mmse_total" AS DOUBLE) AS "mmse_total",
        CAST("hachinski" AS DOUBLE) AS "hachinski",
        "imaging_compatible" AS "imaging_compatible",
        "imaging_date" AS "imaging_date",
        "prior_xanomeline" AS "prior_xanomeline",
        "ecg_listed_condition" AS "ecg_listed_condition",
        "communication_disability" AS "communication_disability",
        "any_medical_history" AS "any_medical_history",
        "any_medications" AS "any_medications"
      FROM "eligibility_assessments"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCRN1')
    ) AS "eligibility_assessments_converted"
  ) AS "record"
  WHERE
    NOT "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "eligibility_assessments_repeated"
    )
  UNION ALL
  SELECT
    "record"."subject_id" AS "subject_id",
    CASE
      WHEN BOOL_AND(CAST("record"."probable_ad" AS BOOLEAN)) = BOOL_OR(CAST("record"."probable_ad" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."probable_ad" AS BOOLEAN))
    END AS "probable_ad__SCRN1",
    CASE
      WHEN MIN("record"."mmse_total") = MAX("record"."mmse_total")
      THEN MAX("record"."mmse_total")
    END AS "mmse_total__SCRN1",
    CASE
      WHEN MIN("record"."hachinski") = MAX("record"."hachinski")
      THEN MAX("record"."hachinski")
    END AS "hachinski__SCRN1",
    CASE
      WHEN BOOL_AND(CAST("record"."imaging_compatible" AS BOOLEAN)) = BOOL_OR(CAST("record"."imaging_compatible" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."imaging_compatible" AS BOOLEAN))
    END AS "imaging_compatible__SCRN1",
    CASE
      WHEN MIN("record"."imaging_date") = MAX("record"."imaging_date")
      THEN MAX("record"."imaging_date")
    END AS "imaging_date__SCRN1",
    CASE
      WHEN BOOL_AND(CAST("record"."prior_xanomeline" AS BOOLEAN)) = BOOL_OR(CAST("record"."prior_xanomeline" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."prior_xanomeline" AS BOOLEAN))
    END AS "prior_xanomeline__SCRN1",
    CASE
      WHEN BOOL_AND(CAST("record"."any_medications" AS BOOLEAN)) = BOOL_OR(CAST("record"."any_medications" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."any_medications" AS BOOLEAN))
    END AS "any_medications__SCRN1",
    CASE
      WHEN BOOL_AND(CAST("record"."any_medical_history" AS BOOLEAN)) = BOOL_OR(CAST("record"."any_medical_history" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."any_medical_history" AS BOOLEAN))
    END AS "any_medical_history__SCRN1",
    CASE
      WHEN BOOL_AND(CAST("record"."ecg_listed_condition" AS BOOLEAN)) = BOOL_OR(CAST("record"."ecg_listed_condition" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."ecg_listed_condition" AS BOOLEAN))
    END AS "ecg_listed_condition__SCRN1",
    CASE
      WHEN BOOL_AND(CAST("record"."communication_disability" AS BOOLEAN)) = BOOL_OR(CAST("record"."communication_disability" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."communication_disability" AS BOOLEAN))
    END AS "communication_disability__SCRN1"
  FROM (
    SELECT
      "subject_id",
      "visit",
      "probable_ad" AS "probable_ad",
      CASE WHEN "mmse_total" >= 0 AND "mmse_total" <= 30 THEN "mmse_total" END AS "mmse_total",
      CASE WHEN "hachinski" >= 0 AND "hachinski" <= 18 THEN "hachinski" END AS "hachinski",
      "imaging_compatible" AS "imaging_compatible",
      "imaging_date" AS "imaging_date",
      "prior_xanomeline" AS "prior_xanomeline",
      "ecg_listed_condition" AS "ecg_listed_condition",
      "communication_disability" AS "communication_disability",
      "any_medical_history" AS "any_medical_history",
      "any_medications" AS "any_medications"
    FROM (
      SELECT
        "subject_id",
        "visit",
        "probable_ad" AS "probable_ad",
        CAST("mmse_total" AS DOUBLE) AS "mmse_total",
        CAST("hachinski" AS DOUBLE) AS "hachinski",
        "imaging_compatible" AS "imaging_compatible",
        "imaging_date" AS "imaging_date",
        "prior_xanomeline" AS "prior_xanomeline",
        "ecg_listed_condition" AS "ecg_listed_condition",
        "communication_disability" AS "communication_disability",
        "any_medical_history" AS "any_medical_history",
        "any_medications" AS "any_medications"
      FROM "eligibility_assessments"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCRN1')
    ) AS "eligibility_assessments_converted_2"
  ) AS "record"
  WHERE
    "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "eligibility_assessments_repeated"
    )
  GROUP BY
    "record"."subject_id"
), "screening_labs_repeated" AS (
  SELECT
    "subject_id"
  FROM "screening_labs"
  WHERE
    NOT "subject_id" IS NULL AND "visit" IN ('SCRN1')
  GROUP BY
    "subject_id"
  HAVING
    COUNT(*) > 1
), "screening_labs_by_visit" AS (
  SELECT
    "record"."subject_id" AS "subject_id",
    "record"."above_range_iii" AS "above_range_iii__SCRN1",
    "record"."folate" AS "folate__SCRN1",
    "record"."folate_lln" AS "folate_lln__SCRN1",
    "record"."vitamin_b12" AS "vitamin_b12__SCRN1",
    "record"."vitamin_b12_lln" AS "vitamin_b12_lln__SCRN1",
    "record"."tsh" AS "tsh__SCRN1",
    "record"."tsh_lln" AS "tsh_lln__SCRN1",
    "record"."tsh_uln" AS "tsh_uln__SCRN1",
    "record"."syphilis" AS "syphilis__SCRN1",
    "record"."hba1c" AS "hba1c__SCRN1",
    "record"."hba1c_uln" AS "hba1c_uln__SCRN1"
  FROM (
    SELECT
      "subject_id",
      "visit",
      "above_range_iii" AS "above_range_iii",
      "folate" AS "folate",
      "folate_lln" AS "folate_lln",
      "vitamin_b12" AS "vitamin_b12",
      "vitamin_b12_lln" AS "vitamin_b12_lln",
      "tsh" AS "tsh",
      "tsh_lln" AS "tsh_lln",
      "tsh_uln" AS "tsh_uln",
      CASE WHEN "syphilis" IN ('positive', 'negative') THEN "syphilis" END AS "syphilis",
      "hba1c" AS "hba1c",
      "hba1c_uln" AS "hba1c_uln"
    FROM (
      SELECT
        "subject_id",
        "visit",
        "above_range_iii" AS "above_range_iii",
        CASE
          WHEN "folate__unit" IS NULL OR "folate__unit" IN ('', 'ng/mL')
          THEN "folate"
          WHEN "folate__unit" = 'g/L'
          THEN ROUND(CAST("folate" * 1000000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'g/dL'
          THEN ROUND(CAST("folate" * 10000000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'g/mL'
          THEN ROUND(CAST("folate" * 1000000000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'mg/L'
          THEN ROUND(CAST("folate" * 1000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'mg/dL'
          THEN ROUND(CAST("folate" * 10000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'mg/mL'
          THEN ROUND(CAST("folate" * 1000000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'ug/L'
          THEN "folate"
          WHEN "folate__unit" = 'ug/dL'
          THEN ROUND(CAST("folate" * 10 AS DOUBLE), 9)
          WHEN "folate__unit" = 'ug/mL'
          THEN ROUND(CAST("folate" * 1000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'ng/L'
          THEN ROUND(CAST("folate" / 1000 AS DOUBLE), 12)
          WHEN "folate__unit" = 'ng/dL'
          THEN ROUND(CAST("folate" / 100 AS DOUBLE), 11)
          WHEN "folate__unit" = 'pg/mL'
          THEN ROUND(CAST("folate" / 1000 AS DOUBLE), 12)
          WHEN "folate__unit" = 'pg/L'
          THEN ROUND(CAST("folate" / 1000000 AS DOUBLE), 15)
        END AS "folate",
        CASE
          WHEN "folate_lln__unit" IS NULL OR "folate_lln__unit" IN ('', 'ng/mL')
          THEN "folate_lln"
          WHEN "folate_lln__unit" = 'g/L'
          THEN ROUND(CAST("folate_lln" * 1000000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'g/dL'
          THEN ROUND(CAST("folate_lln" * 10000000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'g/mL'
          THEN ROUND(CAST("folate_lln" * 1000000000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'mg/L'
          THEN ROUND(CAST("folate_lln" * 1000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'mg/dL'
          THEN ROUND(CAST("folate_lln" * 10000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'mg/mL'
          THEN ROUND(CAST("folate_lln" * 1000000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'ug/L'
          THEN "folate_lln"
          WHEN "folate_lln__unit" = 'ug/dL'
          THEN ROUND(CAST("folate_lln" * 10 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'ug/mL'
          THEN ROUND(CAST("folate_lln" * 1000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'ng/L'
          THEN ROUND(CAST("folate_lln" / 1000 AS DOUBLE), 12)
          WHEN "folate_lln__unit" = 'ng/dL'
          THEN ROUND(CAST("folate_lln" / 100 AS DOUBLE), 11)
          WHEN "folate_lln__unit" = 'pg/mL'
          THEN ROUND(CAST("folate_lln" / 1000 AS DOUBLE), 12)
          WHEN "folate_lln__unit" = 'pg/L'
          THEN ROUND(CAST("folate_lln" / 1000000 AS DOUBLE), 15)
        END AS "folate_lln",
        CASE
          WHEN "vitamin_b12__unit" IS NULL OR "vitamin_b12__unit" IN ('', 'pg/mL')
          THEN "vitamin_b12"
          WHEN "vitamin_b12__unit" = 'g/L'
          THEN ROUND(CAST("vitamin_b12" * 1000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'g/dL'
          THEN ROUND(CAST("vitamin_b12" * 10000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'g/mL'
          THEN ROUND(CAST("vitamin_b12" * 1000000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'mg/L'
          THEN ROUND(CAST("vitamin_b12" * 1000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'mg/dL'
          THEN ROUND(CAST("vitamin_b12" * 10000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'mg/mL'
          THEN ROUND(CAST("vitamin_b12" * 1000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'ug/L'
          THEN ROUND(CAST("vitamin_b12" * 1000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'ug/dL'
          THEN ROUND(CAST("vitamin_b12" * 10000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'ug/mL'
          THEN ROUND(CAST("vitamin_b12" * 1000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'ng/L'
          THEN "vitamin_b12"
          WHEN "vitamin_b12__unit" = 'ng/dL'
          THEN ROUND(CAST("vitamin_b12" * 10 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'ng/mL'
          THEN ROUND(CAST("vitamin_b12" * 1000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'pg/L'
          THEN ROUND(CAST("vitamin_b12" / 1000 AS DOUBLE), 12)
        END AS "vitamin_b12",
        CASE
          WHEN "vitamin_b12_lln__unit" IS NULL OR "vitamin_b12_lln__unit" IN ('', 'pg/mL')
          THEN "vitamin_b12_lln"
          WHEN "vitamin_b12_lln__unit" = 'g/L'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'g/dL'
          THEN ROUND(CAST("vitamin_b12_lln" * 10000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'g/mL'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'mg/L'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'mg/dL'
          THEN ROUND(CAST("vitamin_b12_lln" * 10000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'mg/mL'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'ug/L'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'ug/dL'
          THEN ROUND(CAST("vitamin_b12_lln" * 10000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'ug/mL'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'ng/L'
          THEN "vitamin_b12_lln"
          WHEN "vitamin_b12_lln__unit" = 'ng/dL'
          THEN ROUND(CAST("vitamin_b12_lln" * 10 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'ng/mL'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'pg/L'
          THEN ROUND(CAST("vitamin_b12_lln" / 1000 AS DOUBLE), 12)
        END AS "vitamin_b12_lln",
        CASE
          WHEN "tsh__unit" IS NULL OR "tsh__unit" IN ('', 'm[IU]/L')
          THEN "tsh"
          WHEN "tsh__unit" = '[IU]/L'
          THEN ROUND(CAST("tsh" * 1000 AS DOUBLE), 9)
          WHEN "tsh__unit" = '[IU]/mL'
          THEN ROUND(CAST("tsh" * 1000000 AS DOUBLE), 9)
          WHEN "tsh__unit" = 'm[IU]/mL'
          THEN ROUND(CAST("tsh" * 1000 AS DOUBLE), 9)
          WHEN "tsh__unit" = 'u[IU]/mL'
          THEN "tsh"
          WHEN "tsh__unit" = 'k[IU]/L'
          THEN ROUND(CAST("tsh" * 1000000 AS DOUBLE), 9)
        END AS "tsh",
        CASE
          WHEN "tsh_lln__unit" IS NULL OR "tsh_lln__unit" IN ('', 'm[IU]/L')
          THEN "tsh_lln"
          WHEN "tsh_lln__unit" = '[IU]/L'
          THEN ROUND(CAST("tsh_lln" * 1000 AS DOUBLE), 9)
          WHEN "tsh_lln__unit" = '[IU]/mL'
          THEN ROUND(CAST("tsh_lln" * 1000000 AS DOUBLE), 9)
          WHEN "tsh_lln__unit" = 'm[IU]/mL'
          THEN ROUND(CAST("tsh_lln" * 1000 AS DOUBLE), 9)
          WHEN "tsh_lln__unit" = 'u[IU]/mL'
          THEN "tsh_lln"
          WHEN "tsh_lln__unit" = 'k[IU]/L'
          THEN ROUND(CAST("tsh_lln" * 1000000 AS DOUBLE), 9)
        END AS "tsh_lln",
        CASE
          WHEN "tsh_uln__unit" IS NULL OR "tsh_uln__unit" IN ('', 'm[IU]/L')
          THEN "tsh_uln"
          WHEN "tsh_uln__unit" = '[IU]/L'
          THEN ROUND(CAST("tsh_uln" * 1000 AS DOUBLE), 9)
          WHEN "tsh_uln__unit" = '[IU]/mL'
          THEN ROUND(CAST("tsh_uln" * 1000000 AS DOUBLE), 9)
          WHEN "tsh_uln__unit" = 'm[IU]/mL'
          THEN ROUND(CAST("tsh_uln" * 1000 AS DOUBLE), 9)
          WHEN "tsh_uln__unit" = 'u[IU]/mL'
          THEN "tsh_uln"
          WHEN "tsh_uln__unit" = 'k[IU]/L'
          THEN ROUND(CAST("tsh_uln" * 1000000 AS DOUBLE), 9)
        END AS "tsh_uln",
        "syphilis" AS "syphilis",
        CASE
          WHEN "hba1c__unit" IS NULL OR "hba1c__unit" IN ('', '%')
          THEN "hba1c"
          WHEN "hba1c__unit" = '1'
          THEN ROUND(CAST("hba1c" * 100 AS DOUBLE), 9)
          WHEN "hba1c__unit" = '10*-2'
          THEN "hba1c"
        END AS "hba1c",
        CASE
          WHEN "hba1c_uln__unit" IS NULL OR "hba1c_uln__unit" IN ('', '%')
          THEN "hba1c_uln"
          WHEN "hba1c_uln__unit" = '1'
          THEN ROUND(CAST("hba1c_uln" * 100 AS DOUBLE), 9)
          WHEN "hba1c_uln__unit" = '10*-2'
          THEN "hba1c_uln"
        END AS "hba1c_uln"
      FROM "screening_labs"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCRN1')
    ) AS "screening_labs_converted"
  ) AS "record"
  WHERE
    NOT "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "screening_labs_repeated"
    )
  UNION ALL
  SELECT
    "record"."subject_id" AS "subject_id",
    CASE
      WHEN BOOL_AND(CAST("record"."above_range_iii" AS BOOLEAN)) = BOOL_OR(CAST("record"."above_range_iii" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."above_range_iii" AS BOOLEAN))
    END AS "above_range_iii__SCRN1",
    CASE
      WHEN MIN("record"."folate") = MAX("record"."folate")
      THEN MAX("record"."folate")
    END AS "folate__SCRN1",
    CASE
      WHEN MIN("record"."folate_lln") = MAX("record"."folate_lln")
      THEN MAX("record"."folate_lln")
    END AS "folate_lln__SCRN1",
    CASE
      WHEN MIN("record"."vitamin_b12") = MAX("record"."vitamin_b12")
      THEN MAX("record"."vitamin_b12")
    END AS "vitamin_b12__SCRN1",
    CASE
      WHEN MIN("record"."vitamin_b12_lln") = MAX("record"."vitamin_b12_lln")
      THEN MAX("record"."vitamin_b12_lln")
    END AS "vitamin_b12_lln__SCRN1",
    CASE WHEN MIN("record"."tsh") = MAX("record"."tsh") THEN MAX("record"."tsh") END AS "tsh__SCRN1",
    CASE
      WHEN MIN("record"."tsh_lln") = MAX("record"."tsh_lln")
      THEN MAX("record"."tsh_lln")
    END AS "tsh_lln__SCRN1",
    CASE
      WHEN MIN("record"."tsh_uln") = MAX("record"."tsh_uln")
      THEN MAX("record"."tsh_uln")
    END AS "tsh_uln__SCRN1",
    CASE
      WHEN MIN("record"."syphilis") = MAX("record"."syphilis")
      THEN MAX("record"."syphilis")
    END AS "syphilis__SCRN1",
    CASE
      WHEN MIN("record"."hba1c") = MAX("record"."hba1c")
      THEN MAX("record"."hba1c")
    END AS "hba1c__SCRN1",
    CASE
      WHEN MIN("record"."hba1c_uln") = MAX("record"."hba1c_uln")
      THEN MAX("record"."hba1c_uln")
    END AS "hba1c_uln__SCRN1"
  FROM (
    SELECT
      "subject_id",
      "visit",
      "above_range_iii" AS "above_range_iii",
      "folate" AS "folate",
      "folate_lln" AS "folate_lln",
      "vitamin_b12" AS "vitamin_b12",
      "vitamin_b12_lln" AS "vitamin_b12_lln",
      "tsh" AS "tsh",
      "tsh_lln" AS "tsh_lln",
      "tsh_uln" AS "tsh_uln",
      CASE WHEN "syphilis" IN ('positive', 'negative') THEN "syphilis" END AS "syphilis",
      "hba1c" AS "hba1c",
      "hba1c_uln" AS "hba1c_uln"
    FROM (
      SELECT
        "subject_id",
        "visit",
        "above_range_iii" AS "above_range_iii",
        CASE
          WHEN "folate__unit" IS NULL OR "folate__unit" IN ('', 'ng/mL')
          THEN "folate"
          WHEN "folate__unit" = 'g/L'
          THEN ROUND(CAST("folate" * 1000000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'g/dL'
          THEN ROUND(CAST("folate" * 10000000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'g/mL'
          THEN ROUND(CAST("folate" * 1000000000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'mg/L'
          THEN ROUND(CAST("folate" * 1000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'mg/dL'
          THEN ROUND(CAST("folate" * 10000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'mg/mL'
          THEN ROUND(CAST("folate" * 1000000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'ug/L'
          THEN "folate"
          WHEN "folate__unit" = 'ug/dL'
          THEN ROUND(CAST("folate" * 10 AS DOUBLE), 9)
          WHEN "folate__unit" = 'ug/mL'
          THEN ROUND(CAST("folate" * 1000 AS DOUBLE), 9)
          WHEN "folate__unit" = 'ng/L'
          THEN ROUND(CAST("folate" / 1000 AS DOUBLE), 12)
          WHEN "folate__unit" = 'ng/dL'
          THEN ROUND(CAST("folate" / 100 AS DOUBLE), 11)
          WHEN "folate__unit" = 'pg/mL'
          THEN ROUND(CAST("folate" / 1000 AS DOUBLE), 12)
          WHEN "folate__unit" = 'pg/L'
          THEN ROUND(CAST("folate" / 1000000 AS DOUBLE), 15)
        END AS "folate",
        CASE
          WHEN "folate_lln__unit" IS NULL OR "folate_lln__unit" IN ('', 'ng/mL')
          THEN "folate_lln"
          WHEN "folate_lln__unit" = 'g/L'
          THEN ROUND(CAST("folate_lln" * 1000000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'g/dL'
          THEN ROUND(CAST("folate_lln" * 10000000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'g/mL'
          THEN ROUND(CAST("folate_lln" * 1000000000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'mg/L'
          THEN ROUND(CAST("folate_lln" * 1000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'mg/dL'
          THEN ROUND(CAST("folate_lln" * 10000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'mg/mL'
          THEN ROUND(CAST("folate_lln" * 1000000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'ug/L'
          THEN "folate_lln"
          WHEN "folate_lln__unit" = 'ug/dL'
          THEN ROUND(CAST("folate_lln" * 10 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'ug/mL'
          THEN ROUND(CAST("folate_lln" * 1000 AS DOUBLE), 9)
          WHEN "folate_lln__unit" = 'ng/L'
          THEN ROUND(CAST("folate_lln" / 1000 AS DOUBLE), 12)
          WHEN "folate_lln__unit" = 'ng/dL'
          THEN ROUND(CAST("folate_lln" / 100 AS DOUBLE), 11)
          WHEN "folate_lln__unit" = 'pg/mL'
          THEN ROUND(CAST("folate_lln" / 1000 AS DOUBLE), 12)
          WHEN "folate_lln__unit" = 'pg/L'
          THEN ROUND(CAST("folate_lln" / 1000000 AS DOUBLE), 15)
        END AS "folate_lln",
        CASE
          WHEN "vitamin_b12__unit" IS NULL OR "vitamin_b12__unit" IN ('', 'pg/mL')
          THEN "vitamin_b12"
          WHEN "vitamin_b12__unit" = 'g/L'
          THEN ROUND(CAST("vitamin_b12" * 1000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'g/dL'
          THEN ROUND(CAST("vitamin_b12" * 10000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'g/mL'
          THEN ROUND(CAST("vitamin_b12" * 1000000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'mg/L'
          THEN ROUND(CAST("vitamin_b12" * 1000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'mg/dL'
          THEN ROUND(CAST("vitamin_b12" * 10000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'mg/mL'
          THEN ROUND(CAST("vitamin_b12" * 1000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'ug/L'
          THEN ROUND(CAST("vitamin_b12" * 1000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'ug/dL'
          THEN ROUND(CAST("vitamin_b12" * 10000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'ug/mL'
          THEN ROUND(CAST("vitamin_b12" * 1000000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'ng/L'
          THEN "vitamin_b12"
          WHEN "vitamin_b12__unit" = 'ng/dL'
          THEN ROUND(CAST("vitamin_b12" * 10 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'ng/mL'
          THEN ROUND(CAST("vitamin_b12" * 1000 AS DOUBLE), 9)
          WHEN "vitamin_b12__unit" = 'pg/L'
          THEN ROUND(CAST("vitamin_b12" / 1000 AS DOUBLE), 12)
        END AS "vitamin_b12",
        CASE
          WHEN "vitamin_b12_lln__unit" IS NULL OR "vitamin_b12_lln__unit" IN ('', 'pg/mL')
          THEN "vitamin_b12_lln"
          WHEN "vitamin_b12_lln__unit" = 'g/L'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'g/dL'
          THEN ROUND(CAST("vitamin_b12_lln" * 10000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'g/mL'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'mg/L'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'mg/dL'
          THEN ROUND(CAST("vitamin_b12_lln" * 10000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'mg/mL'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'ug/L'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'ug/dL'
          THEN ROUND(CAST("vitamin_b12_lln" * 10000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'ug/mL'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'ng/L'
          THEN "vitamin_b12_lln"
          WHEN "vitamin_b12_lln__unit" = 'ng/dL'
          THEN ROUND(CAST("vitamin_b12_lln" * 10 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'ng/mL'
          THEN ROUND(CAST("vitamin_b12_lln" * 1000 AS DOUBLE), 9)
          WHEN "vitamin_b12_lln__unit" = 'pg/L'
          THEN ROUND(CAST("vitamin_b12_lln" / 1000 AS DOUBLE), 12)
        END AS "vitamin_b12_lln",
        CASE
          WHEN "tsh__unit" IS NULL OR "tsh__unit" IN ('', 'm[IU]/L')
          THEN "tsh"
          WHEN "tsh__unit" = '[IU]/L'
          THEN ROUND(CAST("tsh" * 1000 AS DOUBLE), 9)
          WHEN "tsh__unit" = '[IU]/mL'
          THEN ROUND(CAST("tsh" * 1000000 AS DOUBLE), 9)
          WHEN "tsh__unit" = 'm[IU]/mL'
          THEN ROUND(CAST("tsh" * 1000 AS DOUBLE), 9)
          WHEN "tsh__unit" = 'u[IU]/mL'
          THEN "tsh"
          WHEN "tsh__unit" = 'k[IU]/L'
          THEN ROUND(CAST("tsh" * 1000000 AS DOUBLE), 9)
        END AS "tsh",
        CASE
          WHEN "tsh_lln__unit" IS NULL OR "tsh_lln__unit" IN ('', 'm[IU]/L')
          THEN "tsh_lln"
          WHEN "tsh_lln__unit" = '[IU]/L'
          THEN ROUND(CAST("tsh_lln" * 1000 AS DOUBLE), 9)
          WHEN "tsh_lln__unit" = '[IU]/mL'
          THEN ROUND(CAST("tsh_lln" * 1000000 AS DOUBLE), 9)
          WHEN "tsh_lln__unit" = 'm[IU]/mL'
          THEN ROUND(CAST("tsh_lln" * 1000 AS DOUBLE), 9)
          WHEN "tsh_lln__unit" = 'u[IU]/mL'
          THEN "tsh_lln"
          WHEN "tsh_lln__unit" = 'k[IU]/L'
          THEN ROUND(CAST("tsh_lln" * 1000000 AS DOUBLE), 9)
        END AS "tsh_lln",
        CASE
          WHEN "tsh_uln__unit" IS NULL OR "tsh_uln__unit" IN ('', 'm[IU]/L')
          THEN "tsh_uln"
          WHEN "tsh_uln__unit" = '[IU]/L'
          THEN ROUND(CAST("tsh_uln" * 1000 AS DOUBLE), 9)
          WHEN "tsh_uln__unit" = '[IU]/mL'
          THEN ROUND(CAST("tsh_uln" * 1000000 AS DOUBLE), 9)
          WHEN "tsh_uln__unit" = 'm[IU]/mL'
          THEN ROUND(CAST("tsh_uln" * 1000 AS DOUBLE), 9)
          WHEN "tsh_uln__unit" = 'u[IU]/mL'
          THEN "tsh_uln"
          WHEN "tsh_uln__unit" = 'k[IU]/L'
          THEN ROUND(CAST("tsh_uln" * 1000000 AS DOUBLE), 9)
        END AS "tsh_uln",
        "syphilis" AS "syphilis",
        CASE
          WHEN "hba1c__unit" IS NULL OR "hba1c__unit" IN ('', '%')
          THEN "hba1c"
          WHEN "hba1c__unit" = '1'
          THEN ROUND(CAST("hba1c" * 100 AS DOUBLE), 9)
          WHEN "hba1c__unit" = '10*-2'
          THEN "hba1c"
        END AS "hba1c",
        CASE
          WHEN "hba1c_uln__unit" IS NULL OR "hba1c_uln__unit" IN ('', '%')
          THEN "hba1c_uln"
          WHEN "hba1c_uln__unit" = '1'
          THEN ROUND(CAST("hba1c_uln" * 100 AS DOUBLE), 9)
          WHEN "hba1c_uln__unit" = '10*-2'
          THEN "hba1c_uln"
        END AS "hba1c_uln"
      FROM "screening_labs"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCRN1')
    ) AS "screening_labs_converted_2"
  ) AS "record"
  WHERE
    "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "screening_labs_repeated"
    )
  GROUP BY
    "record"."subject_id"
), "visit_dates" AS (
  SELECT
    "subject_id",
    CASE
      WHEN MIN(CASE WHEN "visit" = 'SCRN1' THEN "date" END) = MAX(CASE WHEN "visit" = 'SCRN1' THEN "date" END)
      THEN MAX(CASE WHEN "visit" = 'SCRN1' THEN "date" END)
    END AS "date_SCRN1",
    CASE
      WHEN MIN(CASE WHEN "visit" = 'BASELINE' THEN "date" END) = MAX(CASE WHEN "visit" = 'BASELINE' THEN "date" END)
      THEN MAX(CASE WHEN "visit" = 'BASELINE' THEN "date" END)
    END AS "date_BASELINE"
  FROM "visits"
  WHERE
    NOT "subject_id" IS NULL
  GROUP BY
    "subject_id"
), "attested" AS (
  SELECT
    "subject_id",
    CASE
      WHEN BOOL_AND(CAST(CASE WHEN "criterion" = 'INCL06' THEN "attested" END AS BOOLEAN)) = BOOL_OR(CAST(CASE WHEN "criterion" = 'INCL06' THEN "attested" END AS BOOLEAN))
      THEN BOOL_OR(CAST(CASE WHEN "criterion" = 'INCL06' THEN "attested" END AS BOOLEAN))
    END AS "INCL06",
    CASE
      WHEN BOOL_AND(CAST(CASE WHEN "criterion" = 'INCL07' THEN "attested" END AS BOOLEAN)) = BOOL_OR(CAST(CASE WHEN "criterion" = 'INCL07' THEN "attested" END AS BOOLEAN))
      THEN BOOL_OR(CAST(CASE WHEN "criterion" = 'INCL07' THEN "attested" END AS BOOLEAN))
    END AS "INCL07",
    CASE
      WHEN BOOL_AND(CAST(CASE WHEN "criterion" = 'INCL08' THEN "attested" END AS BOOLEAN)) = BOOL_OR(CAST(CASE WHEN "criterion" = 'INCL08' THEN "attested" END AS BOOLEAN))
      THEN BOOL_OR(CAST(CASE WHEN "criterion" = 'INCL08' THEN "attested" END AS BOOLEAN))
    END AS "INCL08"
  FROM "attestations"
  WHERE
    NOT "subject_id" IS NULL
  GROUP BY
    "subject_id"
), "concomitant_medications_records" AS (
  SELECT
    "subject_id",
    MAX(CASE WHEN "condition_1" THEN 2 WHEN NOT "condition_1" THEN 0 ELSE 1 END) AS "any_1",
    MAX(CASE WHEN "condition_2" THEN 2 WHEN NOT "condition_2" THEN 0 ELSE 1 END) AS "any_2",
    MAX(CASE WHEN "condition_3" THEN 2 WHEN NOT "condition_3" THEN 0 ELSE 1 END) AS "any_3"
  FROM (
    SELECT
      "record"."subject_id" AS "subject_id",
      TRUE AS "condition_1",
      "record"."class" IN ('investigational', 'alzheimer_therapy')
      AND (
        "record"."ongoing"
        OR (
          "record"."end" >= CAST("visit_dates"."date_BASELINE" + INTERVAL (-30) DAY AS DATE)
          AND "record"."end" <= "visit_dates"."date_BASELINE"
        )
      ) AS "condition_2",
      "record"."class" = 'excluded'
      AND (
        "record"."ongoing"
        OR (
          "record"."end" >= CAST("visit_dates"."date_BASELINE" + INTERVAL (-1) MONTH AS DATE)
          AND "record"."end" <= "visit_dates"."date_BASELINE"
        )
      ) AS "condition_3"
    FROM (
      SELECT
        "subject_id",
        CASE
          WHEN "class" IN ('investigational', 'alzheimer_therapy', 'excluded', 'other')
          THEN "class"
        END AS "class",
        "end" AS "end",
        "ongoing" AS "ongoing"
      FROM "concomitant_medications"
      WHERE
        NOT "subject_id" IS NULL
    ) AS "record"
    LEFT JOIN "visit_dates"
      ON "visit_dates"."subject_id" = "record"."subject_id"
  ) AS "concomitant_medications_each"
  GROUP BY
    "subject_id"
), "medical_history_records" AS (
  SELECT
    "subject_id",
    MAX(CASE WHEN "condition_1" THEN 2 WHEN NOT "condition_1" THEN 0 ELSE 1 END) AS "any_1",
    MAX(CASE WHEN "condition_2" THEN 2 WHEN NOT "condition_2" THEN 0 ELSE 1 END) AS "any_2",
    MAX(CASE WHEN "condition_3" THEN 2 WHEN NOT "condition_3" THEN 0 ELSE 1 END) AS "any_3",
    MAX(CASE WHEN "condition_4" THEN 2 WHEN NOT "condition_4" THEN 0 ELSE 1 END) AS "any_4",
    MAX(CASE WHEN "condition_5" THEN 2 WHEN NOT "condition_5" THEN 0 ELSE 1 END) AS "any_5",
    MAX(CASE WHEN "condition_6" THEN 2 WHEN NOT "condition_6" THEN 0 ELSE 1 END) AS "any_6",
    MAX(CASE WHEN "condition_7" THEN 2 WHEN NOT "condition_7" THEN 0 ELSE 1 END) AS "any_7",
    MAX(CASE WHEN "condition_8" THEN 2 WHEN NOT "condition_8" THEN 0 ELSE 1 END) AS "any_8",
    MAX(CASE WHEN "condition_9" THEN 2 WHEN NOT "condition_9" THEN 0 ELSE 1 END) AS "any_9",
    MAX(CASE WHEN "condition_10" THEN 2 WHEN NOT "condition_10" THEN 0 ELSE 1 END) AS "any_10",
    MAX(CASE WHEN "condition_11" THEN 2 WHEN NOT "condition_11" THEN 0 ELSE 1 END) AS "any_11",
    MAX(CASE WHEN "condition_12" THEN 2 WHEN NOT "condition_12" THEN 0 ELSE 1 END) AS "any_12",
    MAX(CASE WHEN "condition_13" THEN 2 WHEN NOT "condition_13" THEN 0 ELSE 1 END) AS "any_13",
    MAX(CASE WHEN "condition_14" THEN 2 WHEN NOT "condition_14" THEN 0 ELSE 1 END) AS "any_14",
    MAX(CASE WHEN "condition_15" THEN 2 WHEN NOT "condition_15" THEN 0 ELSE 1 END) AS "any_15",
    MAX(CASE WHEN "condition_16" THEN 2 WHEN NOT "condition_16" THEN 0 ELSE 1 END) AS "any_16"
  FROM (
    SELECT
      "record"."subject_id" AS "subject_id",
      TRUE AS "condition_1",
      "record"."category" = 'hospitalization'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-3) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_2",
      "record"."category" = 'neurological' AS "condition_3",
      "record"."category" = 'depression'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-3) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_4",
      "record"."category" = 'mental_illness'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_5",
      "record"."category" = 'syncope'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_6",
      "record"."category" = 'cardiovascular'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_7",
      "record"."category" = 'gastrointestinal'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_8",
      "record"."category" = 'endocrine'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_9",
      "record"."category" = 'respiratory'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_10",
      "record"."category" = 'genitourinary'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_11",
      "record"."category" = 'rheumatologic'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_12",
      "record"."category" = 'hiv'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_13",
      "record"."category" = 'infectious'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_14",
      "record"."category" = 'malignancy'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_15",
      "record"."category" = 'insulin_dependent_diabetes' AS "condition_16"
    FROM (
      SELECT
        "subject_id",
        CASE
          WHEN "category" IN (
            'hospitalization',
            'neurological',
            'depression',
            'mental_illness',
            'syncope',
            'cardiovascular',
            'gastrointestinal',
            'endocrine',
            'respiratory',
            'genitourinary',
            'rheumatologic',
            'hiv',
            'infectious',
            'malignancy',
            'insulin_dependent_diabetes',
            'other'
          )
          THEN "category"
        END AS "category",
        "onset" AS "onset",
        "ongoing" AS "ongoing"
      FROM "medical_history"
      WHERE
        NOT "subject_id" IS NULL
    ) AS "record"
    LEFT JOIN "visit_dates"
      ON "visit_dates"."subject_id" = "record"."subject_id"
  ) AS "medical_history_each"
  GROUP BY
    "subject_id"
)
SELECT
  "subject_id",
  "INCL01",
  "INCL02",
  "INCL03",
  "INCL04",
  "INCL05",
  "INCL06",
  "INCL07",
  "INCL08",
  "EXCL09",
  "EXCL10",
  "EXCL11",
  "EXCL12",
  "EXCL13",
  "EXCL14",
  "EXCL15",
  "EXCL16",
  "EXCL17",
  "EXCL18",
  "EXCL19",
  "EXCL20",
  "EXCL21",
  "EXCL22",
  "EXCL23",
  "EXCL24",
  "EXCL25",
  "EXCL26",
  "EXCL27",
  "EXCL28",
  "EXCL29",
  "EXCL30",
  "EXCL31",
  CASE
    WHEN COALESCE("INCL01", 1) * COALESCE("INCL02", 1) * COALESCE("INCL03", 1) * COALESCE("INCL04", 1) * COALESCE("INCL05", 1) * COALESCE("INCL06", 1) * COALESCE("INCL07", 1) * COALESCE("INCL08", 1) * COALESCE((
      1 - "EXCL09"
    ), 1) * COALESCE((
      1 - "EXCL10"
    ), 1) * COALESCE((
      1 - "EXCL11"
    ), 1) * COALESCE((
      1 - "EXCL12"
    ), 1) * COALESCE((
      1 - "EXCL13"
    ), 1) * COALESCE((
      1 - "EXCL14"
    ), 1) * COALESCE((
      1 - "EXCL15"
    ), 1) * COALESCE((
      1 - "EXCL16"
    ), 1) * COALESCE((
      1 - "EXCL17"
    ), 1) * COALESCE((
      1 - "EXCL18"
    ), 1) * COALESCE((
      1 - "EXCL19"
    ), 1) * COALESCE((
      1 - "EXCL20"
    ), 1) * COALESCE((
      1 - "EXCL21"
    ), 1) * COALESCE((
      1 - "EXCL22"
    ), 1) * COALESCE((
      1 - "EXCL23"
    ), 1) * COALESCE((
      1 - "EXCL24"
    ), 1) * COALESCE((
      1 - "EXCL25"
    ), 1) * COALESCE((
      1 - "EXCL26"
    ), 1) * COALESCE((
      1 - "EXCL27"
    ), 1) * COALESCE((
      1 - "EXCL28"
    ), 1) * COALESCE((
      1 - "EXCL29"
    ), 1) * COALESCE((
      1 - "EXCL30"
    ), 1) * COALESCE((
      1 - "EXCL31"
    ), 1) = 0
    THEN 'ineligible'
    WHEN COALESCE("INCL01", 0) + COALESCE("INCL02", 0) + COALESCE("INCL03", 0) + COALESCE("INCL04", 0) + COALESCE("INCL05", 0) + COALESCE("INCL06", 0) + COALESCE("INCL07", 0) + COALESCE("INCL08", 0) + COALESCE((
      1 - "EXCL09"
    ), 0) + COALESCE((
      1 - "EXCL10"
    ), 0) + COALESCE((
      1 - "EXCL11"
    ), 0) + COALESCE((
      1 - "EXCL12"
    ), 0) + COALESCE((
      1 - "EXCL13"
    ), 0) + COALESCE((
      1 - "EXCL14"
    ), 0) + COALESCE((
      1 - "EXCL15"
    ), 0) + COALESCE((
      1 - "EXCL16"
    ), 0) + COALESCE((
      1 - "EXCL17"
    ), 0) + COALESCE((
      1 - "EXCL18"
    ), 0) + COALESCE((
      1 - "EXCL19"
    ), 0) + COALESCE((
      1 - "EXCL20"
    ), 0) + COALESCE((
      1 - "EXCL21"
    ), 0) + COALESCE((
      1 - "EXCL22"
    ), 0) + COALESCE((
      1 - "EXCL23"
    ), 0) + COALESCE((
      1 - "EXCL24"
    ), 0) + COALESCE((
      1 - "EXCL25"
    ), 0) + COALESCE((
      1 - "EXCL26"
    ), 0) + COALESCE((
      1 - "EXCL27"
    ), 0) + COALESCE((
      1 - "EXCL28"
    ), 0) + COALESCE((
      1 - "EXCL29"
    ), 0) + COALESCE((
      1 - "EXCL30"
    ), 0) + COALESCE((
      1 - "EXCL31"
    ), 0) = 31
    THEN 'eligible'
    ELSE 'indeterminate'
  END AS "status",
  "stratum__severity__moderate",
  "stratum__severity__mild"
FROM (
  SELECT
    "subject_id",
    CAST(CAST("INCL01" AS INT) AS SMALLINT) AS "INCL01",
    CAST(CAST("INCL02" AS INT) AS SMALLINT) AS "INCL02",
    CAST(CAST("INCL03" AS INT) AS SMALLINT) AS "INCL03",
    CAST(CAST("INCL04" AS INT) AS SMALLINT) AS "INCL04",
    CAST(CAST("INCL05" AS INT) AS SMALLINT) AS "INCL05",
    CAST(CAST("INCL06" AS INT) AS SMALLINT) AS "INCL06",
    CAST(CAST("INCL07" AS INT) AS SMALLINT) AS "INCL07",
    CAST(CAST("INCL08" AS INT) AS SMALLINT) AS "INCL08",
    CAST(CAST("EXCL09" AS INT) AS SMALLINT) AS "EXCL09",
    CAST(CAST("EXCL10" AS INT) AS SMALLINT) AS "EXCL10",
    CAST(CAST("EXCL11" AS INT) AS SMALLINT) AS "EXCL11",
    CAST(CAST("EXCL12" AS INT) AS SMALLINT) AS "EXCL12",
    CAST(CAST("EXCL13" AS INT) AS SMALLINT) AS "EXCL13",
    CAST(CAST("EXCL14" AS INT) AS SMALLINT) AS "EXCL14",
    CAST(CAST("EXCL15" AS INT) AS SMALLINT) AS "EXCL15",
    CAST(CAST("EXCL16" AS INT) AS SMALLINT) AS "EXCL16",
    CAST(CAST("EXCL17" AS INT) AS SMALLINT) AS "EXCL17",
    CAST(CAST("EXCL18" AS INT) AS SMALLINT) AS "EXCL18",
    CAST(CAST("EXCL19" AS INT) AS SMALLINT) AS "EXCL19",
    CAST(CAST("EXCL20" AS INT) AS SMALLINT) AS "EXCL20",
    CAST(CAST("EXCL21" AS INT) AS SMALLINT) AS "EXCL21",
    CAST(CAST("EXCL22" AS INT) AS SMALLINT) AS "EXCL22",
    CAST(CAST("EXCL23" AS INT) AS SMALLINT) AS "EXCL23",
    CAST(CAST("EXCL24" AS INT) AS SMALLINT) AS "EXCL24",
    CAST(CAST("EXCL25" AS INT) AS SMALLINT) AS "EXCL25",
    CAST(CAST("EXCL26" AS INT) AS SMALLINT) AS "EXCL26",
    CAST(CAST("EXCL27" AS INT) AS SMALLINT) AS "EXCL27",
    CAST(CAST("EXCL28" AS INT) AS SMALLINT) AS "EXCL28",
    CAST(CAST("EXCL29" AS INT) AS SMALLINT) AS "EXCL29",
    CAST(CAST("EXCL30" AS INT) AS SMALLINT) AS "EXCL30",
    CAST(CAST("EXCL31" AS INT) AS SMALLINT) AS "EXCL31",
    CAST(CAST("stratum__severity__moderate" AS INT) AS SMALLINT) AS "stratum__severity__moderate",
    CAST(CAST("stratum__severity__mild" AS INT) AS SMALLINT) AS "stratum__severity__mild"
  FROM (
    SELECT
      "subject_list"."subject_id" AS "subject_id",
      "demographics_by_visit"."age__SCRN1" >= 50
      AND (
        "demographics_by_visit"."sex__SCRN1" = 'M'
        OR "demographics_by_visit"."postmenopausal__SCRN1"
      ) AS "INCL01",
      "eligibility_assessments_by_visit"."probable_ad__SCRN1" AS "INCL02",
      "eligibility_assessments_by_visit"."mmse_total__SCRN1" >= 10
      AND "eligibility_assessments_by_visit"."mmse_total__SCRN1" <= 23 AS "INCL03",
      "eligibility_assessments_by_visit"."hachinski__SCRN1" <= 4 AS "INCL04",
      "eligibility_assessments_by_visit"."imaging_compatible__SCRN1"
      AND "eligibility_assessments_by_visit"."imaging_date__SCRN1" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-12) MONTH AS DATE)
      AND "eligibility_assessments_by_visit"."imaging_date__SCRN1" <= "visit_dates"."date_SCRN1" AS "INCL05",
      "attested"."INCL06" AS "INCL06",
      "attested"."INCL07" AS "INCL07",
      "attested"."INCL08" AS "INCL08",
      "eligibility_assessments_by_visit"."prior_xanomeline__SCRN1" AS "EXCL09",
      CASE
        WHEN CASE COALESCE("concomitant_medications_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medications__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medications__SCRN1"
        )
        THEN CASE COALESCE("concomitant_medications_records"."any_2", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("concomitant_medications_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medications__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medications__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("concomitant_medications_records"."any_2", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("concomitant_medications_records"."any_2", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL10",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_2", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_2", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_2", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL11",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_3", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_3", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_3", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL12",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_4", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_4", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_4", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL13",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_5", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_5", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_5", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL14",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_6", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_6", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_6", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL15",
      "eligibility_assessments_by_visit"."ecg_listed_condition__SCRN1" AS "EXCL16",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_7", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_7", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_7", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL17",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_8", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_8", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_8", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL18",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_9", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_9", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_9", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL19",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_10", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_10", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_10", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL20",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_11", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_11", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_11", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL21",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_12", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_12", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_12", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL22",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_13", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_13", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_13", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL23",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_14", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_14", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_14", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL24",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_15", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_15", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_15", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL25",
      "eligibility_assessments_by_visit"."communication_disability__SCRN1" AS "EXCL26",
      "screening_labs_by_visit"."above_range_iii__SCRN1" AS "EXCL27",
      "screening_labs_by_visit"."folate__SCRN1" < "screening_labs_by_visit"."folate_lln__SCRN1"
      OR "screening_labs_by_visit"."vitamin_b12__SCRN1" < "screening_labs_by_visit"."vitamin_b12_lln__SCRN1"
      OR "screening_labs_by_visit"."tsh__SCRN1" < "screening_labs_by_visit"."tsh_lln__SCRN1"
      OR "screening_labs_by_visit"."tsh__SCRN1" > "screening_labs_by_visit"."tsh_uln__SCRN1" AS "EXCL28",
      "screening_labs_by_visit"."syphilis__SCRN1" = 'positive' AS "EXCL29",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
        )
        THEN CASE COALESCE("medical_history_records"."any_16", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medical_history_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medical_history__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medical_history_records"."any_16", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medical_history_records"."any_16", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END
      AND "screening_labs_by_visit"."hba1c__SCRN1" > "screening_labs_by_visit"."hba1c_uln__SCRN1" AS "EXCL30",
      CASE
        WHEN CASE COALESCE("concomitant_medications_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "eligibility_assessments_by_visit"."any_medications__SCRN1" IS NULL
          AND NOT "eligibility_assessments_by_visit"."any_medications__SCRN1"
        )
        THEN CASE COALESCE("concomitant_medications_records"."any_3", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("concomitant_medications_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "eligibility_assessments_by_visit"."any_medications__SCRN1" IS NULL
            AND NOT "eligibility_assessments_by_visit"."any_medications__SCRN1"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("concomitant_medications_records"."any_3", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("concomitant_medications_records"."any_3", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "EXCL31",
      "eligibility_assessments_by_visit"."mmse_total__SCRN1" <= 17 AS "stratum__severity__moderate",
      "eligibility_assessments_by_visit"."mmse_total__SCRN1" >= 18 AS "stratum__severity__mild"
    FROM (
      SELECT
        "subject_id"
      FROM "demographics"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "eligibility_assessments"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "screening_labs"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "visits"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "attestations"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "concomitant_medications"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "medical_history"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "exposure"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "adverse_events"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "disposition"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "study_participation"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "efficacy"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "subjects"
      WHERE
        NOT "subject_id" IS NULL
    ) AS "subject_list"
    LEFT JOIN "demographics_by_visit"
      ON "demographics_by_visit"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "eligibility_assessments_by_visit"
      ON "eligibility_assessments_by_visit"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "screening_labs_by_visit"
      ON "screening_labs_by_visit"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "visit_dates"
      ON "visit_dates"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "attested"
      ON "attested"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "concomitant_medications_records"
      ON "concomitant_medications_records"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "medical_history_records"
      ON "medical_history_records"."subject_id" = "subject_list"."subject_id"
  ) AS "criteria"
) AS "flags"
ORDER BY
  "subject_id";
