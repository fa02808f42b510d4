WITH "demographics_repeated" AS (
  SELECT
    "subject_id"
  FROM "demographics"
  WHERE
    NOT "subject_id" IS NULL AND "visit" IN ('SCR')
  GROUP BY
    "subject_id"
  HAVING
    COUNT(*) > 1
), "demographics_by_visit" AS (
  SELECT
    "record"."subject_id" AS "subject_id",
    "record"."birth_date" AS "birth_date__SCR",
    "record"."sex" AS "sex__SCR",
    "record"."childbearing_potential" AS "childbearing_potential__SCR"
  FROM (
    SELECT
      "subject_id",
      "visit",
      "birth_date" AS "birth_date",
      CASE WHEN "sex" IN ('female', 'male') THEN "sex" END AS "sex",
      "childbearing_potential" AS "childbearing_potential"
    FROM "demographics"
    WHERE
      NOT "subject_id" IS NULL AND "visit" IN ('SCR')
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
    CASE
      WHEN MIN("record"."birth_date") = MAX("record"."birth_date")
      THEN MAX("record"."birth_date")
    END AS "birth_date__SCR",
    CASE WHEN MIN("record"."sex") = MAX("record"."sex") THEN MAX("record"."sex") END AS "sex__SCR",
    CASE
      WHEN BOOL_AND(CAST("record"."childbearing_potential" AS BOOLEAN)) = BOOL_OR(CAST("record"."childbearing_potential" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."childbearing_potential" AS BOOLEAN))
    END AS "childbearing_potential__SCR"
  FROM (
    SELECT
      "subject_id",
      "visit",
      "birth_date" AS "birth_date",
      CASE WHEN "sex" IN ('female', 'male') THEN "sex" END AS "sex",
      "childbearing_potential" AS "childbearing_potential"
    FROM "demographics"
    WHERE
      NOT "subject_id" IS NULL AND "visit" IN ('SCR')
  ) AS "record"
  WHERE
    "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "demographics_repeated"
    )
  GROUP BY
    "record"."subject_id"
), "sle__eular_acr_2019_form_repeated" AS (
  SELECT
    "subject_id"
  FROM "sle__eular_acr_2019_form"
  WHERE
    NOT "subject_id" IS NULL AND "visit" IN ('SCR')
  GROUP BY
    "subject_id"
  HAVING
    COUNT(*) > 1
), "sle__eular_acr_2019_form_by_visit" AS (
  SELECT
    "sle__eular_acr_2019_form_by_visit"."subject_id",
    "sle__eular_acr_2019_form_by_visit"."ana_titer__SCR",
    "sle__eular_acr_2019_form_by_visit"."fever__SCR",
    "sle__eular_acr_2019_form_by_visit"."thrombocytopenia__SCR",
    "sle__eular_acr_2019_form_by_visit"."autoimmune_hemolysis__SCR",
    "sle__eular_acr_2019_form_by_visit"."leukopenia__SCR",
    "sle__eular_acr_2019_form_by_visit"."seizure__SCR",
    "sle__eular_acr_2019_form_by_visit"."psychosis__SCR",
    "sle__eular_acr_2019_form_by_visit"."delirium__SCR",
    "sle__eular_acr_2019_form_by_visit"."acute_cutaneous__SCR",
    "sle__eular_acr_2019_form_by_visit"."subacute_or_discoid__SCR",
    "sle__eular_acr_2019_form_by_visit"."non_scarring_alopecia__SCR",
    "sle__eular_acr_2019_form_by_visit"."oral_ulcers__SCR",
    "sle__eular_acr_2019_form_by_visit"."acute_pericarditis__SCR",
    "sle__eular_acr_2019_form_by_visit"."effusion__SCR",
    "sle__eular_acr_2019_form_by_visit"."joint_involvement__SCR",
    "sle__eular_acr_2019_form_by_visit"."nephritis_class_3_or_4__SCR",
    "sle__eular_acr_2019_form_by_visit"."nephritis_class_2_or_5__SCR",
    "sle__eular_acr_2019_form_by_visit"."proteinuria__SCR",
    "sle__eular_acr_2019_form_by_visit"."antiphospholipid__SCR",
    "sle__eular_acr_2019_form_by_visit"."low_c3__SCR",
    "sle__eular_acr_2019_form_by_visit"."low_c4__SCR",
    "sle__eular_acr_2019_form_by_visit"."anti_dsdna_or_sm__SCR",
    "sle__eular_acr_2019_form_by_visit"."diagnosis_date__SCR",
    CASE WHEN "sle__eular_acr_2019_form_by_visit"."fever__SCR" THEN 2 ELSE 0 END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."thrombocytopenia__SCR"
      THEN 4
      WHEN "sle__eular_acr_2019_form_by_visit"."autoimmune_hemolysis__SCR"
      THEN 4
      WHEN "sle__eular_acr_2019_form_by_visit"."leukopenia__SCR"
      THEN 3
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."seizure__SCR"
      THEN 5
      WHEN "sle__eular_acr_2019_form_by_visit"."psychosis__SCR"
      THEN 3
      WHEN "sle__eular_acr_2019_form_by_visit"."delirium__SCR"
      THEN 2
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."acute_cutaneous__SCR"
      THEN 6
      WHEN "sle__eular_acr_2019_form_by_visit"."subacute_or_discoid__SCR"
      THEN 4
      WHEN "sle__eular_acr_2019_form_by_visit"."non_scarring_alopecia__SCR"
      THEN 2
      WHEN "sle__eular_acr_2019_form_by_visit"."oral_ulcers__SCR"
      THEN 2
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."acute_pericarditis__SCR"
      THEN 6
      WHEN "sle__eular_acr_2019_form_by_visit"."effusion__SCR"
      THEN 5
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."joint_involvement__SCR"
      THEN 6
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."nephritis_class_3_or_4__SCR"
      THEN 10
      WHEN "sle__eular_acr_2019_form_by_visit"."nephritis_class_2_or_5__SCR"
      THEN 8
      WHEN "sle__eular_acr_2019_form_by_visit"."proteinuria__SCR"
      THEN 4
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."antiphospholipid__SCR"
      THEN 2
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."low_c3__SCR"
      AND "sle__eular_acr_2019_form_by_visit"."low_c4__SCR"
      THEN 4
      WHEN "sle__eular_acr_2019_form_by_visit"."low_c3__SCR"
      OR "sle__eular_acr_2019_form_by_visit"."low_c4__SCR"
      THEN 3
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."anti_dsdna_or_sm__SCR"
      THEN 6
      ELSE 0
    END AS "eular_acr_2019_SCR_lo",
    CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."fever__SCR", TRUE)
      THEN 2
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."thrombocytopenia__SCR", TRUE)
      THEN 4
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."autoimmune_hemolysis__SCR", TRUE)
      THEN 4
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."leukopenia__SCR", TRUE)
      THEN 3
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."seizure__SCR", TRUE)
      THEN 5
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."psychosis__SCR", TRUE)
      THEN 3
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."delirium__SCR", TRUE)
      THEN 2
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."acute_cutaneous__SCR", TRUE)
      THEN 6
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."subacute_or_discoid__SCR", TRUE)
      THEN 4
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."non_scarring_alopecia__SCR", TRUE)
      THEN 2
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."oral_ulcers__SCR", TRUE)
      THEN 2
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."acute_pericarditis__SCR", TRUE)
      THEN 6
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."effusion__SCR", TRUE)
      THEN 5
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."joint_involvement__SCR", TRUE)
      THEN 6
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."nephritis_class_3_or_4__SCR", TRUE)
      THEN 10
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."nephritis_class_2_or_5__SCR", TRUE)
      THEN 8
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."proteinuria__SCR", TRUE)
      THEN 4
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."antiphospholipid__SCR", TRUE)
      THEN 2
      ELSE 0
    END + CASE
      WHEN COALESCE(
        "sle__eular_acr_2019_form_by_visit"."low_c3__SCR"
        AND "sle__eular_acr_2019_form_by_visit"."low_c4__SCR",
        TRUE
      )
      THEN 4
      WHEN COALESCE(
        "sle__eular_acr_2019_form_by_visit"."low_c3__SCR"
        OR "sle__eular_acr_2019_form_by_visit"."low_c4__SCR",
        TRUE
      )
      THEN 3
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."anti_dsdna_or_sm__SCR", TRUE)
      THEN 6
      ELSE 0
    END AS "eular_acr_2019_SCR_hi",
    CASE WHEN "sle__eular_acr_2019_form_by_visit"."fever__SCR" THEN 2 ELSE 0 END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."thrombocytopenia__SCR"
      THEN 4
      WHEN "sle__eular_acr_2019_form_by_visit"."autoimmune_hemolysis__SCR"
      THEN 4
      WHEN "sle__eular_acr_2019_form_by_visit"."leukopenia__SCR"
      THEN 3
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."seizure__SCR"
      THEN 5
      WHEN "sle__eular_acr_2019_form_by_visit"."psychosis__SCR"
      THEN 3
      WHEN "sle__eular_acr_2019_form_by_visit"."delirium__SCR"
      THEN 2
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."acute_cutaneous__SCR"
      THEN 6
      WHEN "sle__eular_acr_2019_form_by_visit"."subacute_or_discoid__SCR"
      THEN 4
      WHEN "sle__eular_acr_2019_form_by_visit"."non_scarring_alopecia__SCR"
      THEN 2
      WHEN "sle__eular_acr_2019_form_by_visit"."oral_ulcers__SCR"
      THEN 2
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."acute_pericarditis__SCR"
      THEN 6
      WHEN "sle__eular_acr_2019_form_by_visit"."effusion__SCR"
      THEN 5
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."joint_involvement__SCR"
      THEN 6
      ELSE 0
    END + CASE
      WHEN "sle__eular_acr_2019_form_by_visit"."nephritis_class_3_or_4__SCR"
      THEN 10
      WHEN "sle__eular_acr_2019_form_by_visit"."nephritis_class_2_or_5__SCR"
      THEN 8
      WHEN "sle__eular_acr_2019_form_by_visit"."proteinuria__SCR"
      THEN 4
      ELSE 0
    END AS "eular_acr_2019_clinical_SCR_lo",
    CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."fever__SCR", TRUE)
      THEN 2
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."thrombocytopenia__SCR", TRUE)
      THEN 4
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."autoimmune_hemolysis__SCR", TRUE)
      THEN 4
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."leukopenia__SCR", TRUE)
      THEN 3
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."seizure__SCR", TRUE)
      THEN 5
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."psychosis__SCR", TRUE)
      THEN 3
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."delirium__SCR", TRUE)
      THEN 2
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."acute_cutaneous__SCR", TRUE)
      THEN 6
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."subacute_or_discoid__SCR", TRUE)
      THEN 4
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."non_scarring_alopecia__SCR", TRUE)
      THEN 2
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."oral_ulcers__SCR", TRUE)
      THEN 2
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."acute_pericarditis__SCR", TRUE)
      THEN 6
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."effusion__SCR", TRUE)
      THEN 5
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."joint_involvement__SCR", TRUE)
      THEN 6
      ELSE 0
    END + CASE
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."nephritis_class_3_or_4__SCR", TRUE)
      THEN 10
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."nephritis_class_2_or_5__SCR", TRUE)
      THEN 8
      WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."proteinuria__SCR", TRUE)
      THEN 4
      ELSE 0
    END AS "eular_acr_2019_clinical_SCR_hi"
  FROM (
    SELECT
      "record"."subject_id" AS "subject_id",
      "record"."ana_titer" AS "ana_titer__SCR",
      "record"."fever" AS "fever__SCR",
      "record"."thrombocytopenia" AS "thrombocytopenia__SCR",
      "record"."autoimmune_hemolysis" AS "autoimmune_hemolysis__SCR",
      "record"."leukopenia" AS "leukopenia__SCR",
      "record"."seizure" AS "seizure__SCR",
      "record"."psychosis" AS "psychosis__SCR",
      "record"."delirium" AS "delirium__SCR",
      "record"."acute_cutaneous" AS "acute_cutaneous__SCR",
      "record"."subacute_or_discoid" AS "subacute_or_discoid__SCR",
      "record"."non_scarring_alopecia" AS "non_scarring_alopecia__SCR",
      "record"."oral_ulcers" AS "oral_ulcers__SCR",
      "record"."acute_pericarditis" AS "acute_pericarditis__SCR",
      "record"."effusion" AS "effusion__SCR",
      "record"."joint_involvement" AS "joint_involvement__SCR",
      "record"."nephritis_class_3_or_4" AS "nephritis_class_3_or_4__SCR",
      "record"."nephritis_class_2_or_5" AS "nephritis_class_2_or_5__SCR",
      "record"."proteinuria" AS "proteinuria__SCR",
      "record"."antiphospholipid" AS "antiphospholipid__SCR",
      "record"."low_c3" AS "low_c3__SCR",
      "record"."low_c4" AS "low_c4__SCR",
      "record"."anti_dsdna_or_sm" AS "anti_dsdna_or_sm__SCR",
      "record"."diagnosis_date" AS "diagnosis_date__SCR"
    FROM (
      SELECT
        "subject_id",
        "visit",
        CASE WHEN "ana_titer" > 0 THEN "ana_titer" END AS "ana_titer",
        "fever" AS "fever",
        "leukopenia" AS "leukopenia",
        "thrombocytopenia" AS "thrombocytopenia",
        "autoimmune_hemolysis" AS "autoimmune_hemolysis",
        "delirium" AS "delirium",
        "psychosis" AS "psychosis",
        "seizure" AS "seizure",
        "non_scarring_alopecia" AS "non_scarring_alopecia",
        "oral_ulcers" AS "oral_ulcers",
        "subacute_or_discoid" AS "subacute_or_discoid",
        "acute_cutaneous" AS "acute_cutaneous",
        "effusion" AS "effusion",
        "acute_pericarditis" AS "acute_pericarditis",
        "joint_involvement" AS "joint_involvement",
        "proteinuria" AS "proteinuria",
        "nephritis_class_2_or_5" AS "nephritis_class_2_or_5",
        "nephritis_class_3_or_4" AS "nephritis_class_3_or_4",
        "antiphospholipid" AS "antiphospholipid",
        "low_c3" AS "low_c3",
        "low_c4" AS "low_c4",
        "anti_dsdna_or_sm" AS "anti_dsdna_or_sm",
        "diagnosis_date" AS "diagnosis_date"
      FROM "sle__eular_acr_2019_form"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCR')
    ) AS "record"
    WHERE
      NOT "record"."subject_id" IN (
        SELECT
          "subject_id"
        FROM "sle__eular_acr_2019_form_repeated"
      )
    UNION ALL
    SELECT
      "record"."subject_id" AS "subject_id",
      CASE
        WHEN MIN("record"."ana_titer") = MAX("record"."ana_titer")
        THEN MAX("record"."ana_titer")
      END AS "ana_titer__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."fever" AS BOOLEAN)) = BOOL_OR(CAST("record"."fever" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."fever" AS BOOLEAN))
      END AS "fever__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."thrombocytopenia" AS BOOLEAN)) = BOOL_OR(CAST("record"."thrombocytopenia" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."thrombocytopenia" AS BOOLEAN))
      END AS "thrombocytopenia__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."autoimmune_hemolysis" AS BOOLEAN)) = BOOL_OR(CAST("record"."autoimmune_hemolysis" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."autoimmune_hemolysis" AS BOOLEAN))
      END AS "autoimmune_hemolysis__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."leukopenia" AS BOOLEAN)) = BOOL_OR(CAST("record"."leukopenia" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."leukopenia" AS BOOLEAN))
      END AS "leukopenia__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."seizure" AS BOOLEAN)) = BOOL_OR(CAST("record"."seizure" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."seizure" AS BOOLEAN))
      END AS "seizure__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."psychosis" AS BOOLEAN)) = BOOL_OR(CAST("record"."psychosis" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."psychosis" AS BOOLEAN))
      END AS "psychosis__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."delirium" AS BOOLEAN)) = BOOL_OR(CAST("record"."delirium" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."delirium" AS BOOLEAN))
      END AS "delirium__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."acute_cutaneous" AS BOOLEAN)) = BOOL_OR(CAST("record"."acute_cutaneous" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."acute_cutaneous" AS BOOLEAN))
      END AS "acute_cutaneous__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."subacute_or_discoid" AS BOOLEAN)) = BOOL_OR(CAST("record"."subacute_or_discoid" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."subacute_or_discoid" AS BOOLEAN))
      END AS "subacute_or_discoid__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."non_scarring_alopecia" AS BOOLEAN)) = BOOL_OR(CAST("record"."non_scarring_alopecia" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."non_scarring_alopecia" AS BOOLEAN))
      END AS "non_scarring_alopecia__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."oral_ulcers" AS BOOLEAN)) = BOOL_OR(CAST("record"."oral_ulcers" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."oral_ulcers" AS BOOLEAN))
      END AS "oral_ulcers__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."acute_pericarditis" AS BOOLEAN)) = BOOL_OR(CAST("record"."acute_pericarditis" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."acute_pericarditis" AS BOOLEAN))
      END AS "acute_pericarditis__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."effusion" AS BOOLEAN)) = BOOL_OR(CAST("record"."effusion" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."effusion" AS BOOLEAN))
      END AS "effusion__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."joint_involvement" AS BOOLEAN)) = BOOL_OR(CAST("record"."joint_involvement" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."joint_involvement" AS BOOLEAN))
      END AS "joint_involvement__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."nephritis_class_3_or_4" AS BOOLEAN)) = BOOL_OR(CAST("record"."nephritis_class_3_or_4" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."nephritis_class_3_or_4" AS BOOLEAN))
      END AS "nephritis_class_3_or_4__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."nephritis_class_2_or_5" AS BOOLEAN)) = BOOL_OR(CAST("record"."nephritis_class_2_or_5" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."nephritis_class_2_or_5" AS BOOLEAN))
      END AS "nephritis_class_2_or_5__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."proteinuria" AS BOOLEAN)) = BOOL_OR(CAST("record"."proteinuria" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."proteinuria" AS BOOLEAN))
      END AS "proteinuria__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."antiphospholipid" AS BOOLEAN)) = BOOL_OR(CAST("record"."antiphospholipid" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."antiphospholipid" AS BOOLEAN))
      END AS "antiphospholipid__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."low_c3" AS BOOLEAN)) = BOOL_OR(CAST("record"."low_c3" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."low_c3" AS BOOLEAN))
      END AS "low_c3__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."low_c4" AS BOOLEAN)) = BOOL_OR(CAST("record"."low_c4" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."low_c4" AS BOOLEAN))
      END AS "low_c4__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."anti_dsdna_or_sm" AS BOOLEAN)) = BOOL_OR(CAST("record"."anti_dsdna_or_sm" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."anti_dsdna_or_sm" AS BOOLEAN))
      END AS "anti_dsdna_or_sm__SCR",
      CASE
        WHEN MIN("record"."diagnosis_date") = MAX("record"."diagnosis_date")
        THEN MAX("record"."diagnosis_date")
      END AS "diagnosis_date__SCR"
    FROM (
      SELECT
        "subject_id",
        "visit",
        CASE WHEN "ana_titer" > 0 THEN "ana_titer" END AS "ana_titer",
        "fever" AS "fever",
        "leukopenia" AS "leukopenia",
        "thrombocytopenia" AS "thrombocytopenia",
        "autoimmune_hemolysis" AS "autoimmune_hemolysis",
        "delirium" AS "delirium",
        "psychosis" AS "psychosis",
        "seizure" AS "seizure",
        "non_scarring_alopecia" AS "non_scarring_alopecia",
        "oral_ulcers" AS "oral_ulcers",
        "subacute_or_discoid" AS "subacute_or_discoid",
        "acute_cutaneous" AS "acute_cutaneous",
        "effusion" AS "effusion",
        "acute_pericarditis" AS "acute_pericarditis",
        "joint_involvement" AS "joint_involvement",
        "proteinuria" AS "proteinuria",
        "nephritis_class_2_or_5" AS "nephritis_class_2_or_5",
        "nephritis_class_3_or_4" AS "nephritis_class_3_or_4",
        "antiphospholipid" AS "antiphospholipid",
        "low_c3" AS "low_c3",
        "low_c4" AS "low_c4",
        "anti_dsdna_or_sm" AS "anti_dsdna_or_sm",
        "diagnosis_date" AS "diagnosis_date"
      FROM "sle__eular_acr_2019_form"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCR')
    ) AS "record"
    WHERE
      "record"."subject_id" IN (
        SELECT
          "subject_id"
        FROM "sle__eular_acr_2019_form_repeated"
      )
    GROUP BY
      "record"."subject_id"
  ) AS "sle__eular_acr_2019_form_by_visit"
), "serology_repeated" AS (
  SELECT
    "subject_id"
  FROM "serology"
  WHERE
    NOT "subject_id" IS NULL AND "visit" IN ('SCR')
  GROUP BY
    "subject_id"
  HAVING
    COUNT(*) > 1
), "serology_by_visit" AS (
  SELECT
    "record"."subject_id" AS "subject_id",
    "record"."ana_titer" AS "ana_titer__SCR",
    "record"."anti_dsdna" AS "anti_dsdna__SCR",
    "record"."anti_sm" AS "anti_sm__SCR",
    "record"."c3" AS "c3__SCR",
    "record"."c3_lln" AS "c3_lln__SCR",
    "record"."c4" AS "c4__SCR",
    "record"."c4_lln" AS "c4_lln__SCR"
  FROM (
    SELECT
      "subject_id",
      "visit",
      CASE WHEN "ana_titer" > 0 THEN "ana_titer" END AS "ana_titer",
      CASE WHEN "anti_dsdna" IN ('positive', 'negative') THEN "anti_dsdna" END AS "anti_dsdna",
      CASE WHEN "anti_sm" IN ('positive', 'negative') THEN "anti_sm" END AS "anti_sm",
      CASE WHEN "c3" >= 0 AND "c3" <= 10 THEN "c3" END AS "c3",
      CASE WHEN "c3_lln" >= 0 AND "c3_lln" <= 10 THEN "c3_lln" END AS "c3_lln",
      CASE WHEN "c4" >= 0 AND "c4" <= 5 THEN "c4" END AS "c4",
      CASE WHEN "c4_lln" >= 0 AND "c4_lln" <= 5 THEN "c4_lln" END AS "c4_lln"
    FROM (
      SELECT
        "subject_id",
        "visit",
        "ana_titer" AS "ana_titer",
        "anti_dsdna" AS "anti_dsdna",
        "anti_sm" AS "anti_sm",
        CASE
          WHEN "c3__unit" IS NULL OR "c3__unit" IN ('', 'g/L')
          THEN "c3"
          WHEN "c3__unit" = 'g/dL'
          THEN ROUND(CAST("c3" * 10 AS DOUBLE), 9)
          WHEN "c3__unit" = 'g/mL'
          THEN ROUND(CAST("c3" * 1000 AS DOUBLE), 9)
          WHEN "c3__unit" = 'mg/L'
          THEN ROUND(CAST("c3" / 1000 AS DOUBLE), 12)
          WHEN "c3__unit" = 'mg/dL'
          THEN ROUND(CAST("c3" / 100 AS DOUBLE), 11)
          WHEN "c3__unit" = 'mg/mL'
          THEN "c3"
          WHEN "c3__unit" = 'ug/L'
          THEN ROUND(CAST("c3" / 1000000 AS DOUBLE), 15)
          WHEN "c3__unit" = 'ug/dL'
          THEN ROUND(CAST("c3" / 100000 AS DOUBLE), 14)
          WHEN "c3__unit" = 'ug/mL'
          THEN ROUND(CAST("c3" / 1000 AS DOUBLE), 12)
          WHEN "c3__unit" = 'ng/L'
          THEN ROUND(CAST("c3" / 1000000000 AS DOUBLE), 15)
          WHEN "c3__unit" = 'ng/dL'
          THEN ROUND(CAST("c3" / 100000000 AS DOUBLE), 15)
          WHEN "c3__unit" = 'ng/mL'
          THEN ROUND(CAST("c3" / 1000000 AS DOUBLE), 15)
          WHEN "c3__unit" = 'pg/mL'
          THEN ROUND(CAST("c3" / 1000000000 AS DOUBLE), 15)
          WHEN "c3__unit" = 'pg/L'
          THEN ROUND(CAST("c3" / 1000000000000 AS DOUBLE), 15)
        END AS "c3",
        CASE
          WHEN "c3_lln__unit" IS NULL OR "c3_lln__unit" IN ('', 'g/L')
          THEN "c3_lln"
          WHEN "c3_lln__unit" = 'g/dL'
          THEN ROUND(CAST("c3_lln" * 10 AS DOUBLE), 9)
          WHEN "c3_lln__unit" = 'g/mL'
          THEN ROUND(CAST("c3_lln" * 1000 AS DOUBLE), 9)
          WHEN "c3_lln__unit" = 'mg/L'
          THEN ROUND(CAST("c3_lln" / 1000 AS DOUBLE), 12)
          WHEN "c3_lln__unit" = 'mg/dL'
          THEN ROUND(CAST("c3_lln" / 100 AS DOUBLE), 11)
          WHEN "c3_lln__unit" = 'mg/mL'
          THEN "c3_lln"
          WHEN "c3_lln__unit" = 'ug/L'
          THEN ROUND(CAST("c3_lln" / 1000000 AS DOUBLE), 15)
          WHEN "c3_lln__unit" = 'ug/dL'
          THEN ROUND(CAST("c3_lln" / 100000 AS DOUBLE), 14)
          WHEN "c3_lln__unit" = 'ug/mL'
          THEN ROUND(CAST("c3_lln" / 1000 AS DOUBLE), 12)
          WHEN "c3_lln__unit" = 'ng/L'
          THEN ROUND(CAST("c3_lln" / 1000000000 AS DOUBLE), 15)
          WHEN "c3_lln__unit" = 'ng/dL'
          THEN ROUND(CAST("c3_lln" / 100000000 AS DOUBLE), 15)
          WHEN "c3_lln__unit" = 'ng/mL'
          THEN ROUND(CAST("c3_lln" / 1000000 AS DOUBLE), 15)
          WHEN "c3_lln__unit" = 'pg/mL'
          THEN ROUND(CAST("c3_lln" / 1000000000 AS DOUBLE), 15)
          WHEN "c3_lln__unit" = 'pg/L'
          THEN ROUND(CAST("c3_lln" / 1000000000000 AS DOUBLE), 15)
        END AS "c3_lln",
        CASE
          WHEN "c4__unit" IS NULL OR "c4__unit" IN ('', 'g/L')
          THEN "c4"
          WHEN "c4__unit" = 'g/dL'
          THEN ROUND(CAST("c4" * 10 AS DOUBLE), 9)
          WHEN "c4__unit" = 'g/mL'
          THEN ROUND(CAST("c4" * 1000 AS DOUBLE), 9)
          WHEN "c4__unit" = 'mg/L'
          THEN ROUND(CAST("c4" / 1000 AS DOUBLE), 12)
          WHEN "c4__unit" = 'mg/dL'
          THEN ROUND(CAST("c4" / 100 AS DOUBLE), 11)
          WHEN "c4__unit" = 'mg/mL'
          THEN "c4"
          WHEN "c4__unit" = 'ug/L'
          THEN ROUND(CAST("c4" / 1000000 AS DOUBLE), 15)
          WHEN "c4__unit" = 'ug/dL'
          THEN ROUND(CAST("c4" / 100000 AS DOUBLE), 14)
          WHEN "c4__unit" = 'ug/mL'
          THEN ROUND(CAST("c4" / 1000 AS DOUBLE), 12)
          WHEN "c4__unit" = 'ng/L'
          THEN ROUND(CAST("c4" / 1000000000 AS DOUBLE), 15)
          WHEN "c4__unit" = 'ng/dL'
          THEN ROUND(CAST("c4" / 100000000 AS DOUBLE), 15)
          WHEN "c4__unit" = 'ng/mL'
          THEN ROUND(CAST("c4" / 1000000 AS DOUBLE), 15)
          WHEN "c4__unit" = 'pg/mL'
          THEN ROUND(CAST("c4" / 1000000000 AS DOUBLE), 15)
          WHEN "c4__unit" = 'pg/L'
          THEN ROUND(CAST("c4" / 1000000000000 AS DOUBLE), 15)
        END AS "c4",
        CASE
          WHEN "c4_lln__unit" IS NULL OR "c4_lln__unit" IN ('', 'g/L')
          THEN "c4_lln"
          WHEN "c4_lln__unit" = 'g/dL'
          THEN ROUND(CAST("c4_lln" * 10 AS DOUBLE), 9)
          WHEN "c4_lln__unit" = 'g/mL'
          THEN ROUND(CAST("c4_lln" * 1000 AS DOUBLE), 9)
          WHEN "c4_lln__unit" = 'mg/L'
          THEN ROUND(CAST("c4_lln" / 1000 AS DOUBLE), 12)
          WHEN "c4_lln__unit" = 'mg/dL'
          THEN ROUND(CAST("c4_lln" / 100 AS DOUBLE), 11)
          WHEN "c4_lln__unit" = 'mg/mL'
          THEN "c4_lln"
          WHEN "c4_lln__unit" = 'ug/L'
          THEN ROUND(CAST("c4_lln" / 1000000 AS DOUBLE), 15)
          WHEN "c4_lln__unit" = 'ug/dL'
          THEN ROUND(CAST("c4_lln" / 100000 AS DOUBLE), 14)
          WHEN "c4_lln__unit" = 'ug/mL'
          THEN ROUND(CAST("c4_lln" / 1000 AS DOUBLE), 12)
          WHEN "c4_lln__unit" = 'ng/L'
          THEN ROUND(CAST("c4_lln" / 1000000000 AS DOUBLE), 15)
          WHEN "c4_lln__unit" = 'ng/dL'
          THEN ROUND(CAST("c4_lln" / 100000000 AS DOUBLE), 15)
          WHEN "c4_lln__unit" = 'ng/mL'
          THEN ROUND(CAST("c4_lln" / 1000000 AS DOUBLE), 15)
          WHEN "c4_lln__unit" = 'pg/mL'
          THEN ROUND(CAST("c4_lln" / 1000000000 AS DOUBLE), 15)
          WHEN "c4_lln__unit" = 'pg/L'
          THEN ROUND(CAST("c4_lln" / 1000000000000 AS DOUBLE), 15)
        END AS "c4_lln"
      FROM "serology"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCR')
    ) AS "serology_converted"
  ) AS "record"
  WHERE
    NOT "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "serology_repeated"
    )
  UNION ALL
  SELECT
    "record"."subject_id" AS "subject_id",
    CASE
      WHEN MIN("record"."ana_titer") = MAX("record"."ana_titer")
      THEN MAX("record"."ana_titer")
    END AS "ana_titer__SCR",
    CASE
      WHEN MIN("record"."anti_dsdna") = MAX("record"."anti_dsdna")
      THEN MAX("record"."anti_dsdna")
    END AS "anti_dsdna__SCR",
    CASE
      WHEN MIN("record"."anti_sm") = MAX("record"."anti_sm")
      THEN MAX("record"."anti_sm")
    END AS "anti_sm__SCR",
    CASE WHEN MIN("record"."c3") = MAX("record"."c3") THEN MAX("record"."c3") END AS "c3__SCR",
    CASE
      WHEN MIN("record"."c3_lln") = MAX("record"."c3_lln")
      THEN MAX("record"."c3_lln")
    END AS "c3_lln__SCR",
    CASE WHEN MIN("record"."c4") = MAX("record"."c4") THEN MAX("record"."c4") END AS "c4__SCR",
    CASE
      WHEN MIN("record"."c4_lln") = MAX("record"."c4_lln")
      THEN MAX("record"."c4_lln")
    END AS "c4_lln__SCR"
  FROM (
    SELECT
      "subject_id",
      "visit",
      CASE WHEN "ana_titer" > 0 THEN "ana_titer" END AS "ana_titer",
      CASE WHEN "anti_dsdna" IN ('positive', 'negative') THEN "anti_dsdna" END AS "anti_dsdna",
      CASE WHEN "anti_sm" IN ('positive', 'negative') THEN "anti_sm" END AS "anti_sm",
      CASE WHEN "c3" >= 0 AND "c3" <= 10 THEN "c3" END AS "c3",
      CASE WHEN "c3_lln" >= 0 AND "c3_lln" <= 10 THEN "c3_lln" END AS "c3_lln",
      CASE WHEN "c4" >= 0 AND "c4" <= 5 THEN "c4" END AS "c4",
      CASE WHEN "c4_lln" >= 0 AND "c4_lln" <= 5 THEN "c4_lln" END AS "c4_lln"
    FROM (
      SELECT
        "subject_id",
        "visit",
        "ana_titer" AS "ana_titer",
        "anti_dsdna" AS "anti_dsdna",
        "anti_sm" AS "anti_sm",
        CASE
          WHEN "c3__unit" IS NULL OR "c3__unit" IN ('', 'g/L')
          THEN "c3"
          WHEN "c3__unit" = 'g/dL'
          THEN ROUND(CAST("c3" * 10 AS DOUBLE), 9)
          WHEN "c3__unit" = 'g/mL'
          THEN ROUND(CAST("c3" * 1000 AS DOUBLE), 9)
          WHEN "c3__unit" = 'mg/L'
          THEN ROUND(CAST("c3" / 1000 AS DOUBLE), 12)
          WHEN "c3__unit" = 'mg/dL'
          THEN ROUND(CAST("c3" / 100 AS DOUBLE), 11)
          WHEN "c3__unit" = 'mg/mL'
          THEN "c3"
          WHEN "c3__unit" = 'ug/L'
          THEN ROUND(CAST("c3" / 1000000 AS DOUBLE), 15)
          WHEN "c3__unit" = 'ug/dL'
          THEN ROUND(CAST("c3" / 100000 AS DOUBLE), 14)
          WHEN "c3__unit" = 'ug/mL'
          THEN ROUND(CAST("c3" / 1000 AS DOUBLE), 12)
          WHEN "c3__unit" = 'ng/L'
          THEN ROUND(CAST("c3" / 1000000000 AS DOUBLE), 15)
          WHEN "c3__unit" = 'ng/dL'
          THEN ROUND(CAST("c3" / 100000000 AS DOUBLE), 15)
          WHEN "c3__unit" = 'ng/mL'
          THEN ROUND(CAST("c3" / 1000000 AS DOUBLE), 15)
          WHEN "c3__unit" = 'pg/mL'
          THEN ROUND(CAST("c3" / 1000000000 AS DOUBLE), 15)
          WHEN "c3__unit" = 'pg/L'
          THEN ROUND(CAST("c3" / 1000000000000 AS DOUBLE), 15)
        END AS "c3",
        CASE
          WHEN "c3_lln__unit" IS NULL OR "c3_lln__unit" IN ('', 'g/L')
          THEN "c3_lln"
          WHEN "c3_lln__unit" = 'g/dL'
          THEN ROUND(CAST("c3_lln" * 10 AS DOUBLE), 9)
          WHEN "c3_lln__unit" = 'g/mL'
          THEN ROUND(CAST("c3_lln" * 1000 AS DOUBLE), 9)
          WHEN "c3_lln__unit" = 'mg/L'
          THEN ROUND(CAST("c3_lln" / 1000 AS DOUBLE), 12)
          WHEN "c3_lln__unit" = 'mg/dL'
          THEN ROUND(CAST("c3_lln" / 100 AS DOUBLE), 11)
          WHEN "c3_lln__unit" = 'mg/mL'
          THEN "c3_lln"
          WHEN "c3_lln__unit" = 'ug/L'
          THEN ROUND(CAST("c3_lln" / 1000000 AS DOUBLE), 15)
          WHEN "c3_lln__unit" = 'ug/dL'
          THEN ROUND(CAST("c3_lln" / 100000 AS DOUBLE), 14)
          WHEN "c3_lln__unit" = 'ug/mL'
          THEN ROUND(CAST("c3_lln" / 1000 AS DOUBLE), 12)
          WHEN "c3_lln__unit" = 'ng/L'
          THEN ROUND(CAST("c3_lln" / 1000000000 AS DOUBLE), 15)
          WHEN "c3_lln__unit" = 'ng/dL'
          THEN ROUND(CAST("c3_lln" / 100000000 AS DOUBLE), 15)
          WHEN "c3_lln__unit" = 'ng/mL'
          THEN ROUND(CAST("c3_lln" / 1000000 AS DOUBLE), 15)
          WHEN "c3_lln__unit" = 'pg/mL'
          THEN ROUND(CAST("c3_lln" / 1000000000 AS DOUBLE), 15)
          WHEN "c3_lln__unit" = 'pg/L'
          THEN ROUND(CAST("c3_lln" / 1000000000000 AS DOUBLE), 15)
        END AS "c3_lln",
        CASE
          WHEN "c4__unit" IS NULL OR "c4__unit" IN ('', 'g/L')
          THEN "c4"
          WHEN "c4__unit" = 'g/dL'
          THEN ROUND(CAST("c4" * 10 AS DOUBLE), 9)
          WHEN "c4__unit" = 'g/mL'
          THEN ROUND(CAST("c4" * 1000 AS DOUBLE), 9)
          WHEN "c4__unit" = 'mg/L'
          THEN ROUND(CAST("c4" / 1000 AS DOUBLE), 12)
          WHEN "c4__unit" = 'mg/dL'
          THEN ROUND(CAST("c4" / 100 AS DOUBLE), 11)
          WHEN "c4__unit" = 'mg/mL'
          THEN "c4"
          WHEN "c4__unit" = 'ug/L'
          THEN ROUND(CAST("c4" / 1000000 AS DOUBLE), 15)
          WHEN "c4__unit" = 'ug/dL'
          THEN ROUND(CAST("c4" / 100000 AS DOUBLE), 14)
          WHEN "c4__unit" = 'ug/mL'
          THEN ROUND(CAST("c4" / 1000 AS DOUBLE), 12)
          WHEN "c4__unit" = 'ng/L'
          THEN ROUND(CAST("c4" / 1000000000 AS DOUBLE), 15)
          WHEN "c4__unit" = 'ng/dL'
          THEN ROUND(CAST("c4" / 100000000 AS DOUBLE), 15)
          WHEN "c4__unit" = 'ng/mL'
          THEN ROUND(CAST("c4" / 1000000 AS DOUBLE), 15)
          WHEN "c4__unit" = 'pg/mL'
          THEN ROUND(CAST("c4" / 1000000000 AS DOUBLE), 15)
          WHEN "c4__unit" = 'pg/L'
          THEN ROUND(CAST("c4" / 1000000000000 AS DOUBLE), 15)
        END AS "c4",
        CASE
          WHEN "c4_lln__unit" IS NULL OR "c4_lln__unit" IN ('', 'g/L')
          THEN "c4_lln"
          WHEN "c4_lln__unit" = 'g/dL'
          THEN ROUND(CAST("c4_lln" * 10 AS DOUBLE), 9)
          WHEN "c4_lln__unit" = 'g/mL'
          THEN ROUND(CAST("c4_lln" * 1000 AS DOUBLE), 9)
          WHEN "c4_lln__unit" = 'mg/L'
          THEN ROUND(CAST("c4_lln" / 1000 AS DOUBLE), 12)
          WHEN "c4_lln__unit" = 'mg/dL'
          THEN ROUND(CAST("c4_lln" / 100 AS DOUBLE), 11)
          WHEN "c4_lln__unit" = 'mg/mL'
          THEN "c4_lln"
          WHEN "c4_lln__unit" = 'ug/L'
          THEN ROUND(CAST("c4_lln" / 1000000 AS DOUBLE), 15)
          WHEN "c4_lln__unit" = 'ug/dL'
          THEN ROUND(CAST("c4_lln" / 100000 AS DOUBLE), 14)
          WHEN "c4_lln__unit" = 'ug/mL'
          THEN ROUND(CAST("c4_lln" / 1000 AS DOUBLE), 12)
          WHEN "c4_lln__unit" = 'ng/L'
          THEN ROUND(CAST("c4_lln" / 1000000000 AS DOUBLE), 15)
          WHEN "c4_lln__unit" = 'ng/dL'
          THEN ROUND(CAST("c4_lln" / 100000000 AS DOUBLE), 15)
          WHEN "c4_lln__unit" = 'ng/mL'
          THEN ROUND(CAST("c4_lln" / 1000000 AS DOUBLE), 15)
          WHEN "c4_lln__unit" = 'pg/mL'
          THEN ROUND(CAST("c4_lln" / 1000000000 AS DOUBLE), 15)
          WHEN "c4_lln__unit" = 'pg/L'
          THEN ROUND(CAST("c4_lln" / 1000000000000 AS DOUBLE), 15)
        END AS "c4_lln"
      FROM "serology"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCR')
    ) AS "serology_converted_2"
  ) AS "record"
  WHERE
    "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "serology_repeated"
    )
  GROUP BY
    "record"."subject_id"
), "sle__sledai_2k_form_repeated" AS (
  SELECT
    "subject_id"
  FROM "sle__sledai_2k_form"
  WHERE
    NOT "subject_id" IS NULL AND "visit" IN ('SCR')
  GROUP BY
    "subject_id"
  HAVING
    COUNT(*) > 1
), "sle__sledai_2k_form_by_visit" AS (
  SELECT
    "sle__sledai_2k_form_by_visit"."subject_id",
    "sle__sledai_2k_form_by_visit"."seizure__SCR",
    "sle__sledai_2k_form_by_visit"."psychosis__SCR",
    "sle__sledai_2k_form_by_visit"."organic_brain_syndrome__SCR",
    "sle__sledai_2k_form_by_visit"."visual_disturbance__SCR",
    "sle__sledai_2k_form_by_visit"."cranial_nerve_disorder__SCR",
    "sle__sledai_2k_form_by_visit"."lupus_headache__SCR",
    "sle__sledai_2k_form_by_visit"."cerebrovascular_accident__SCR",
    "sle__sledai_2k_form_by_visit"."vasculitis__SCR",
    "sle__sledai_2k_form_by_visit"."arthritis__SCR",
    "sle__sledai_2k_form_by_visit"."myositis__SCR",
    "sle__sledai_2k_form_by_visit"."urinary_casts__SCR",
    "sle__sledai_2k_form_by_visit"."hematuria__SCR",
    "sle__sledai_2k_form_by_visit"."proteinuria__SCR",
    "sle__sledai_2k_form_by_visit"."pyuria__SCR",
    "sle__sledai_2k_form_by_visit"."rash__SCR",
    "sle__sledai_2k_form_by_visit"."alopecia__SCR",
    "sle__sledai_2k_form_by_visit"."mucosal_ulcers__SCR",
    "sle__sledai_2k_form_by_visit"."pleurisy__SCR",
    "sle__sledai_2k_form_by_visit"."pericarditis__SCR",
    "sle__sledai_2k_form_by_visit"."low_complement__SCR",
    "sle__sledai_2k_form_by_visit"."increased_dna_binding__SCR",
    "sle__sledai_2k_form_by_visit"."fever__SCR",
    "sle__sledai_2k_form_by_visit"."thrombocytopenia__SCR",
    "sle__sledai_2k_form_by_visit"."leukopenia__SCR",
    CASE WHEN "sle__sledai_2k_form_by_visit"."seizure__SCR" THEN 8 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."psychosis__SCR" THEN 8 ELSE 0 END + CASE
      WHEN "sle__sledai_2k_form_by_visit"."organic_brain_syndrome__SCR"
      THEN 8
      ELSE 0
    END + CASE WHEN "sle__sledai_2k_form_by_visit"."visual_disturbance__SCR" THEN 8 ELSE 0 END + CASE
      WHEN "sle__sledai_2k_form_by_visit"."cranial_nerve_disorder__SCR"
      THEN 8
      ELSE 0
    END + CASE WHEN "sle__sledai_2k_form_by_visit"."lupus_headache__SCR" THEN 8 ELSE 0 END + CASE
      WHEN "sle__sledai_2k_form_by_visit"."cerebrovascular_accident__SCR"
      THEN 8
      ELSE 0
    END + CASE WHEN "sle__sledai_2k_form_by_visit"."vasculitis__SCR" THEN 8 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."arthritis__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."myositis__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."urinary_casts__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."hematuria__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."proteinuria__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."pyuria__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."rash__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."alopecia__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."mucosal_ulcers__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."pleurisy__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."pericarditis__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."low_complement__SCR" THEN 2 ELSE 0 END + CASE
      WHEN "sle__sledai_2k_form_by_visit"."increased_dna_binding__SCR"
      THEN 2
      ELSE 0
    END + CASE WHEN "sle__sledai_2k_form_by_visit"."fever__SCR" THEN 1 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."thrombocytopenia__SCR" THEN 1 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."leukopenia__SCR" THEN 1 ELSE 0 END AS "sledai_2k_SCR_lo",
    CASE WHEN NOT "sle__sledai_2k_form_by_visit"."seizure__SCR" THEN 0 ELSE 8 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."psychosis__SCR" THEN 0 ELSE 8 END + CASE
      WHEN NOT "sle__sledai_2k_form_by_visit"."organic_brain_syndrome__SCR"
      THEN 0
      ELSE 8
    END + CASE
      WHEN NOT "sle__sledai_2k_form_by_visit"."visual_disturbance__SCR"
      THEN 0
      ELSE 8
    END + CASE
      WHEN NOT "sle__sledai_2k_form_by_visit"."cranial_nerve_disorder__SCR"
      THEN 0
      ELSE 8
    END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."lupus_headache__SCR" THEN 0 ELSE 8 END + CASE
      WHEN NOT "sle__sledai_2k_form_by_visit"."cerebrovascular_accident__SCR"
      THEN 0
      ELSE 8
    END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."vasculitis__SCR" THEN 0 ELSE 8 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."arthritis__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."myositis__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."urinary_casts__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."hematuria__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."proteinuria__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."pyuria__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."rash__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."alopecia__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."mucosal_ulcers__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."pleurisy__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."pericarditis__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."low_complement__SCR" THEN 0 ELSE 2 END + CASE
      WHEN NOT "sle__sledai_2k_form_by_visit"."increased_dna_binding__SCR"
      THEN 0
      ELSE 2
    END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."fever__SCR" THEN 0 ELSE 1 END + CASE
      WHEN NOT "sle__sledai_2k_form_by_visit"."thrombocytopenia__SCR"
      THEN 0
      ELSE 1
    END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."leukopenia__SCR" THEN 0 ELSE 1 END AS "sledai_2k_SCR_hi",
    CASE WHEN "sle__sledai_2k_form_by_visit"."seizure__SCR" THEN 8 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."psychosis__SCR" THEN 8 ELSE 0 END + CASE
      WHEN "sle__sledai_2k_form_by_visit"."organic_brain_syndrome__SCR"
      THEN 8
      ELSE 0
    END + CASE WHEN "sle__sledai_2k_form_by_visit"."visual_disturbance__SCR" THEN 8 ELSE 0 END + CASE
      WHEN "sle__sledai_2k_form_by_visit"."cranial_nerve_disorder__SCR"
      THEN 8
      ELSE 0
    END + CASE WHEN "sle__sledai_2k_form_by_visit"."lupus_headache__SCR" THEN 8 ELSE 0 END + CASE
      WHEN "sle__sledai_2k_form_by_visit"."cerebrovascular_accident__SCR"
      THEN 8
      ELSE 0
    END AS "sledai_2k_cns_SCR_lo",
    CASE WHEN NOT "sle__sledai_2k_form_by_visit"."seizure__SCR" THEN 0 ELSE 8 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."psychosis__SCR" THEN 0 ELSE 8 END + CASE
      WHEN NOT "sle__sledai_2k_form_by_visit"."organic_brain_syndrome__SCR"
      THEN 0
      ELSE 8
    END + CASE
      WHEN NOT "sle__sledai_2k_form_by_visit"."visual_disturbance__SCR"
      THEN 0
      ELSE 8
    END + CASE
      WHEN NOT "sle__sledai_2k_form_by_visit"."cranial_nerve_disorder__SCR"
      THEN 0
      ELSE 8
    END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."lupus_headache__SCR" THEN 0 ELSE 8 END + CASE
      WHEN NOT "sle__sledai_2k_form_by_visit"."cerebrovascular_accident__SCR"
      THEN 0
      ELSE 8
    END AS "sledai_2k_cns_SCR_hi"
  FROM (
    SELECT
      "record"."subject_id" AS "subject_id",
      "record"."seizure" AS "seizure__SCR",
      "record"."psychosis" AS "psychosis__SCR",
      "record"."organic_brain_syndrome" AS "organic_brain_syndrome__SCR",
      "record"."visual_disturbance" AS "visual_disturbance__SCR",
      "record"."cranial_nerve_disorder" AS "cranial_nerve_disorder__SCR",
      "record"."lupus_headache" AS "lupus_headache__SCR",
      "record"."cerebrovascular_accident" AS "cerebrovascular_accident__SCR",
      "record"."vasculitis" AS "vasculitis__SCR",
      "record"."arthritis" AS "arthritis__SCR",
      "record"."myositis" AS "myositis__SCR",
      "record"."urinary_casts" AS "urinary_casts__SCR",
      "record"."hematuria" AS "hematuria__SCR",
      "record"."proteinuria" AS "proteinuria__SCR",
      "record"."pyuria" AS "pyuria__SCR",
      "record"."rash" AS "rash__SCR",
      "record"."alopecia" AS "alopecia__SCR",
      "record"."mucosal_ulcers" AS "mucosal_ulcers__SCR",
      "record"."pleurisy" AS "pleurisy__SCR",
      "record"."pericarditis" AS "pericarditis__SCR",
      "record"."low_complement" AS "low_complement__SCR",
      "record"."increased_dna_binding" AS "increased_dna_binding__SCR",
      "record"."fever" AS "fever__SCR",
      "record"."thrombocytopenia" AS "thrombocytopenia__SCR",
      "record"."leukopenia" AS "leukopenia__SCR"
    FROM (
      SELECT
        "subject_id",
        "visit",
        "seizure" AS "seizure",
        "psychosis" AS "psychosis",
        "organic_brain_syndrome" AS "organic_brain_syndrome",
        "visual_disturbance" AS "visual_disturbance",
        "cranial_nerve_disorder" AS "cranial_nerve_disorder",
        "lupus_headache" AS "lupus_headache",
        "cerebrovascular_accident" AS "cerebrovascular_accident",
        "vasculitis" AS "vasculitis",
        "arthritis" AS "arthritis",
        "myositis" AS "myositis",
        "urinary_casts" AS "urinary_casts",
        "hematuria" AS "hematuria",
        "proteinuria" AS "proteinuria",
        "pyuria" AS "pyuria",
        "rash" AS "rash",
        "alopecia" AS "alopecia",
        "mucosal_ulcers" AS "mucosal_ulcers",
        "pleurisy" AS "pleurisy",
        "pericarditis" AS "pericarditis",
        "low_complement" AS "low_complement",
        "increased_dna_binding" AS "increased_dna_binding",
        "fever" AS "fever",
        "thrombocytopenia" AS "thrombocytopenia",
        "leukopenia" AS "leukopenia"
      FROM "sle__sledai_2k_form"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCR')
    ) AS "record"
    WHERE
      NOT "record"."subject_id" IN (
        SELECT
          "subject_id"
        FROM "sle__sledai_2k_form_repeated"
      )
    UNION ALL
    SELECT
      "record"."subject_id" AS "subject_id",
      CASE
        WHEN BOOL_AND(CAST("record"."seizure" AS BOOLEAN)) = BOOL_OR(CAST("record"."seizure" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."seizure" AS BOOLEAN))
      END AS "seizure__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."psychosis" AS BOOLEAN)) = BOOL_OR(CAST("record"."psychosis" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."psychosis" AS BOOLEAN))
      END AS "psychosis__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."organic_brain_syndrome" AS BOOLEAN)) = BOOL_OR(CAST("record"."organic_brain_syndrome" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."organic_brain_syndrome" AS BOOLEAN))
      END AS "organic_brain_syndrome__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."visual_disturbance" AS BOOLEAN)) = BOOL_OR(CAST("record"."visual_disturbance" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."visual_disturbance" AS BOOLEAN))
      END AS "visual_disturbance__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."cranial_nerve_disorder" AS BOOLEAN)) = BOOL_OR(CAST("record"."cranial_nerve_disorder" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."cranial_nerve_disorder" AS BOOLEAN))
      END AS "cranial_nerve_disorder__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."lupus_headache" AS BOOLEAN)) = BOOL_OR(CAST("record"."lupus_headache" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."lupus_headache" AS BOOLEAN))
      END AS "lupus_headache__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."cerebrovascular_accident" AS BOOLEAN)) = BOOL_OR(CAST("record"."cerebrovascular_accident" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."cerebrovascular_accident" AS BOOLEAN))
      END AS "cerebrovascular_accident__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."vasculitis" AS BOOLEAN)) = BOOL_OR(CAST("record"."vasculitis" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."vasculitis" AS BOOLEAN))
      END AS "vasculitis__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."arthritis" AS BOOLEAN)) = BOOL_OR(CAST("record"."arthritis" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."arthritis" AS BOOLEAN))
      END AS "arthritis__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."myositis" AS BOOLEAN)) = BOOL_OR(CAST("record"."myositis" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."myositis" AS BOOLEAN))
      END AS "myositis__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."urinary_casts" AS BOOLEAN)) = BOOL_OR(CAST("record"."urinary_casts" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."urinary_casts" AS BOOLEAN))
      END AS "urinary_casts__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."hematuria" AS BOOLEAN)) = BOOL_OR(CAST("record"."hematuria" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."hematuria" AS BOOLEAN))
      END AS "hematuria__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."proteinuria" AS BOOLEAN)) = BOOL_OR(CAST("record"."proteinuria" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."proteinuria" AS BOOLEAN))
      END AS "proteinuria__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."pyuria" AS BOOLEAN)) = BOOL_OR(CAST("record"."pyuria" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."pyuria" AS BOOLEAN))
      END AS "pyuria__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."rash" AS BOOLEAN)) = BOOL_OR(CAST("record"."rash" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."rash" AS BOOLEAN))
      END AS "rash__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."alopecia" AS BOOLEAN)) = BOOL_OR(CAST("record"."alopecia" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."alopecia" AS BOOLEAN))
      END AS "alopecia__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."mucosal_ulcers" AS BOOLEAN)) = BOOL_OR(CAST("record"."mucosal_ulcers" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."mucosal_ulcers" AS BOOLEAN))
      END AS "mucosal_ulcers__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."pleurisy" AS BOOLEAN)) = BOOL_OR(CAST("record"."pleurisy" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."pleurisy" AS BOOLEAN))
      END AS "pleurisy__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."pericarditis" AS BOOLEAN)) = BOOL_OR(CAST("record"."pericarditis" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."pericarditis" AS BOOLEAN))
      END AS "pericarditis__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."low_complement" AS BOOLEAN)) = BOOL_OR(CAST("record"."low_complement" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."low_complement" AS BOOLEAN))
      END AS "low_complement__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."increased_dna_binding" AS BOOLEAN)) = BOOL_OR(CAST("record"."increased_dna_binding" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."increased_dna_binding" AS BOOLEAN))
      END AS "increased_dna_binding__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."fever" AS BOOLEAN)) = BOOL_OR(CAST("record"."fever" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."fever" AS BOOLEAN))
      END AS "fever__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."thrombocytopenia" AS BOOLEAN)) = BOOL_OR(CAST("record"."thrombocytopenia" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."thrombocytopenia" AS BOOLEAN))
      END AS "thrombocytopenia__SCR",
      CASE
        WHEN BOOL_AND(CAST("record"."leukopenia" AS BOOLEAN)) = BOOL_OR(CAST("record"."leukopenia" AS BOOLEAN))
        THEN BOOL_OR(CAST("record"."leukopenia" AS BOOLEAN))
      END AS "leukopenia__SCR"
    FROM (
      SELECT
        "subject_id",
        "visit",
        "seizure" AS "seizure",
        "psychosis" AS "psychosis",
        "organic_brain_syndrome" AS "organic_brain_syndrome",
        "visual_disturbance" AS "visual_disturbance",
        "cranial_nerve_disorder" AS "cranial_nerve_disorder",
        "lupus_headache" AS "lupus_headache",
        "cerebrovascular_accident" AS "cerebrovascular_accident",
        "vasculitis" AS "vasculitis",
        "arthritis" AS "arthritis",
        "myositis" AS "myositis",
        "urinary_casts" AS "urinary_casts",
        "hematuria" AS "hematuria",
        "proteinuria" AS "proteinuria",
        "pyuria" AS "pyuria",
        "rash" AS "rash",
        "alopecia" AS "alopecia",
        "mucosal_ulcers" AS "mucosal_ulcers",
        "pleurisy" AS "pleurisy",
        "pericarditis" AS "pericarditis",
        "low_complement" AS "low_complement",
        "increased_dna_binding" AS "increased_dna_binding",
        "fever" AS "fever",
        "thrombocytopenia" AS "thrombocytopenia",
        "leukopenia" AS "leukopenia"
      FROM "sle__sledai_2k_form"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCR')
    ) AS "record"
    WHERE
      "record"."subject_id" IN (
        SELECT
          "subject_id"
        FROM "sle__sledai_2k_form_repeated"
      )
    GROUP BY
      "record"."subject_id"
  ) AS "sle__sledai_2k_form_by_visit"
), "screening_assessments_repeated" AS (
  SELECT
    "subject_id"
  FROM "screening_assessments"
  WHERE
    NOT "subject_id" IS NULL AND "visit" IN ('SCR')
  GROUP BY
    "subject_id"
  HAVING
    COUNT(*) > 1
), "screening_assessments_by_visit" AS (
  SELECT
    "record"."subject_id" AS "subject_id",
    "record"."any_medications" AS "any_medications__SCR",
    "record"."study_drug_allergy" AS "study_drug_allergy__SCR",
    "record"."active_severe_npsle" AS "active_severe_npsle__SCR",
    "record"."any_medical_history" AS "any_medical_history__SCR",
    "record"."diabetes" AS "diabetes__SCR",
    "record"."lactating" AS "lactating__SCR"
  FROM (
    SELECT
      "subject_id",
      "visit",
      "study_drug_allergy" AS "study_drug_allergy",
      "active_severe_npsle" AS "active_severe_npsle",
      "diabetes" AS "diabetes",
      "lactating" AS "lactating",
      "any_medical_history" AS "any_medical_history",
      "any_medications" AS "any_medications"
    FROM "screening_assessments"
    WHERE
      NOT "subject_id" IS NULL AND "visit" IN ('SCR')
  ) AS "record"
  WHERE
    NOT "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "screening_assessments_repeated"
    )
  UNION ALL
  SELECT
    "record"."subject_id" AS "subject_id",
    CASE
      WHEN BOOL_AND(CAST("record"."any_medications" AS BOOLEAN)) = BOOL_OR(CAST("record"."any_medications" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."any_medications" AS BOOLEAN))
    END AS "any_medications__SCR",
    CASE
      WHEN BOOL_AND(CAST("record"."study_drug_allergy" AS BOOLEAN)) = BOOL_OR(CAST("record"."study_drug_allergy" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."study_drug_allergy" AS BOOLEAN))
    END AS "study_drug_allergy__SCR",
    CASE
      WHEN BOOL_AND(CAST("record"."active_severe_npsle" AS BOOLEAN)) = BOOL_OR(CAST("record"."active_severe_npsle" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."active_severe_npsle" AS BOOLEAN))
    END AS "active_severe_npsle__SCR",
    CASE
      WHEN BOOL_AND(CAST("record"."any_medical_history" AS BOOLEAN)) = BOOL_OR(CAST("record"."any_medical_history" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."any_medical_history" AS BOOLEAN))
    END AS "any_medical_history__SCR",
    CASE
      WHEN BOOL_AND(CAST("record"."diabetes" AS BOOLEAN)) = BOOL_OR(CAST("record"."diabetes" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."diabetes" AS BOOLEAN))
    END AS "diabetes__SCR",
    CASE
      WHEN BOOL_AND(CAST("record"."lactating" AS BOOLEAN)) = BOOL_OR(CAST("record"."lactating" AS BOOLEAN))
      THEN BOOL_OR(CAST("record"."lactating" AS BOOLEAN))
    END AS "lactating__SCR"
  FROM (
    SELECT
      "subject_id",
      "visit",
      "study_drug_allergy" AS "study_drug_allergy",
      "active_severe_npsle" AS "active_severe_npsle",
      "diabetes" AS "diabetes",
      "lactating" AS "lactating",
      "any_medical_history" AS "any_medical_history",
      "any_medications" AS "any_medications"
    FROM "screening_assessments"
    WHERE
      NOT "subject_id" IS NULL AND "visit" IN ('SCR')
  ) AS "record"
  WHERE
    "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "screening_assessments_repeated"
    )
  GROUP BY
    "record"."subject_id"
), "vital_signs_repeated" AS (
  SELECT
    "subject_id"
  FROM "vital_signs"
  WHERE
    NOT "subject_id" IS NULL AND "visit" IN ('SCR')
  GROUP BY
    "subject_id"
  HAVING
    COUNT(*) > 1
), "vital_signs_by_visit" AS (
  SELECT
    "record"."subject_id" AS "subject_id",
    "record"."systolic_bp" AS "systolic_bp__SCR",
    "record"."diastolic_bp" AS "diastolic_bp__SCR"
  FROM (
    SELECT
      "subject_id",
      "visit",
      CASE WHEN "systolic_bp" >= 50 AND "systolic_bp" <= 250 THEN "systolic_bp" END AS "systolic_bp",
      CASE WHEN "diastolic_bp" >= 30 AND "diastolic_bp" <= 150 THEN "diastolic_bp" END AS "diastolic_bp"
    FROM (
      SELECT
        "subject_id",
        "visit",
        CASE
          WHEN "systolic_bp__unit" IS NULL OR "systolic_bp__unit" IN ('', 'mm[Hg]')
          THEN "systolic_bp"
          WHEN "systolic_bp__unit" = 'kPa'
          THEN ROUND(CAST((
            "systolic_bp" * 500000
          ) / 66661 AS DOUBLE), 9)
          WHEN "systolic_bp__unit" = 'cm[H2O]'
          THEN ROUND(CAST((
            "systolic_bp" * 28019
          ) / 38092 AS DOUBLE), 10)
        END AS "systolic_bp",
        CASE
          WHEN "diastolic_bp__unit" IS NULL OR "diastolic_bp__unit" IN ('', 'mm[Hg]')
          THEN "diastolic_bp"
          WHEN "diastolic_bp__unit" = 'kPa'
          THEN ROUND(CAST((
            "diastolic_bp" * 500000
          ) / 66661 AS DOUBLE), 9)
          WHEN "diastolic_bp__unit" = 'cm[H2O]'
          THEN ROUND(CAST((
            "diastolic_bp" * 28019
          ) / 38092 AS DOUBLE), 10)
        END AS "diastolic_bp"
      FROM "vital_signs"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCR')
    ) AS "vital_signs_converted"
  ) AS "record"
  WHERE
    NOT "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "vital_signs_repeated"
    )
  UNION ALL
  SELECT
    "record"."subject_id" AS "subject_id",
    CASE
      WHEN MIN("record"."systolic_bp") = MAX("record"."systolic_bp")
      THEN MAX("record"."systolic_bp")
    END AS "systolic_bp__SCR",
    CASE
      WHEN MIN("record"."diastolic_bp") = MAX("record"."diastolic_bp")
      THEN MAX("record"."diastolic_bp")
    END AS "diastolic_bp__SCR"
  FROM (
    SELECT
      "subject_id",
      "visit",
      CASE WHEN "systolic_bp" >= 50 AND "systolic_bp" <= 250 THEN "systolic_bp" END AS "systolic_bp",
      CASE WHEN "diastolic_bp" >= 30 AND "diastolic_bp" <= 150 THEN "diastolic_bp" END AS "diastolic_bp"
    FROM (
      SELECT
        "subject_id",
        "visit",
        CASE
          WHEN "systolic_bp__unit" IS NULL OR "systolic_bp__unit" IN ('', 'mm[Hg]')
          THEN "systolic_bp"
          WHEN "systolic_bp__unit" = 'kPa'
          THEN ROUND(CAST((
            "systolic_bp" * 500000
          ) / 66661 AS DOUBLE), 9)
          WHEN "systolic_bp__unit" = 'cm[H2O]'
          THEN ROUND(CAST((
            "systolic_bp" * 28019
          ) / 38092 AS DOUBLE), 10)
        END AS "systolic_bp",
        CASE
          WHEN "diastolic_bp__unit" IS NULL OR "diastolic_bp__unit" IN ('', 'mm[Hg]')
          THEN "diastolic_bp"
          WHEN "diastolic_bp__unit" = 'kPa'
          THEN ROUND(CAST((
            "diastolic_bp" * 500000
          ) / 66661 AS DOUBLE), 9)
          WHEN "diastolic_bp__unit" = 'cm[H2O]'
          THEN ROUND(CAST((
            "diastolic_bp" * 28019
          ) / 38092 AS DOUBLE), 10)
        END AS "diastolic_bp"
      FROM "vital_signs"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCR')
    ) AS "vital_signs_converted_2"
  ) AS "record"
  WHERE
    "record"."subject_id" IN (
      SELECT
        "subject_id"
      FROM "vital_signs_repeated"
    )
  GROUP BY
    "record"."subject_id"
), "screening_labs_repeated" AS (
  SELECT
    "subject_id"
  FROM "screening_labs"
  WHERE
    NOT "subject_id" IS NULL AND "visit" IN ('SCR')
  GROUP BY
    "subject_id"
  HAVING
    COUNT(*) > 1
), "screening_labs_by_visit" AS (
  SELECT
    "record"."subject_id" AS "subject_id",
    "record"."hba1c" AS "hba1c__SCR",
    "record"."proteinuria" AS "proteinuria__SCR",
    "record"."egfr" AS "egfr__SCR",
    "record"."pregnancy_test" AS "pregnancy_test__SCR"
  FROM (
    SELECT
      "subject_id",
      "visit",
      CASE WHEN "hba1c" >= 3 AND "hba1c" <= 20 THEN "hba1c" END AS "hba1c",
      CASE WHEN "proteinuria" >= 0 AND "proteinuria" <= 30 THEN "proteinuria" END AS "proteinuria",
      CASE WHEN "egfr" >= 0 AND "egfr" <= 200 THEN "egfr" END AS "egfr",
      CASE WHEN "pregnancy_test" IN ('positive', 'negative') THEN "pregnancy_test" END AS "pregnancy_test"
    FROM (
      SELECT
        "subject_id",
        "visit",
        CASE
          WHEN "hba1c__unit" IS NULL OR "hba1c__unit" IN ('', '%')
          THEN "hba1c"
          WHEN "hba1c__unit" = '1'
          THEN ROUND(CAST("hba1c" * 100 AS DOUBLE), 9)
          WHEN "hba1c__unit" = '10*-2'
          THEN "hba1c"
          WHEN "hba1c__unit" = 'mmol/mol'
          THEN ROUND(CAST((
            (
              "hba1c" * 2287
            ) / 25000
          ) + 2.152 AS DOUBLE), 11)
          WHEN "hba1c__unit" = 'umol/mol'
          THEN ROUND(CAST((
            (
              "hba1c" * 2287
            ) / 25000000
          ) + 2.152 AS DOUBLE), 14)
        END AS "hba1c",
        CASE
          WHEN "proteinuria__unit" IS NULL OR "proteinuria__unit" IN ('', 'g/d')
          THEN "proteinuria"
          WHEN "proteinuria__unit" = 'mg/d'
          THEN ROUND(CAST("proteinuria" / 1000 AS DOUBLE), 12)
          WHEN "proteinuria__unit" = 'ug/d'
          THEN ROUND(CAST("proteinuria" / 1000000 AS DOUBLE), 15)
          WHEN "proteinuria__unit" = 'mg/h'
          THEN ROUND(CAST((
            "proteinuria" * 3
          ) / 125 AS DOUBLE), 11)
          WHEN "proteinuria__unit" = 'ug/h'
          THEN ROUND(CAST((
            "proteinuria" * 3
          ) / 125000 AS DOUBLE), 14)
          WHEN "proteinuria__unit" = 'mg/wk'
          THEN ROUND(CAST("proteinuria" / 7000 AS DOUBLE), 13)
          WHEN "proteinuria__unit" = 'g/(24.h)'
          THEN "proteinuria"
          WHEN "proteinuria__unit" = 'mg/(24.h)'
          THEN ROUND(CAST("proteinuria" / 1000 AS DOUBLE), 12)
        END AS "proteinuria",
        CASE
          WHEN "egfr__unit" IS NULL OR "egfr__unit" IN ('', 'mL/min/{1.73_m2}')
          THEN "egfr"
        END AS "egfr",
        "pregnancy_test" AS "pregnancy_test"
      FROM "screening_labs"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCR')
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
      WHEN MIN("record"."hba1c") = MAX("record"."hba1c")
      THEN MAX("record"."hba1c")
    END AS "hba1c__SCR",
    CASE
      WHEN MIN("record"."proteinuria") = MAX("record"."proteinuria")
      THEN MAX("record"."proteinuria")
    END AS "proteinuria__SCR",
    CASE WHEN MIN("record"."egfr") = MAX("record"."egfr") THEN MAX("record"."egfr") END AS "egfr__SCR",
    CASE
      WHEN MIN("record"."pregnancy_test") = MAX("record"."pregnancy_test")
      THEN MAX("record"."pregnancy_test")
    END AS "pregnancy_test__SCR"
  FROM (
    SELECT
      "subject_id",
      "visit",
      CASE WHEN "hba1c" >= 3 AND "hba1c" <= 20 THEN "hba1c" END AS "hba1c",
      CASE WHEN "proteinuria" >= 0 AND "proteinuria" <= 30 THEN "proteinuria" END AS "proteinuria",
      CASE WHEN "egfr" >= 0 AND "egfr" <= 200 THEN "egfr" END AS "egfr",
      CASE WHEN "pregnancy_test" IN ('positive', 'negative') THEN "pregnancy_test" END AS "pregnancy_test"
    FROM (
      SELECT
        "subject_id",
        "visit",
        CASE
          WHEN "hba1c__unit" IS NULL OR "hba1c__unit" IN ('', '%')
          THEN "hba1c"
          WHEN "hba1c__unit" = '1'
          THEN ROUND(CAST("hba1c" * 100 AS DOUBLE), 9)
          WHEN "hba1c__unit" = '10*-2'
          THEN "hba1c"
          WHEN "hba1c__unit" = 'mmol/mol'
          THEN ROUND(CAST((
            (
              "hba1c" * 2287
            ) / 25000
          ) + 2.152 AS DOUBLE), 11)
          WHEN "hba1c__unit" = 'umol/mol'
          THEN ROUND(CAST((
            (
              "hba1c" * 2287
            ) / 25000000
          ) + 2.152 AS DOUBLE), 14)
        END AS "hba1c",
        CASE
          WHEN "proteinuria__unit" IS NULL OR "proteinuria__unit" IN ('', 'g/d')
          THEN "proteinuria"
          WHEN "proteinuria__unit" = 'mg/d'
          THEN ROUND(CAST("proteinuria" / 1000 AS DOUBLE), 12)
          WHEN "proteinuria__unit" = 'ug/d'
          THEN ROUND(CAST("proteinuria" / 1000000 AS DOUBLE), 15)
          WHEN "proteinuria__unit" = 'mg/h'
          THEN ROUND(CAST((
            "proteinuria" * 3
          ) / 125 AS DOUBLE), 11)
          WHEN "proteinuria__unit" = 'ug/h'
          THEN ROUND(CAST((
            "proteinuria" * 3
          ) / 125000 AS DOUBLE), 14)
          WHEN "proteinuria__unit" = 'mg/wk'
          THEN ROUND(CAST("proteinuria" / 7000 AS DOUBLE), 13)
          WHEN "proteinuria__unit" = 'g/(24.h)'
          THEN "proteinuria"
          WHEN "proteinuria__unit" = 'mg/(24.h)'
          THEN ROUND(CAST("proteinuria" / 1000 AS DOUBLE), 12)
        END AS "proteinuria",
        CASE
          WHEN "egfr__unit" IS NULL OR "egfr__unit" IN ('', 'mL/min/{1.73_m2}')
          THEN "egfr"
        END AS "egfr",
        "pregnancy_test" AS "pregnancy_test"
      FROM "screening_labs"
      WHERE
        NOT "subject_id" IS NULL AND "visit" IN ('SCR')
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
      WHEN MIN(CASE WHEN "visit" = 'SCR' THEN "date" END) = MAX(CASE WHEN "visit" = 'SCR' THEN "date" END)
      THEN MAX(CASE WHEN "visit" = 'SCR' THEN "date" END)
    END AS "date_SCR",
    CASE
      WHEN MIN(CASE WHEN "visit" = 'D1' THEN "date" END) = MAX(CASE WHEN "visit" = 'D1' THEN "date" END)
      THEN MAX(CASE WHEN "visit" = 'D1' THEN "date" END)
    END AS "date_D1"
  FROM "visits"
  WHERE
    NOT "subject_id" IS NULL
  GROUP BY
    "subject_id"
), "attested" AS (
  SELECT
    "subject_id",
    CASE
      WHEN BOOL_AND(CAST(CASE WHEN "criterion" = 'I6' THEN "attested" END AS BOOLEAN)) = BOOL_OR(CAST(CASE WHEN "criterion" = 'I6' THEN "attested" END AS BOOLEAN))
      THEN BOOL_OR(CAST(CASE WHEN "criterion" = 'I6' THEN "attested" END AS BOOLEAN))
    END AS "I6"
  FROM "attestations"
  WHERE
    NOT "subject_id" IS NULL
  GROUP BY
    "subject_id"
), "medications_records" AS (
  SELECT
    "subject_id",
    MAX(CASE WHEN "condition_1" THEN 2 WHEN NOT "condition_1" THEN 0 ELSE 1 END) AS "any_1",
    MAX(CASE WHEN "condition_2" THEN 2 WHEN NOT "condition_2" THEN 0 ELSE 1 END) AS "any_2",
    MAX(CASE WHEN "condition_3" THEN 2 WHEN NOT "condition_3" THEN 0 ELSE 1 END) AS "any_3",
    CAST(SUM(
      TRY_CAST(CASE
        WHEN "condition_3"
        THEN COALESCE("value_4", 0)
        WHEN NOT "condition_3"
        THEN 0
        ELSE CASE WHEN COALESCE("value_4", 0) < 0 THEN COALESCE("value_4", 0) ELSE 0 END
      END AS DECIMAL(38, 12))
    ) AS DOUBLE) AS "total_4_lo",
    CAST(SUM(
      TRY_CAST(CASE
        WHEN "condition_3"
        THEN COALESCE("value_4", 13333.333333333334)
        WHEN NOT "condition_3"
        THEN 0
        ELSE CASE
          WHEN COALESCE("value_4", 13333.333333333334) > 0
          THEN COALESCE("value_4", 13333.333333333334)
          ELSE 0
        END
      END AS DECIMAL(38, 12))
    ) AS DOUBLE) AS "total_4_hi",
    MIN(CASE WHEN "condition_5" THEN 2 WHEN NOT "condition_5" THEN 0 ELSE 1 END) AS "all_6",
    MIN(CASE WHEN "condition_6" THEN 2 WHEN NOT "condition_6" THEN 0 ELSE 1 END) AS "all_7",
    SUM(CASE WHEN "condition_7" THEN 1 ELSE 0 END) AS "count_8_lo",
    SUM(CASE WHEN NOT "condition_7" THEN 0 ELSE 1 END) AS "count_8_hi",
    MIN(CASE WHEN "condition_8" THEN 2 WHEN NOT "condition_8" THEN 0 ELSE 1 END) AS "all_10",
    MAX(CASE WHEN "condition_9" THEN 2 WHEN NOT "condition_9" THEN 0 ELSE 1 END) AS "any_11"
  FROM (
    SELECT
      "record"."subject_id" AS "subject_id",
      TRUE AS "condition_1",
      "record"."ongoing"
      AND "record"."class" IN ('oral_corticosteroid', 'antimalarial', 'immunosuppressant') AS "condition_2",
      "record"."class" = 'oral_corticosteroid' AND "record"."ongoing" AS "condition_3",
      "record"."daily_dose" * CASE
        WHEN "record"."glucocorticoid" = 'prednisone'
        THEN 1
        WHEN "record"."glucocorticoid" = 'prednisolone'
        THEN 1
        WHEN "record"."glucocorticoid" = 'methylprednisolone'
        THEN 1.25
        WHEN "record"."glucocorticoid" = 'triamcinolone'
        THEN 1.25
        WHEN "record"."glucocorticoid" = 'hydrocortisone'
        THEN 0.25
        WHEN "record"."glucocorticoid" = 'cortisone'
        THEN 0.2
        WHEN "record"."glucocorticoid" = 'dexamethasone'
        THEN 20 / 3
        WHEN "record"."glucocorticoid" = 'betamethasone'
        THEN 20 / 3
        WHEN "record"."glucocorticoid" = 'deflazacort'
        THEN 5 / 6
      END AS "value_4",
      NOT (
        "record"."class" = 'oral_corticosteroid' AND "record"."ongoing"
      )
      OR "record"."dose_start" <= CAST("visit_dates"."date_D1" + INTERVAL (-28) DAY AS DATE) AS "condition_5",
      NOT (
        "record"."class" = 'antimalarial' AND "record"."ongoing"
      )
      OR "record"."dose_start" <= CAST("visit_dates"."date_D1" + INTERVAL (-28) DAY AS DATE) AS "condition_6",
      "record"."class" = 'immunosuppressant' AND "record"."ongoing" AS "condition_7",
      NOT (
        "record"."class" = 'immunosuppressant' AND "record"."ongoing"
      )
      OR "record"."dose_start" <= CAST("visit_dates"."date_D1" + INTERVAL (-28) DAY AS DATE) AS "condition_8",
      "record"."class" = 'cell_or_gene_therapy' AS "condition_9"
    FROM (
      SELECT
        "subject_id",
        CASE
          WHEN "class" IN (
            'oral_corticosteroid',
            'antimalarial',
            'immunosuppressant',
            'biologic',
            'cell_or_gene_therapy',
            'other'
          )
          THEN "class"
        END AS "class",
        CASE
          WHEN "glucocorticoid" IN (
            'prednisone',
            'prednisolone',
            'methylprednisolone',
            'triamcinolone',
            'hydrocortisone',
            'cortisone',
            'dexamethasone',
            'betamethasone',
            'deflazacort'
          )
          THEN "glucocorticoid"
        END AS "glucocorticoid",
        CASE WHEN "daily_dose" >= 0 AND "daily_dose" <= 2000 THEN "daily_dose" END AS "daily_dose",
        "ongoing" AS "ongoing",
        "dose_start" AS "dose_start"
      FROM (
        SELECT
          "subject_id",
          "class" AS "class",
          "glucocorticoid" AS "glucocorticoid",
          CASE
            WHEN "daily_dose__unit" IS NULL OR "daily_dose__unit" IN ('', 'mg/d')
            THEN "daily_dose"
            WHEN "daily_dose__unit" = 'g/d'
            THEN ROUND(CAST("daily_dose" * 1000 AS DOUBLE), 9)
            WHEN "daily_dose__unit" = 'ug/d'
            THEN ROUND(CAST("daily_dose" / 1000 AS DOUBLE), 12)
            WHEN "daily_dose__unit" = 'mg/h'
            THEN ROUND(CAST("daily_dose" * 24 AS DOUBLE), 9)
            WHEN "daily_dose__unit" = 'ug/h'
            THEN ROUND(CAST((
              "daily_dose" * 3
            ) / 125 AS DOUBLE), 11)
            WHEN "daily_dose__unit" = 'mg/wk'
            THEN ROUND(CAST("daily_dose" / 7 AS DOUBLE), 10)
            WHEN "daily_dose__unit" = 'g/(24.h)'
            THEN ROUND(CAST("daily_dose" * 1000 AS DOUBLE), 9)
            WHEN "daily_dose__unit" = 'mg/(24.h)'
            THEN "daily_dose"
          END AS "daily_dose",
          "ongoing" AS "ongoing",
          "dose_start" AS "dose_start"
        FROM "medications"
        WHERE
          NOT "subject_id" IS NULL
      ) AS "medications_converted"
    ) AS "record"
    LEFT JOIN "visit_dates"
      ON "visit_dates"."subject_id" = "record"."subject_id"
  ) AS "medications_each"
  GROUP BY
    "subject_id"
), "medical_history_records" AS (
  SELECT
    "subject_id",
    MAX(CASE WHEN "condition_1" THEN 2 WHEN NOT "condition_1" THEN 0 ELSE 1 END) AS "any_1",
    MAX(CASE WHEN "condition_2" THEN 2 WHEN NOT "condition_2" THEN 0 ELSE 1 END) AS "any_2",
    MAX(CASE WHEN "condition_3" THEN 2 WHEN NOT "condition_3" THEN 0 ELSE 1 END) AS "any_3",
    MAX(CASE WHEN "condition_4" THEN 2 WHEN NOT "condition_4" THEN 0 ELSE 1 END) AS "any_4",
    MAX(CASE WHEN "condition_5" THEN 2 WHEN NOT "condition_5" THEN 0 ELSE 1 END) AS "any_5"
  FROM (
    SELECT
      "record"."subject_id" AS "subject_id",
      TRUE AS "condition_1",
      "record"."category" = 'autoimmune_disease'
      AND "record"."affects_efficacy_assessment" AS "condition_2",
      "record"."category" = 'malignancy'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_SCR" + INTERVAL (-60) MONTH AS DATE)
          AND "record"."onset" <= "visit_dates"."date_SCR"
        )
        OR "record"."ongoing"
      ) AS "condition_3",
      "record"."category" = 'organ_transplant' AS "condition_4",
      "record"."category" = 'opportunistic_infection'
      AND (
        (
          "record"."onset" >= CAST("visit_dates"."date_D1" + INTERVAL (-84) DAY AS DATE)
          AND "record"."onset" <= "visit_dates"."date_D1"
        )
        OR "record"."ongoing"
      ) AS "condition_5"
    FROM (
      SELECT
        "subject_id",
        CASE
          WHEN "category" IN (
            'opportunistic_infection',
            'malignancy',
            'organ_transplant',
            'autoimmune_disease',
            'other'
          )
          THEN "category"
        END AS "category",
        "onset" AS "onset",
        "ongoing" AS "ongoing",
        "affects_efficacy_assessment" AS "affects_efficacy_assessment"
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
  "I1",
  "I2",
  "I3",
  "I4",
  "I5",
  "I6",
  "E1",
  "E2",
  "E3",
  "E4",
  "E5",
  "E6",
  "E7",
  "E8",
  "E9",
  "E10",
  CASE
    WHEN COALESCE("I1", 1) * COALESCE("I2", 1) * COALESCE("I3", 1) * COALESCE("I4", 1) * COALESCE("I5", 1) * COALESCE("I6", 1) * COALESCE((
      1 - "E1"
    ), 1) * COALESCE((
      1 - "E2"
    ), 1) * COALESCE((
      1 - "E3"
    ), 1) * COALESCE((
      1 - "E4"
    ), 1) * COALESCE((
      1 - "E5"
    ), 1) * COALESCE((
      1 - "E6"
    ), 1) * COALESCE((
      1 - "E7"
    ), 1) * COALESCE((
      1 - "E8"
    ), 1) * COALESCE((
      1 - "E9"
    ), 1) * COALESCE((
      1 - "E10"
    ), 1) = 0
    THEN 'ineligible'
    WHEN COALESCE("I1", 0) + COALESCE("I2", 0) + COALESCE("I3", 0) + COALESCE("I4", 0) + COALESCE("I5", 0) + COALESCE("I6", 0) + COALESCE((
      1 - "E1"
    ), 0) + COALESCE((
      1 - "E2"
    ), 0) + COALESCE((
      1 - "E3"
    ), 0) + COALESCE((
      1 - "E4"
    ), 0) + COALESCE((
      1 - "E5"
    ), 0) + COALESCE((
      1 - "E6"
    ), 0) + COALESCE((
      1 - "E7"
    ), 0) + COALESCE((
      1 - "E8"
    ), 0) + COALESCE((
      1 - "E9"
    ), 0) + COALESCE((
      1 - "E10"
    ), 0) = 16
    THEN 'eligible'
    ELSE 'indeterminate'
  END AS "status"
FROM (
  SELECT
    "subject_id",
    CAST(CAST("I1" AS INT) AS SMALLINT) AS "I1",
    CAST(CAST("I2" AS INT) AS SMALLINT) AS "I2",
    CAST(CAST("I3" AS INT) AS SMALLINT) AS "I3",
    CAST(CAST("I4" AS INT) AS SMALLINT) AS "I4",
    CAST(CAST("I5" AS INT) AS SMALLINT) AS "I5",
    CAST(CAST("I6" AS INT) AS SMALLINT) AS "I6",
    CAST(CAST("E1" AS INT) AS SMALLINT) AS "E1",
    CAST(CAST("E2" AS INT) AS SMALLINT) AS "E2",
    CAST(CAST("E3" AS INT) AS SMALLINT) AS "E3",
    CAST(CAST("E4" AS INT) AS SMALLINT) AS "E4",
    CAST(CAST("E5" AS INT) AS SMALLINT) AS "E5",
    CAST(CAST("E6" AS INT) AS SMALLINT) AS "E6",
    CAST(CAST("E7" AS INT) AS SMALLINT) AS "E7",
    CAST(CAST("E8" AS INT) AS SMALLINT) AS "E8",
    CAST(CAST("E9" AS INT) AS SMALLINT) AS "E9",
    CAST(CAST("E10" AS INT) AS SMALLINT) AS "E10"
  FROM (
    SELECT
      "subject_list"."subject_id" AS "subject_id",
      CASE
        WHEN "visit_dates"."date_SCR" >= "demographics_by_visit"."birth_date__SCR"
        THEN YEAR("visit_dates"."date_SCR") - YEAR("demographics_by_visit"."birth_date__SCR") - CASE
          WHEN MONTH("visit_dates"."date_SCR") < MONTH("demographics_by_visit"."birth_date__SCR")
          OR (
            MONTH("visit_dates"."date_SCR") = MONTH("demographics_by_visit"."birth_date__SCR")
            AND (
              DAY("demographics_by_visit"."birth_date__SCR") > DAY("visit_dates"."date_SCR")
              AND DAY(CAST("visit_dates"."date_SCR" + INTERVAL 1 DAY AS DATE)) <> 1
            )
          )
          THEN 1
          ELSE 0
        END
        ELSE -(
          YEAR("demographics_by_visit"."birth_date__SCR") - YEAR("visit_dates"."date_SCR") - CASE
            WHEN MONTH("demographics_by_visit"."birth_date__SCR") < MONTH("visit_dates"."date_SCR")
            OR (
              MONTH("demographics_by_visit"."birth_date__SCR") = MONTH("visit_dates"."date_SCR")
              AND (
                DAY("visit_dates"."date_SCR") > DAY("demographics_by_visit"."birth_date__SCR")
                AND DAY(CAST("demographics_by_visit"."birth_date__SCR" + INTERVAL 1 DAY AS DATE)) <> 1
              )
            )
            THEN 1
            ELSE 0
          END
        )
      END >= 18
      AND CASE
        WHEN "visit_dates"."date_SCR" >= "demographics_by_visit"."birth_date__SCR"
        THEN YEAR("visit_dates"."date_SCR") - YEAR("demographics_by_visit"."birth_date__SCR") - CASE
          WHEN MONTH("visit_dates"."date_SCR") < MONTH("demographics_by_visit"."birth_date__SCR")
          OR (
            MONTH("visit_dates"."date_SCR") = MONTH("demographics_by_visit"."birth_date__SCR")
            AND (
              DAY("demographics_by_visit"."birth_date__SCR") > DAY("visit_dates"."date_SCR")
              AND DAY(CAST("visit_dates"."date_SCR" + INTERVAL 1 DAY AS DATE)) <> 1
            )
          )
          THEN 1
          ELSE 0
        END
        ELSE -(
          YEAR("demographics_by_visit"."birth_date__SCR") - YEAR("visit_dates"."date_SCR") - CASE
            WHEN MONTH("demographics_by_visit"."birth_date__SCR") < MONTH("visit_dates"."date_SCR")
            OR (
              MONTH("demographics_by_visit"."birth_date__SCR") = MONTH("visit_dates"."date_SCR")
              AND (
                DAY("visit_dates"."date_SCR") > DAY("demographics_by_visit"."birth_date__SCR")
                AND DAY(CAST("demographics_by_visit"."birth_date__SCR" + INTERVAL 1 DAY AS DATE)) <> 1
              )
            )
            THEN 1
            ELSE 0
          END
        )
      END <= 70 AS "I1",
      "sle__eular_acr_2019_form_by_visit"."ana_titer__SCR" >= 80
      AND CASE
        WHEN CASE
          WHEN "sle__eular_acr_2019_form_by_visit"."subject_id" IS NULL
          THEN CASE WHEN "sle__eular_acr_2019_form_by_visit"."fever__SCR" THEN 2 ELSE 0 END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."thrombocytopenia__SCR"
            THEN 4
            WHEN "sle__eular_acr_2019_form_by_visit"."autoimmune_hemolysis__SCR"
            THEN 4
            WHEN "sle__eular_acr_2019_form_by_visit"."leukopenia__SCR"
            THEN 3
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."seizure__SCR"
            THEN 5
            WHEN "sle__eular_acr_2019_form_by_visit"."psychosis__SCR"
            THEN 3
            WHEN "sle__eular_acr_2019_form_by_visit"."delirium__SCR"
            THEN 2
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."acute_cutaneous__SCR"
            THEN 6
            WHEN "sle__eular_acr_2019_form_by_visit"."subacute_or_discoid__SCR"
            THEN 4
            WHEN "sle__eular_acr_2019_form_by_visit"."non_scarring_alopecia__SCR"
            THEN 2
            WHEN "sle__eular_acr_2019_form_by_visit"."oral_ulcers__SCR"
            THEN 2
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."acute_pericarditis__SCR"
            THEN 6
            WHEN "sle__eular_acr_2019_form_by_visit"."effusion__SCR"
            THEN 5
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."joint_involvement__SCR"
            THEN 6
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."nephritis_class_3_or_4__SCR"
            THEN 10
            WHEN "sle__eular_acr_2019_form_by_visit"."nephritis_class_2_or_5__SCR"
            THEN 8
            WHEN "sle__eular_acr_2019_form_by_visit"."proteinuria__SCR"
            THEN 4
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."antiphospholipid__SCR"
            THEN 2
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."low_c3__SCR"
            AND "sle__eular_acr_2019_form_by_visit"."low_c4__SCR"
            THEN 4
            WHEN "sle__eular_acr_2019_form_by_visit"."low_c3__SCR"
            OR "sle__eular_acr_2019_form_by_visit"."low_c4__SCR"
            THEN 3
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."anti_dsdna_or_sm__SCR"
            THEN 6
            ELSE 0
          END
          ELSE "sle__eular_acr_2019_form_by_visit"."eular_acr_2019_SCR_lo"
        END >= 10
        THEN TRUE
        WHEN CASE
          WHEN "sle__eular_acr_2019_form_by_visit"."subject_id" IS NULL
          THEN CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."fever__SCR", TRUE)
            THEN 2
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."thrombocytopenia__SCR", TRUE)
            THEN 4
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."autoimmune_hemolysis__SCR", TRUE)
            THEN 4
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."leukopenia__SCR", TRUE)
            THEN 3
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."seizure__SCR", TRUE)
            THEN 5
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."psychosis__SCR", TRUE)
            THEN 3
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."delirium__SCR", TRUE)
            THEN 2
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."acute_cutaneous__SCR", TRUE)
            THEN 6
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."subacute_or_discoid__SCR", TRUE)
            THEN 4
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."non_scarring_alopecia__SCR", TRUE)
            THEN 2
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."oral_ulcers__SCR", TRUE)
            THEN 2
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."acute_pericarditis__SCR", TRUE)
            THEN 6
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."effusion__SCR", TRUE)
            THEN 5
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."joint_involvement__SCR", TRUE)
            THEN 6
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."nephritis_class_3_or_4__SCR", TRUE)
            THEN 10
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."nephritis_class_2_or_5__SCR", TRUE)
            THEN 8
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."proteinuria__SCR", TRUE)
            THEN 4
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."antiphospholipid__SCR", TRUE)
            THEN 2
            ELSE 0
          END + CASE
            WHEN COALESCE(
              "sle__eular_acr_2019_form_by_visit"."low_c3__SCR"
              AND "sle__eular_acr_2019_form_by_visit"."low_c4__SCR",
              TRUE
            )
            THEN 4
            WHEN COALESCE(
              "sle__eular_acr_2019_form_by_visit"."low_c3__SCR"
              OR "sle__eular_acr_2019_form_by_visit"."low_c4__SCR",
              TRUE
            )
            THEN 3
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."anti_dsdna_or_sm__SCR", TRUE)
            THEN 6
            ELSE 0
          END
          ELSE "sle__eular_acr_2019_form_by_visit"."eular_acr_2019_SCR_hi"
        END < 10
        THEN FALSE
      END
      AND CASE
        WHEN CASE
          WHEN "sle__eular_acr_2019_form_by_visit"."subject_id" IS NULL
          THEN CASE WHEN "sle__eular_acr_2019_form_by_visit"."fever__SCR" THEN 2 ELSE 0 END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."thrombocytopenia__SCR"
            THEN 4
            WHEN "sle__eular_acr_2019_form_by_visit"."autoimmune_hemolysis__SCR"
            THEN 4
            WHEN "sle__eular_acr_2019_form_by_visit"."leukopenia__SCR"
            THEN 3
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."seizure__SCR"
            THEN 5
            WHEN "sle__eular_acr_2019_form_by_visit"."psychosis__SCR"
            THEN 3
            WHEN "sle__eular_acr_2019_form_by_visit"."delirium__SCR"
            THEN 2
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."acute_cutaneous__SCR"
            THEN 6
            WHEN "sle__eular_acr_2019_form_by_visit"."subacute_or_discoid__SCR"
            THEN 4
            WHEN "sle__eular_acr_2019_form_by_visit"."non_scarring_alopecia__SCR"
            THEN 2
            WHEN "sle__eular_acr_2019_form_by_visit"."oral_ulcers__SCR"
            THEN 2
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."acute_pericarditis__SCR"
            THEN 6
            WHEN "sle__eular_acr_2019_form_by_visit"."effusion__SCR"
            THEN 5
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."joint_involvement__SCR"
            THEN 6
            ELSE 0
          END + CASE
            WHEN "sle__eular_acr_2019_form_by_visit"."nephritis_class_3_or_4__SCR"
            THEN 10
            WHEN "sle__eular_acr_2019_form_by_visit"."nephritis_class_2_or_5__SCR"
            THEN 8
            WHEN "sle__eular_acr_2019_form_by_visit"."proteinuria__SCR"
            THEN 4
            ELSE 0
          END
          ELSE "sle__eular_acr_2019_form_by_visit"."eular_acr_2019_clinical_SCR_lo"
        END > 0
        THEN TRUE
        WHEN CASE
          WHEN "sle__eular_acr_2019_form_by_visit"."subject_id" IS NULL
          THEN CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."fever__SCR", TRUE)
            THEN 2
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."thrombocytopenia__SCR", TRUE)
            THEN 4
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."autoimmune_hemolysis__SCR", TRUE)
            THEN 4
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."leukopenia__SCR", TRUE)
            THEN 3
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."seizure__SCR", TRUE)
            THEN 5
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."psychosis__SCR", TRUE)
            THEN 3
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."delirium__SCR", TRUE)
            THEN 2
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."acute_cutaneous__SCR", TRUE)
            THEN 6
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."subacute_or_discoid__SCR", TRUE)
            THEN 4
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."non_scarring_alopecia__SCR", TRUE)
            THEN 2
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."oral_ulcers__SCR", TRUE)
            THEN 2
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."acute_pericarditis__SCR", TRUE)
            THEN 6
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."effusion__SCR", TRUE)
            THEN 5
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."joint_involvement__SCR", TRUE)
            THEN 6
            ELSE 0
          END + CASE
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."nephritis_class_3_or_4__SCR", TRUE)
            THEN 10
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."nephritis_class_2_or_5__SCR", TRUE)
            THEN 8
            WHEN COALESCE("sle__eular_acr_2019_form_by_visit"."proteinuria__SCR", TRUE)
            THEN 4
            ELSE 0
          END
          ELSE "sle__eular_acr_2019_form_by_visit"."eular_acr_2019_clinical_SCR_hi"
        END <= 0
        THEN FALSE
      END
      AND "sle__eular_acr_2019_form_by_visit"."diagnosis_date__SCR" <= CAST("visit_dates"."date_SCR" + INTERVAL (-84) DAY AS DATE) AS "I2",
      "serology_by_visit"."ana_titer__SCR" >= 80
      OR "serology_by_visit"."anti_dsdna__SCR" = 'positive'
      OR "serology_by_visit"."anti_sm__SCR" = 'positive' AS "I3",
      CASE
        WHEN CASE
          WHEN "sle__sledai_2k_form_by_visit"."subject_id" IS NULL
          THEN CASE WHEN "sle__sledai_2k_form_by_visit"."seizure__SCR" THEN 8 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."psychosis__SCR" THEN 8 ELSE 0 END + CASE
            WHEN "sle__sledai_2k_form_by_visit"."organic_brain_syndrome__SCR"
            THEN 8
            ELSE 0
          END + CASE WHEN "sle__sledai_2k_form_by_visit"."visual_disturbance__SCR" THEN 8 ELSE 0 END + CASE
            WHEN "sle__sledai_2k_form_by_visit"."cranial_nerve_disorder__SCR"
            THEN 8
            ELSE 0
          END + CASE WHEN "sle__sledai_2k_form_by_visit"."lupus_headache__SCR" THEN 8 ELSE 0 END + CASE
            WHEN "sle__sledai_2k_form_by_visit"."cerebrovascular_accident__SCR"
            THEN 8
            ELSE 0
          END + CASE WHEN "sle__sledai_2k_form_by_visit"."vasculitis__SCR" THEN 8 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."arthritis__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."myositis__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."urinary_casts__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."hematuria__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."proteinuria__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."pyuria__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."rash__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."alopecia__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."mucosal_ulcers__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."pleurisy__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."pericarditis__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."low_complement__SCR" THEN 2 ELSE 0 END + CASE
            WHEN "sle__sledai_2k_form_by_visit"."increased_dna_binding__SCR"
            THEN 2
            ELSE 0
          END + CASE WHEN "sle__sledai_2k_form_by_visit"."fever__SCR" THEN 1 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."thrombocytopenia__SCR" THEN 1 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."leukopenia__SCR" THEN 1 ELSE 0 END
          ELSE "sle__sledai_2k_form_by_visit"."sledai_2k_SCR_lo"
        END >= 8
        THEN TRUE
        WHEN CASE
          WHEN "sle__sledai_2k_form_by_visit"."subject_id" IS NULL
          THEN CASE WHEN NOT "sle__sledai_2k_form_by_visit"."seizure__SCR" THEN 0 ELSE 8 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."psychosis__SCR" THEN 0 ELSE 8 END + CASE
            WHEN NOT "sle__sledai_2k_form_by_visit"."organic_brain_syndrome__SCR"
            THEN 0
            ELSE 8
          END + CASE
            WHEN NOT "sle__sledai_2k_form_by_visit"."visual_disturbance__SCR"
            THEN 0
            ELSE 8
          END + CASE
            WHEN NOT "sle__sledai_2k_form_by_visit"."cranial_nerve_disorder__SCR"
            THEN 0
            ELSE 8
          END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."lupus_headache__SCR" THEN 0 ELSE 8 END + CASE
            WHEN NOT "sle__sledai_2k_form_by_visit"."cerebrovascular_accident__SCR"
            THEN 0
            ELSE 8
          END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."vasculitis__SCR" THEN 0 ELSE 8 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."arthritis__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."myositis__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."urinary_casts__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."hematuria__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."proteinuria__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."pyuria__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."rash__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."alopecia__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."mucosal_ulcers__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."pleurisy__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."pericarditis__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."low_complement__SCR" THEN 0 ELSE 2 END + CASE
            WHEN NOT "sle__sledai_2k_form_by_visit"."increased_dna_binding__SCR"
            THEN 0
            ELSE 2
          END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."fever__SCR" THEN 0 ELSE 1 END + CASE
            WHEN NOT "sle__sledai_2k_form_by_visit"."thrombocytopenia__SCR"
            THEN 0
            ELSE 1
          END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."leukopenia__SCR" THEN 0 ELSE 1 END
          ELSE "sle__sledai_2k_form_by_visit"."sledai_2k_SCR_hi"
        END < 8
        THEN FALSE
      END
      OR (
        CASE
          WHEN CASE
            WHEN "sle__sledai_2k_form_by_visit"."subject_id" IS NULL
            THEN CASE WHEN "sle__sledai_2k_form_by_visit"."seizure__SCR" THEN 8 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."psychosis__SCR" THEN 8 ELSE 0 END + CASE
              WHEN "sle__sledai_2k_form_by_visit"."organic_brain_syndrome__SCR"
              THEN 8
              ELSE 0
            END + CASE WHEN "sle__sledai_2k_form_by_visit"."visual_disturbance__SCR" THEN 8 ELSE 0 END + CASE
              WHEN "sle__sledai_2k_form_by_visit"."cranial_nerve_disorder__SCR"
              THEN 8
              ELSE 0
            END + CASE WHEN "sle__sledai_2k_form_by_visit"."lupus_headache__SCR" THEN 8 ELSE 0 END + CASE
              WHEN "sle__sledai_2k_form_by_visit"."cerebrovascular_accident__SCR"
              THEN 8
              ELSE 0
            END + CASE WHEN "sle__sledai_2k_form_by_visit"."vasculitis__SCR" THEN 8 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."arthritis__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."myositis__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."urinary_casts__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."hematuria__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."proteinuria__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."pyuria__SCR" THEN 4 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."rash__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."alopecia__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."mucosal_ulcers__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."pleurisy__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."pericarditis__SCR" THEN 2 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."low_complement__SCR" THEN 2 ELSE 0 END + CASE
              WHEN "sle__sledai_2k_form_by_visit"."increased_dna_binding__SCR"
              THEN 2
              ELSE 0
            END + CASE WHEN "sle__sledai_2k_form_by_visit"."fever__SCR" THEN 1 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."thrombocytopenia__SCR" THEN 1 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."leukopenia__SCR" THEN 1 ELSE 0 END
            ELSE "sle__sledai_2k_form_by_visit"."sledai_2k_SCR_lo"
          END >= 6
          THEN TRUE
          WHEN CASE
            WHEN "sle__sledai_2k_form_by_visit"."subject_id" IS NULL
            THEN CASE WHEN NOT "sle__sledai_2k_form_by_visit"."seizure__SCR" THEN 0 ELSE 8 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."psychosis__SCR" THEN 0 ELSE 8 END + CASE
              WHEN NOT "sle__sledai_2k_form_by_visit"."organic_brain_syndrome__SCR"
              THEN 0
              ELSE 8
            END + CASE
              WHEN NOT "sle__sledai_2k_form_by_visit"."visual_disturbance__SCR"
              THEN 0
              ELSE 8
            END + CASE
              WHEN NOT "sle__sledai_2k_form_by_visit"."cranial_nerve_disorder__SCR"
              THEN 0
              ELSE 8
            END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."lupus_headache__SCR" THEN 0 ELSE 8 END + CASE
              WHEN NOT "sle__sledai_2k_form_by_visit"."cerebrovascular_accident__SCR"
              THEN 0
              ELSE 8
            END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."vasculitis__SCR" THEN 0 ELSE 8 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."arthritis__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."myositis__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."urinary_casts__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."hematuria__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."proteinuria__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."pyuria__SCR" THEN 0 ELSE 4 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."rash__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."alopecia__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."mucosal_ulcers__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."pleurisy__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."pericarditis__SCR" THEN 0 ELSE 2 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."low_complement__SCR" THEN 0 ELSE 2 END + CASE
              WHEN NOT "sle__sledai_2k_form_by_visit"."increased_dna_binding__SCR"
              THEN 0
              ELSE 2
            END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."fever__SCR" THEN 0 ELSE 1 END + CASE
              WHEN NOT "sle__sledai_2k_form_by_visit"."thrombocytopenia__SCR"
              THEN 0
              ELSE 1
            END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."leukopenia__SCR" THEN 0 ELSE 1 END
            ELSE "sle__sledai_2k_form_by_visit"."sledai_2k_SCR_hi"
          END < 6
          THEN FALSE
        END
        AND (
          "serology_by_visit"."c3__SCR" < "serology_by_visit"."c3_lln__SCR"
          OR "serology_by_visit"."c4__SCR" < "serology_by_visit"."c4_lln__SCR"
          OR "serology_by_visit"."anti_dsdna__SCR" = 'positive'
        )
      ) AS "I4",
      CASE
        WHEN CASE COALESCE("medications_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
          AND NOT "screening_assessments_by_visit"."any_medications__SCR"
        )
        THEN CASE COALESCE("medications_records"."any_2", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medications_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
            AND NOT "screening_assessments_by_visit"."any_medications__SCR"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medications_records"."any_2", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medications_records"."any_2", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END
      AND (
        NOT CASE
          WHEN CASE COALESCE("medications_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
            AND NOT "screening_assessments_by_visit"."any_medications__SCR"
          )
          THEN CASE COALESCE("medications_records"."any_3", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          WHEN NOT (
            CASE COALESCE("medications_records"."any_1", 0)
              WHEN 2
              THEN TRUE
              WHEN 0
              THEN FALSE
            END
            OR (
              NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
              AND NOT "screening_assessments_by_visit"."any_medications__SCR"
            )
          )
          THEN CAST(NULL AS BOOLEAN)
          WHEN CASE COALESCE("medications_records"."any_3", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END = CAST(NULL AS BOOLEAN)
          THEN CASE COALESCE("medications_records"."any_3", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
        END
        OR CASE
          WHEN CASE
            WHEN CASE COALESCE("medications_records"."any_1", 0)
              WHEN 2
              THEN TRUE
              WHEN 0
              THEN FALSE
            END
            OR (
              NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
              AND NOT "screening_assessments_by_visit"."any_medications__SCR"
            )
            THEN CASE
              WHEN "medications_records"."subject_id" IS NULL
              THEN 0
              ELSE "medications_records"."total_4_hi"
            END
            WHEN NOT (
              CASE COALESCE("medications_records"."any_1", 0)
                WHEN 2
                THEN TRUE
                WHEN 0
                THEN FALSE
              END
              OR (
                NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
                AND NOT "screening_assessments_by_visit"."any_medications__SCR"
              )
            )
            THEN CAST(NULL AS DOUBLE)
            WHEN CASE
              WHEN "medications_records"."subject_id" IS NULL
              THEN 0
              ELSE "medications_records"."total_4_lo"
            END = 0
            AND CASE
              WHEN "medications_records"."subject_id" IS NULL
              THEN 0
              ELSE "medications_records"."total_4_hi"
            END = CAST(NULL AS DOUBLE)
            THEN CASE
              WHEN "medications_records"."subject_id" IS NULL
              THEN 0
              ELSE "medications_records"."total_4_hi"
            END
          END <= 40
          THEN TRUE
          WHEN CASE
            WHEN CASE COALESCE("medications_records"."any_1", 0)
              WHEN 2
              THEN TRUE
              WHEN 0
              THEN FALSE
            END
            OR (
              NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
              AND NOT "screening_assessments_by_visit"."any_medications__SCR"
            )
            THEN CASE
              WHEN "medications_records"."subject_id" IS NULL
              THEN 0
              ELSE "medications_records"."total_4_lo"
            END
            WHEN NOT (
              CASE COALESCE("medications_records"."any_1", 0)
                WHEN 2
                THEN TRUE
                WHEN 0
                THEN FALSE
              END
              OR (
                NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
                AND NOT "screening_assessments_by_visit"."any_medications__SCR"
              )
            )
            THEN 0
            WHEN CASE
              WHEN "medications_records"."subject_id" IS NULL
              THEN 0
              ELSE "medications_records"."total_4_lo"
            END = 0
            AND CASE
              WHEN "medications_records"."subject_id" IS NULL
              THEN 0
              ELSE "medications_records"."total_4_hi"
            END = CAST(NULL AS DOUBLE)
            THEN CASE
              WHEN "medications_records"."subject_id" IS NULL
              THEN 0
              ELSE "medications_records"."total_4_lo"
            END
          END > 40
          THEN FALSE
        END
      )
      AND CASE
        WHEN CASE COALESCE("medications_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
          AND NOT "screening_assessments_by_visit"."any_medications__SCR"
        )
        THEN CASE COALESCE("medications_records"."all_6", 2)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medications_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
            AND NOT "screening_assessments_by_visit"."any_medications__SCR"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medications_records"."all_6", 2)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medications_records"."all_6", 2)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END
      AND CASE
        WHEN CASE COALESCE("medications_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
          AND NOT "screening_assessments_by_visit"."any_medications__SCR"
        )
        THEN CASE COALESCE("medications_records"."all_7", 2)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medications_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
            AND NOT "screening_assessments_by_visit"."any_medications__SCR"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medications_records"."all_7", 2)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medications_records"."all_7", 2)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END
      AND CASE
        WHEN CASE
          WHEN CASE COALESCE("medications_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
            AND NOT "screening_assessments_by_visit"."any_medications__SCR"
          )
          THEN COALESCE("medications_records"."count_8_hi", 0)
          WHEN NOT (
            CASE COALESCE("medications_records"."any_1", 0)
              WHEN 2
              THEN TRUE
              WHEN 0
              THEN FALSE
            END
            OR (
              NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
              AND NOT "screening_assessments_by_visit"."any_medications__SCR"
            )
          )
          THEN CAST(NULL AS DOUBLE)
          WHEN COALESCE("medications_records"."count_8_lo", 0) = 0
          AND COALESCE("medications_records"."count_8_hi", 0) = CAST(NULL AS DOUBLE)
          THEN COALESCE("medications_records"."count_8_hi", 0)
        END <= 1
        THEN TRUE
        WHEN CASE
          WHEN CASE COALESCE("medications_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
            AND NOT "screening_assessments_by_visit"."any_medications__SCR"
          )
          THEN COALESCE("medications_records"."count_8_lo", 0)
          WHEN NOT (
            CASE COALESCE("medications_records"."any_1", 0)
              WHEN 2
              THEN TRUE
              WHEN 0
              THEN FALSE
            END
            OR (
              NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
              AND NOT "screening_assessments_by_visit"."any_medications__SCR"
            )
          )
          THEN 0
          WHEN COALESCE("medications_records"."count_8_lo", 0) = 0
          AND COALESCE("medications_records"."count_8_hi", 0) = CAST(NULL AS DOUBLE)
          THEN COALESCE("medications_records"."count_8_lo", 0)
        END > 1
        THEN FALSE
      END
      AND CASE
        WHEN CASE COALESCE("medications_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
          AND NOT "screening_assessments_by_visit"."any_medications__SCR"
        )
        THEN CASE COALESCE("medications_records"."all_10", 2)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medications_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
            AND NOT "screening_assessments_by_visit"."any_medications__SCR"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medications_records"."all_10", 2)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medications_records"."all_10", 2)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "I5",
      "attested"."I6" AS "I6",
      "screening_assessments_by_visit"."study_drug_allergy__SCR" AS "E1",
      "screening_assessments_by_visit"."active_severe_npsle__SCR"
      OR CASE
        WHEN CASE
          WHEN "sle__sledai_2k_form_by_visit"."subject_id" IS NULL
          THEN CASE WHEN "sle__sledai_2k_form_by_visit"."seizure__SCR" THEN 8 ELSE 0 END + CASE WHEN "sle__sledai_2k_form_by_visit"."psychosis__SCR" THEN 8 ELSE 0 END + CASE
            WHEN "sle__sledai_2k_form_by_visit"."organic_brain_syndrome__SCR"
            THEN 8
            ELSE 0
          END + CASE WHEN "sle__sledai_2k_form_by_visit"."visual_disturbance__SCR" THEN 8 ELSE 0 END + CASE
            WHEN "sle__sledai_2k_form_by_visit"."cranial_nerve_disorder__SCR"
            THEN 8
            ELSE 0
          END + CASE WHEN "sle__sledai_2k_form_by_visit"."lupus_headache__SCR" THEN 8 ELSE 0 END + CASE
            WHEN "sle__sledai_2k_form_by_visit"."cerebrovascular_accident__SCR"
            THEN 8
            ELSE 0
          END
          ELSE "sle__sledai_2k_form_by_visit"."sledai_2k_cns_SCR_lo"
        END > 0
        THEN TRUE
        WHEN CASE
          WHEN "sle__sledai_2k_form_by_visit"."subject_id" IS NULL
          THEN CASE WHEN NOT "sle__sledai_2k_form_by_visit"."seizure__SCR" THEN 0 ELSE 8 END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."psychosis__SCR" THEN 0 ELSE 8 END + CASE
            WHEN NOT "sle__sledai_2k_form_by_visit"."organic_brain_syndrome__SCR"
            THEN 0
            ELSE 8
          END + CASE
            WHEN NOT "sle__sledai_2k_form_by_visit"."visual_disturbance__SCR"
            THEN 0
            ELSE 8
          END + CASE
            WHEN NOT "sle__sledai_2k_form_by_visit"."cranial_nerve_disorder__SCR"
            THEN 0
            ELSE 8
          END + CASE WHEN NOT "sle__sledai_2k_form_by_visit"."lupus_headache__SCR" THEN 0 ELSE 8 END + CASE
            WHEN NOT "sle__sledai_2k_form_by_visit"."cerebrovascular_accident__SCR"
            THEN 0
            ELSE 8
          END
          ELSE "sle__sledai_2k_form_by_visit"."sledai_2k_cns_SCR_hi"
        END <= 0
        THEN FALSE
      END AS "E2",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "screening_assessments_by_visit"."any_medical_history__SCR" IS NULL
          AND NOT "screening_assessments_by_visit"."any_medical_history__SCR"
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
            NOT "screening_assessments_by_visit"."any_medical_history__SCR" IS NULL
            AND NOT "screening_assessments_by_visit"."any_medical_history__SCR"
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
      END AS "E3",
      "vital_signs_by_visit"."systolic_bp__SCR" >= 160
      OR "vital_signs_by_visit"."diastolic_bp__SCR" >= 100
      OR (
        "screening_assessments_by_visit"."diabetes__SCR"
        AND "screening_labs_by_visit"."hba1c__SCR" > 8
      ) AS "E4",
      "screening_labs_by_visit"."proteinuria__SCR" > 3
      OR "screening_labs_by_visit"."egfr__SCR" < 30 AS "E5",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "screening_assessments_by_visit"."any_medical_history__SCR" IS NULL
          AND NOT "screening_assessments_by_visit"."any_medical_history__SCR"
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
            NOT "screening_assessments_by_visit"."any_medical_history__SCR" IS NULL
            AND NOT "screening_assessments_by_visit"."any_medical_history__SCR"
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
      END AS "E6",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "screening_assessments_by_visit"."any_medical_history__SCR" IS NULL
          AND NOT "screening_assessments_by_visit"."any_medical_history__SCR"
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
            NOT "screening_assessments_by_visit"."any_medical_history__SCR" IS NULL
            AND NOT "screening_assessments_by_visit"."any_medical_history__SCR"
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
      END AS "E7",
      CASE
        WHEN CASE COALESCE("medical_history_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "screening_assessments_by_visit"."any_medical_history__SCR" IS NULL
          AND NOT "screening_assessments_by_visit"."any_medical_history__SCR"
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
            NOT "screening_assessments_by_visit"."any_medical_history__SCR" IS NULL
            AND NOT "screening_assessments_by_visit"."any_medical_history__SCR"
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
      END AS "E8",
      CASE
        WHEN CASE COALESCE("medications_records"."any_1", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        OR (
          NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
          AND NOT "screening_assessments_by_visit"."any_medications__SCR"
        )
        THEN CASE COALESCE("medications_records"."any_11", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
        WHEN NOT (
          CASE COALESCE("medications_records"."any_1", 0)
            WHEN 2
            THEN TRUE
            WHEN 0
            THEN FALSE
          END
          OR (
            NOT "screening_assessments_by_visit"."any_medications__SCR" IS NULL
            AND NOT "screening_assessments_by_visit"."any_medications__SCR"
          )
        )
        THEN CAST(NULL AS BOOLEAN)
        WHEN CASE COALESCE("medications_records"."any_11", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END = CAST(NULL AS BOOLEAN)
        THEN CASE COALESCE("medications_records"."any_11", 0)
          WHEN 2
          THEN TRUE
          WHEN 0
          THEN FALSE
        END
      END AS "E9",
      "demographics_by_visit"."sex__SCR" = 'female'
      AND (
        (
          "demographics_by_visit"."childbearing_potential__SCR"
          AND "screening_labs_by_visit"."pregnancy_test__SCR" = 'positive'
        )
        OR "screening_assessments_by_visit"."lactating__SCR"
      ) AS "E10"
    FROM (
      SELECT
        "subject_id"
      FROM "demographics"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "sle__eular_acr_2019_form"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "serology"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "sle__sledai_2k_form"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "screening_assessments"
      WHERE
        NOT "subject_id" IS NULL
      UNION
      SELECT
        "subject_id"
      FROM "vital_signs"
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
      FROM "medications"
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
      FROM "subjects"
      WHERE
        NOT "subject_id" IS NULL
    ) AS "subject_list"
    LEFT JOIN "demographics_by_visit"
      ON "demographics_by_visit"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "sle__eular_acr_2019_form_by_visit"
      ON "sle__eular_acr_2019_form_by_visit"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "serology_by_visit"
      ON "serology_by_visit"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "sle__sledai_2k_form_by_visit"
      ON "sle__sledai_2k_form_by_visit"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "screening_assessments_by_visit"
      ON "screening_assessments_by_visit"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "vital_signs_by_visit"
      ON "vital_signs_by_visit"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "screening_labs_by_visit"
      ON "screening_labs_by_visit"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "visit_dates"
      ON "visit_dates"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "attested"
      ON "attested"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "medications_records"
      ON "medications_records"."subject_id" = "subject_list"."subject_id"
    LEFT JOIN "medical_history_records"
      ON "medical_history_records"."subject_id" = "subject_list"."subject_id"
  ) AS "criteria"
) AS "flags"
ORDER BY
  "subject_id";
