WITH "subjects" AS (
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
  FROM "medical_history"
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
  FROM "exposure"
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
), "demographics_by_visit" AS (
  SELECT
    "record"."subject_id" AS "subject_id",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."age" END) AS "age__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."sex" END) AS "sex__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."postmenopausal" END) AS "postmenopausal__SCRN1"
  FROM (
    SELECT
      "subject_id",
      "visit",
      CASE WHEN "age" >= 0 AND "age" <= 120 THEN "age" END AS "age",
      CASE WHEN "sex" IN ('M', 'F') THEN "sex" END AS "sex",
      CASE WHEN "postmenopausal" THEN 1 WHEN NOT "postmenopausal" THEN 0 END AS "postmenopausal"
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
  GROUP BY
    "record"."subject_id"
), "eligibility_assessments_by_visit" AS (
  SELECT
    "record"."subject_id" AS "subject_id",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."probable_ad" END) AS "probable_ad__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."mmse_total" END) AS "mmse_total__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."hachinski" END) AS "hachinski__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."imaging_compatible" END) AS "imaging_compatible__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."imaging_date" END) AS "imaging_date__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."prior_xanomeline" END) AS "prior_xanomeline__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."ecg_listed_condition" END) AS "ecg_listed_condition__SCRN1",
    MAX(
      CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."communication_disability" END
    ) AS "communication_disability__SCRN1"
  FROM (
    SELECT
      "subject_id",
      "visit",
      CASE WHEN "probable_ad" THEN 1 WHEN NOT "probable_ad" THEN 0 END AS "probable_ad",
      CASE WHEN "mmse_total" >= 0 AND "mmse_total" <= 30 THEN "mmse_total" END AS "mmse_total",
      CASE WHEN "hachinski" >= 0 AND "hachinski" <= 18 THEN "hachinski" END AS "hachinski",
      CASE WHEN "imaging_compatible" THEN 1 WHEN NOT "imaging_compatible" THEN 0 END AS "imaging_compatible",
      "imaging_date" AS "imaging_date",
      CASE WHEN "prior_xanomeline" THEN 1 WHEN NOT "prior_xanomeline" THEN 0 END AS "prior_xanomeline",
      CASE WHEN "ecg_listed_condition" THEN 1 WHEN NOT "ecg_listed_condition" THEN 0 END AS "ecg_listed_condition",
      CASE
        WHEN "communication_disability"
        THEN 1
        WHEN NOT "communication_disability"
        THEN 0
      END AS "communication_disability"
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
        "communication_disability" AS "communication_disability"
      FROM "eligibility_assessments"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCRN1')
    ) AS "eligibility_assessments_converted"
  ) AS "record"
  GROUP BY
    "record"."subject_id"
), "screening_labs_by_visit" AS (
  SELECT
    "record"."subject_id" AS "subject_id",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."above_range_iii" END) AS "above_range_iii__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."folate" END) AS "folate__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."folate_lln" END) AS "folate_lln__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."vitamin_b12" END) AS "vitamin_b12__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."vitamin_b12_lln" END) AS "vitamin_b12_lln__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."tsh" END) AS "tsh__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."tsh_lln" END) AS "tsh_lln__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."tsh_uln" END) AS "tsh_uln__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."syphilis" END) AS "syphilis__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."hba1c" END) AS "hba1c__SCRN1",
    MAX(CASE WHEN "record"."visit" = 'SCRN1' THEN "record"."hba1c_uln" END) AS "hba1c_uln__SCRN1"
  FROM (
    SELECT
      "subject_id",
      "visit",
      CASE WHEN "above_range_iii" THEN 1 WHEN NOT "above_range_iii" THEN 0 END AS "above_range_iii",
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
          THEN ROUND("folate" * 1000000, 9)
          WHEN "folate__unit" = 'g/dL'
          THEN ROUND("folate" * 10000000, 9)
          WHEN "folate__unit" = 'g/mL'
          THEN ROUND("folate" * 1000000000, 9)
          WHEN "folate__unit" = 'mg/L'
          THEN ROUND("folate" * 1000, 9)
          WHEN "folate__unit" = 'mg/dL'
          THEN ROUND("folate" * 10000, 9)
          WHEN "folate__unit" = 'mg/mL'
          THEN ROUND("folate" * 1000000, 9)
          WHEN "folate__unit" = 'ug/L'
          THEN "folate"
          WHEN "folate__unit" = 'ug/dL'
          THEN ROUND("folate" * 10, 9)
          WHEN "folate__unit" = 'ug/mL'
          THEN ROUND("folate" * 1000, 9)
          WHEN "folate__unit" = 'ng/L'
          THEN ROUND("folate" / 1000, 12)
          WHEN "folate__unit" = 'ng/dL'
          THEN ROUND("folate" / 100, 11)
          WHEN "folate__unit" = 'pg/mL'
          THEN ROUND("folate" / 1000, 12)
          WHEN "folate__unit" = 'pg/L'
          THEN ROUND("folate" / 1000000, 15)
        END AS "folate",
        CASE
          WHEN "folate_lln__unit" IS NULL OR "folate_lln__unit" IN ('', 'ng/mL')
          THEN "folate_lln"
          WHEN "folate_lln__unit" = 'g/L'
          THEN ROUND("folate_lln" * 1000000, 9)
          WHEN "folate_lln__unit" = 'g/dL'
          THEN ROUND("folate_lln" * 10000000, 9)
          WHEN "folate_lln__unit" = 'g/mL'
          THEN ROUND("folate_lln" * 1000000000, 9)
          WHEN "folate_lln__unit" = 'mg/L'
          THEN ROUND("folate_lln" * 1000, 9)
          WHEN "folate_lln__unit" = 'mg/dL'
          THEN ROUND("folate_lln" * 10000, 9)
          WHEN "folate_lln__unit" = 'mg/mL'
          THEN ROUND("folate_lln" * 1000000, 9)
          WHEN "folate_lln__unit" = 'ug/L'
          THEN "folate_lln"
          WHEN "folate_lln__unit" = 'ug/dL'
          THEN ROUND("folate_lln" * 10, 9)
          WHEN "folate_lln__unit" = 'ug/mL'
          THEN ROUND("folate_lln" * 1000, 9)
          WHEN "folate_lln__unit" = 'ng/L'
          THEN ROUND("folate_lln" / 1000, 12)
          WHEN "folate_lln__unit" = 'ng/dL'
          THEN ROUND("folate_lln" / 100, 11)
          WHEN "folate_lln__unit" = 'pg/mL'
          THEN ROUND("folate_lln" / 1000, 12)
          WHEN "folate_lln__unit" = 'pg/L'
          THEN ROUND("folate_lln" / 1000000, 15)
        END AS "folate_lln",
        CASE
          WHEN "vitamin_b12__unit" IS NULL OR "vitamin_b12__unit" IN ('', 'pg/mL')
          THEN "vitamin_b12"
          WHEN "vitamin_b12__unit" = 'g/L'
          THEN ROUND("vitamin_b12" * 1000000000, 9)
          WHEN "vitamin_b12__unit" = 'g/dL'
          THEN ROUND("vitamin_b12" * 10000000000, 9)
          WHEN "vitamin_b12__unit" = 'g/mL'
          THEN ROUND("vitamin_b12" * 1000000000000, 9)
          WHEN "vitamin_b12__unit" = 'mg/L'
          THEN ROUND("vitamin_b12" * 1000000, 9)
          WHEN "vitamin_b12__unit" = 'mg/dL'
          THEN ROUND("vitamin_b12" * 10000000, 9)
          WHEN "vitamin_b12__unit" = 'mg/mL'
          THEN ROUND("vitamin_b12" * 1000000000, 9)
          WHEN "vitamin_b12__unit" = 'ug/L'
          THEN ROUND("vitamin_b12" * 1000, 9)
          WHEN "vitamin_b12__unit" = 'ug/dL'
          THEN ROUND("vitamin_b12" * 10000, 9)
          WHEN "vitamin_b12__unit" = 'ug/mL'
          THEN ROUND("vitamin_b12" * 1000000, 9)
          WHEN "vitamin_b12__unit" = 'ng/L'
          THEN "vitamin_b12"
          WHEN "vitamin_b12__unit" = 'ng/dL'
          THEN ROUND("vitamin_b12" * 10, 9)
          WHEN "vitamin_b12__unit" = 'ng/mL'
          THEN ROUND("vitamin_b12" * 1000, 9)
          WHEN "vitamin_b12__unit" = 'pg/L'
          THEN ROUND("vitamin_b12" / 1000, 12)
        END AS "vitamin_b12",
        CASE
          WHEN "vitamin_b12_lln__unit" IS NULL OR "vitamin_b12_lln__unit" IN ('', 'pg/mL')
          THEN "vitamin_b12_lln"
          WHEN "vitamin_b12_lln__unit" = 'g/L'
          THEN ROUND("vitamin_b12_lln" * 1000000000, 9)
          WHEN "vitamin_b12_lln__unit" = 'g/dL'
          THEN ROUND("vitamin_b12_lln" * 10000000000, 9)
          WHEN "vitamin_b12_lln__unit" = 'g/mL'
          THEN ROUND("vitamin_b12_lln" * 1000000000000, 9)
          WHEN "vitamin_b12_lln__unit" = 'mg/L'
          THEN ROUND("vitamin_b12_lln" * 1000000, 9)
          WHEN "vitamin_b12_lln__unit" = 'mg/dL'
          THEN ROUND("vitamin_b12_lln" * 10000000, 9)
          WHEN "vitamin_b12_lln__unit" = 'mg/mL'
          THEN ROUND("vitamin_b12_lln" * 1000000000, 9)
          WHEN "vitamin_b12_lln__unit" = 'ug/L'
          THEN ROUND("vitamin_b12_lln" * 1000, 9)
          WHEN "vitamin_b12_lln__unit" = 'ug/dL'
          THEN ROUND("vitamin_b12_lln" * 10000, 9)
          WHEN "vitamin_b12_lln__unit" = 'ug/mL'
          THEN ROUND("vitamin_b12_lln" * 1000000, 9)
          WHEN "vitamin_b12_lln__unit" = 'ng/L'
          THEN "vitamin_b12_lln"
          WHEN "vitamin_b12_lln__unit" = 'ng/dL'
          THEN ROUND("vitamin_b12_lln" * 10, 9)
          WHEN "vitamin_b12_lln__unit" = 'ng/mL'
          THEN ROUND("vitamin_b12_lln" * 1000, 9)
          WHEN "vitamin_b12_lln__unit" = 'pg/L'
          THEN ROUND("vitamin_b12_lln" / 1000, 12)
        END AS "vitamin_b12_lln",
        CASE
          WHEN "tsh__unit" IS NULL OR "tsh__unit" IN ('', 'm[IU]/L')
          THEN "tsh"
          WHEN "tsh__unit" = '[IU]/L'
          THEN ROUND("tsh" * 1000, 9)
          WHEN "tsh__unit" = '[IU]/mL'
          THEN ROUND("tsh" * 1000000, 9)
          WHEN "tsh__unit" = 'm[IU]/mL'
          THEN ROUND("tsh" * 1000, 9)
          WHEN "tsh__unit" = 'u[IU]/mL'
          THEN "tsh"
          WHEN "tsh__unit" = 'k[IU]/L'
          THEN ROUND("tsh" * 1000000, 9)
        END AS "tsh",
        CASE
          WHEN "tsh_lln__unit" IS NULL OR "tsh_lln__unit" IN ('', 'm[IU]/L')
          THEN "tsh_lln"
          WHEN "tsh_lln__unit" = '[IU]/L'
          THEN ROUND("tsh_lln" * 1000, 9)
          WHEN "tsh_lln__unit" = '[IU]/mL'
          THEN ROUND("tsh_lln" * 1000000, 9)
          WHEN "tsh_lln__unit" = 'm[IU]/mL'
          THEN ROUND("tsh_lln" * 1000, 9)
          WHEN "tsh_lln__unit" = 'u[IU]/mL'
          THEN "tsh_lln"
          WHEN "tsh_lln__unit" = 'k[IU]/L'
          THEN ROUND("tsh_lln" * 1000000, 9)
        END AS "tsh_lln",
        CASE
          WHEN "tsh_uln__unit" IS NULL OR "tsh_uln__unit" IN ('', 'm[IU]/L')
          THEN "tsh_uln"
          WHEN "tsh_uln__unit" = '[IU]/L'
          THEN ROUND("tsh_uln" * 1000, 9)
          WHEN "tsh_uln__unit" = '[IU]/mL'
          THEN ROUND("tsh_uln" * 1000000, 9)
          WHEN "tsh_uln__unit" = 'm[IU]/mL'
          THEN ROUND("tsh_uln" * 1000, 9)
          WHEN "tsh_uln__unit" = 'u[IU]/mL'
          THEN "tsh_uln"
          WHEN "tsh_uln__unit" = 'k[IU]/L'
          THEN ROUND("tsh_uln" * 1000000, 9)
        END AS "tsh_uln",
        "syphilis" AS "syphilis",
        CASE
          WHEN "hba1c__unit" IS NULL OR "hba1c__unit" IN ('', '%')
          THEN "hba1c"
          WHEN "hba1c__unit" = '1'
          THEN ROUND("hba1c" * 100, 9)
          WHEN "hba1c__unit" = '10*-2'
          THEN "hba1c"
        END AS "hba1c",
        CASE
          WHEN "hba1c_uln__unit" IS NULL OR "hba1c_uln__unit" IN ('', '%')
          THEN "hba1c_uln"
          WHEN "hba1c_uln__unit" = '1'
          THEN ROUND("hba1c_uln" * 100, 9)
          WHEN "hba1c_uln__unit" = '10*-2'
          THEN "hba1c_uln"
        END AS "hba1c_uln"
      FROM "screening_labs"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCRN1')
    ) AS "screening_labs_converted"
  ) AS "record"
  GROUP BY
    "record"."subject_id"
), "visit_dates" AS (
  SELECT
    "subject_id",
    MAX(CASE WHEN "visit" = 'SCRN1' THEN "date" END) AS "date_SCRN1",
    MAX(CASE WHEN "visit" = 'BASELINE' THEN "date" END) AS "date_BASELINE"
  FROM "visits"
  WHERE
    NOT "subject_id" IS NULL
  GROUP BY
    "subject_id"
), "attested" AS (
  SELECT
    "subject_id",
    MAX(
      CASE
        WHEN "criterion" = 'INCL06'
        THEN CASE WHEN "attested" THEN 1 WHEN NOT "attested" THEN 0 END
      END
    ) AS "INCL06",
    MAX(
      CASE
        WHEN "criterion" = 'INCL07'
        THEN CASE WHEN "attested" THEN 1 WHEN NOT "attested" THEN 0 END
      END
    ) AS "INCL07",
    MAX(
      CASE
        WHEN "criterion" = 'INCL08'
        THEN CASE WHEN "attested" THEN 1 WHEN NOT "attested" THEN 0 END
      END
    ) AS "INCL08"
  FROM "attestations"
  WHERE
    NOT "subject_id" IS NULL
  GROUP BY
    "subject_id"
), "concomitant_medications_records" AS (
  SELECT
    "subject_id",
    MAX(CASE WHEN "condition_1" THEN 2 WHEN NOT "condition_1" THEN 0 ELSE 1 END) AS "any_1",
    MAX(CASE WHEN "condition_2" THEN 2 WHEN NOT "condition_2" THEN 0 ELSE 1 END) AS "any_2"
  FROM (
    SELECT
      "record"."subject_id" AS "subject_id",
      "record"."class" IN ('investigational', 'alzheimer_therapy')
      AND (
        "record"."ongoing"
        OR (
          "record"."end" >= CAST("visit_dates"."date_BASELINE" + INTERVAL (-30) DAY AS DATE)
          AND "record"."end" <= "visit_dates"."date_BASELINE"
        )
      ) AS "condition_1",
      "record"."class" = 'excluded'
      AND (
        "record"."ongoing"
        OR (
          "record"."end" >= CAST("visit_dates"."date_BASELINE" + INTERVAL (-1) MONTH AS DATE)
          AND "record"."end" <= "visit_dates"."date_BASELINE"
        )
      ) AS "condition_2"
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
    MAX(CASE WHEN "condition_15" THEN 2 WHEN NOT "condition_15" THEN 0 ELSE 1 END) AS "any_15"
  FROM (
    SELECT
      "record"."subject_id" AS "subject_id",
      "record"."category" = 'hospitalization'
      AND "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-3) MONTH AS DATE)
      AND "record"."onset" <= "visit_dates"."date_SCRN1" AS "condition_1",
      "record"."category" = 'neurological' AS "condition_2",
      "record"."category" = 'depression'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-3) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_3",
      "record"."category" = 'mental_illness'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_4",
      "record"."category" = 'syncope'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_5",
      "record"."category" = 'cardiovascular'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_6",
      "record"."category" = 'gastrointestinal'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_7",
      "record"."category" = 'endocrine'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_8",
      "record"."category" = 'respiratory'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_9",
      "record"."category" = 'genitourinary'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_10",
      "record"."category" = 'rheumatologic'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_11",
      "record"."category" = 'hiv'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_12",
      "record"."category" = 'infectious'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_13",
      "record"."category" = 'malignancy'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCRN1"
        )
        OR "record"."ongoing"
      ) AS "condition_14",
      "record"."category" = 'insulin_dependent_diabetes' AS "condition_15"
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
  CAST(CASE WHEN "INCL01" THEN 1 WHEN NOT "INCL01" THEN 0 END AS SMALLINT) AS "INCL01",
  CAST(CASE WHEN "INCL02" THEN 1 WHEN NOT "INCL02" THEN 0 END AS SMALLINT) AS "INCL02",
  CAST(CASE WHEN "INCL03" THEN 1 WHEN NOT "INCL03" THEN 0 END AS SMALLINT) AS "INCL03",
  CAST(CASE WHEN "INCL04" THEN 1 WHEN NOT "INCL04" THEN 0 END AS SMALLINT) AS "INCL04",
  CAST(CASE WHEN "INCL05" THEN 1 WHEN NOT "INCL05" THEN 0 END AS SMALLINT) AS "INCL05",
  CAST(CASE WHEN "INCL06" THEN 1 WHEN NOT "INCL06" THEN 0 END AS SMALLINT) AS "INCL06",
  CAST(CASE WHEN "INCL07" THEN 1 WHEN NOT "INCL07" THEN 0 END AS SMALLINT) AS "INCL07",
  CAST(CASE WHEN "INCL08" THEN 1 WHEN NOT "INCL08" THEN 0 END AS SMALLINT) AS "INCL08",
  CAST(CASE WHEN "EXCL09" THEN 1 WHEN NOT "EXCL09" THEN 0 END AS SMALLINT) AS "EXCL09",
  CAST(CASE WHEN "EXCL10" THEN 1 WHEN NOT "EXCL10" THEN 0 END AS SMALLINT) AS "EXCL10",
  CAST(CASE WHEN "EXCL11" THEN 1 WHEN NOT "EXCL11" THEN 0 END AS SMALLINT) AS "EXCL11",
  CAST(CASE WHEN "EXCL12" THEN 1 WHEN NOT "EXCL12" THEN 0 END AS SMALLINT) AS "EXCL12",
  CAST(CASE WHEN "EXCL13" THEN 1 WHEN NOT "EXCL13" THEN 0 END AS SMALLINT) AS "EXCL13",
  CAST(CASE WHEN "EXCL14" THEN 1 WHEN NOT "EXCL14" THEN 0 END AS SMALLINT) AS "EXCL14",
  CAST(CASE WHEN "EXCL15" THEN 1 WHEN NOT "EXCL15" THEN 0 END AS SMALLINT) AS "EXCL15",
  CAST(CASE WHEN "EXCL16" THEN 1 WHEN NOT "EXCL16" THEN 0 END AS SMALLINT) AS "EXCL16",
  CAST(CASE WHEN "EXCL17" THEN 1 WHEN NOT "EXCL17" THEN 0 END AS SMALLINT) AS "EXCL17",
  CAST(CASE WHEN "EXCL18" THEN 1 WHEN NOT "EXCL18" THEN 0 END AS SMALLINT) AS "EXCL18",
  CAST(CASE WHEN "EXCL19" THEN 1 WHEN NOT "EXCL19" THEN 0 END AS SMALLINT) AS "EXCL19",
  CAST(CASE WHEN "EXCL20" THEN 1 WHEN NOT "EXCL20" THEN 0 END AS SMALLINT) AS "EXCL20",
  CAST(CASE WHEN "EXCL21" THEN 1 WHEN NOT "EXCL21" THEN 0 END AS SMALLINT) AS "EXCL21",
  CAST(CASE WHEN "EXCL22" THEN 1 WHEN NOT "EXCL22" THEN 0 END AS SMALLINT) AS "EXCL22",
  CAST(CASE WHEN "EXCL23" THEN 1 WHEN NOT "EXCL23" THEN 0 END AS SMALLINT) AS "EXCL23",
  CAST(CASE WHEN "EXCL24" THEN 1 WHEN NOT "EXCL24" THEN 0 END AS SMALLINT) AS "EXCL24",
  CAST(CASE WHEN "EXCL25" THEN 1 WHEN NOT "EXCL25" THEN 0 END AS SMALLINT) AS "EXCL25",
  CAST(CASE WHEN "EXCL26" THEN 1 WHEN NOT "EXCL26" THEN 0 END AS SMALLINT) AS "EXCL26",
  CAST(CASE WHEN "EXCL27" THEN 1 WHEN NOT "EXCL27" THEN 0 END AS SMALLINT) AS "EXCL27",
  CAST(CASE WHEN "EXCL28" THEN 1 WHEN NOT "EXCL28" THEN 0 END AS SMALLINT) AS "EXCL28",
  CAST(CASE WHEN "EXCL29" THEN 1 WHEN NOT "EXCL29" THEN 0 END AS SMALLINT) AS "EXCL29",
  CAST(CASE WHEN "EXCL30" THEN 1 WHEN NOT "EXCL30" THEN 0 END AS SMALLINT) AS "EXCL30",
  CAST(CASE WHEN "EXCL31" THEN 1 WHEN NOT "EXCL31" THEN 0 END AS SMALLINT) AS "EXCL31",
  CASE
    WHEN "INCL01"
    AND "INCL02"
    AND "INCL03"
    AND "INCL04"
    AND "INCL05"
    AND "INCL06"
    AND "INCL07"
    AND "INCL08"
    AND NOT "EXCL09"
    AND NOT "EXCL10"
    AND NOT "EXCL11"
    AND NOT "EXCL12"
    AND NOT "EXCL13"
    AND NOT "EXCL14"
    AND NOT "EXCL15"
    AND NOT "EXCL16"
    AND NOT "EXCL17"
    AND NOT "EXCL18"
    AND NOT "EXCL19"
    AND NOT "EXCL20"
    AND NOT "EXCL21"
    AND NOT "EXCL22"
    AND NOT "EXCL23"
    AND NOT "EXCL24"
    AND NOT "EXCL25"
    AND NOT "EXCL26"
    AND NOT "EXCL27"
    AND NOT "EXCL28"
    AND NOT "EXCL29"
    AND NOT "EXCL30"
    AND NOT "EXCL31"
    THEN 'eligible'
    WHEN NOT (
      "INCL01"
      AND "INCL02"
      AND "INCL03"
      AND "INCL04"
      AND "INCL05"
      AND "INCL06"
      AND "INCL07"
      AND "INCL08"
      AND NOT "EXCL09"
      AND NOT "EXCL10"
      AND NOT "EXCL11"
      AND NOT "EXCL12"
      AND NOT "EXCL13"
      AND NOT "EXCL14"
      AND NOT "EXCL15"
      AND NOT "EXCL16"
      AND NOT "EXCL17"
      AND NOT "EXCL18"
      AND NOT "EXCL19"
      AND NOT "EXCL20"
      AND NOT "EXCL21"
      AND NOT "EXCL22"
      AND NOT "EXCL23"
      AND NOT "EXCL24"
      AND NOT "EXCL25"
      AND NOT "EXCL26"
      AND NOT "EXCL27"
      AND NOT "EXCL28"
      AND NOT "EXCL29"
      AND NOT "EXCL30"
      AND NOT "EXCL31"
    )
    THEN 'ineligible'
    ELSE 'indeterminate'
  END AS "status"
FROM (
  SELECT
    "subjects"."subject_id" AS "subject_id",
    "demographics_by_visit"."age__SCRN1" >= 50
    AND (
      "demographics_by_visit"."sex__SCRN1" = 'M'
      OR "demographics_by_visit"."postmenopausal__SCRN1" = 1
    ) AS "INCL01",
    "eligibility_assessments_by_visit"."probable_ad__SCRN1" = 1 AS "INCL02",
    "eligibility_assessments_by_visit"."mmse_total__SCRN1" >= 10
    AND "eligibility_assessments_by_visit"."mmse_total__SCRN1" <= 23 AS "INCL03",
    "eligibility_assessments_by_visit"."hachinski__SCRN1" <= 4 AS "INCL04",
    "eligibility_assessments_by_visit"."imaging_compatible__SCRN1" = 1
    AND "eligibility_assessments_by_visit"."imaging_date__SCRN1" >= CAST("visit_dates"."date_SCRN1" + INTERVAL (-12) MONTH AS DATE)
    AND "eligibility_assessments_by_visit"."imaging_date__SCRN1" <= "visit_dates"."date_SCRN1" AS "INCL05",
    "attested"."INCL06" = 1 AS "INCL06",
    "attested"."INCL07" = 1 AS "INCL07",
    "attested"."INCL08" = 1 AS "INCL08",
    "eligibility_assessments_by_visit"."prior_xanomeline__SCRN1" = 1 AS "EXCL09",
    CASE COALESCE("concomitant_medications_records"."any_1", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL10",
    CASE COALESCE("medical_history_records"."any_1", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL11",
    CASE COALESCE("medical_history_records"."any_2", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL12",
    CASE COALESCE("medical_history_records"."any_3", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL13",
    CASE COALESCE("medical_history_records"."any_4", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL14",
    CASE COALESCE("medical_history_records"."any_5", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL15",
    "eligibility_assessments_by_visit"."ecg_listed_condition__SCRN1" = 1 AS "EXCL16",
    CASE COALESCE("medical_history_records"."any_6", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL17",
    CASE COALESCE("medical_history_records"."any_7", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL18",
    CASE COALESCE("medical_history_records"."any_8", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL19",
    CASE COALESCE("medical_history_records"."any_9", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL20",
    CASE COALESCE("medical_history_records"."any_10", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL21",
    CASE COALESCE("medical_history_records"."any_11", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL22",
    CASE COALESCE("medical_history_records"."any_12", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL23",
    CASE COALESCE("medical_history_records"."any_13", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL24",
    CASE COALESCE("medical_history_records"."any_14", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL25",
    "eligibility_assessments_by_visit"."communication_disability__SCRN1" = 1 AS "EXCL26",
    "screening_labs_by_visit"."above_range_iii__SCRN1" = 1 AS "EXCL27",
    "screening_labs_by_visit"."folate__SCRN1" < "screening_labs_by_visit"."folate_lln__SCRN1"
    OR "screening_labs_by_visit"."vitamin_b12__SCRN1" < "screening_labs_by_visit"."vitamin_b12_lln__SCRN1"
    OR "screening_labs_by_visit"."tsh__SCRN1" < "screening_labs_by_visit"."tsh_lln__SCRN1"
    OR "screening_labs_by_visit"."tsh__SCRN1" > "screening_labs_by_visit"."tsh_uln__SCRN1" AS "EXCL28",
    "screening_labs_by_visit"."syphilis__SCRN1" = 'positive' AS "EXCL29",
    CASE COALESCE("medical_history_records"."any_15", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END
    AND "screening_labs_by_visit"."hba1c__SCRN1" > "screening_labs_by_visit"."hba1c_uln__SCRN1" AS "EXCL30",
    CASE COALESCE("concomitant_medications_records"."any_2", 0)
      WHEN 2
      THEN TRUE
      WHEN 0
      THEN FALSE
    END AS "EXCL31"
  FROM "subjects"
  LEFT JOIN "demographics_by_visit"
    ON "demographics_by_visit"."subject_id" = "subjects"."subject_id"
  LEFT JOIN "eligibility_assessments_by_visit"
    ON "eligibility_assessments_by_visit"."subject_id" = "subjects"."subject_id"
  LEFT JOIN "screening_labs_by_visit"
    ON "screening_labs_by_visit"."subject_id" = "subjects"."subject_id"
  LEFT JOIN "visit_dates"
    ON "visit_dates"."subject_id" = "subjects"."subject_id"
  LEFT JOIN "attested"
    ON "attested"."subject_id" = "subjects"."subject_id"
  LEFT JOIN "concomitant_medications_records"
    ON "concomitant_medications_records"."subject_id" = "subjects"."subject_id"
  LEFT JOIN "medical_history_records"
    ON "medical_history_records"."subject_id" = "subjects"."subject_id"
) AS "criteria"
ORDER BY
  "subject_id";
