CREATE TABLE "demographics" (
  "subject_id" TEXT,
  "visit" TEXT,
  "birth_date" DATE,
  "sex" TEXT,
  "childbearing_potential" BOOLEAN
);

CREATE TABLE "serology" (
  "subject_id" TEXT,
  "visit" TEXT,
  "ana_titer" INT,
  "anti_dsdna" TEXT,
  "anti_sm" TEXT,
  "c3" DOUBLE,
  "c3__unit" TEXT,
  "c3_lln" DOUBLE,
  "c3_lln__unit" TEXT,
  "c4" DOUBLE,
  "c4__unit" TEXT,
  "c4_lln" DOUBLE,
  "c4_lln__unit" TEXT
);

CREATE TABLE "vital_signs" (
  "subject_id" TEXT,
  "visit" TEXT,
  "systolic_bp" DOUBLE,
  "systolic_bp__unit" TEXT,
  "diastolic_bp" DOUBLE,
  "diastolic_bp__unit" TEXT,
  "temperature" DOUBLE,
  "temperature__unit" TEXT
);

CREATE TABLE "screening_labs" (
  "subject_id" TEXT,
  "visit" TEXT,
  "hba1c" DOUBLE,
  "hba1c__unit" TEXT,
  "proteinuria" DOUBLE,
  "proteinuria__unit" TEXT,
  "egfr" DOUBLE,
  "egfr__unit" TEXT,
  "pregnancy_test" TEXT
);

CREATE TABLE "screening_assessments" (
  "subject_id" TEXT,
  "visit" TEXT,
  "study_drug_allergy" BOOLEAN,
  "active_severe_npsle" BOOLEAN,
  "diabetes" BOOLEAN,
  "lactating" BOOLEAN,
  "any_medical_history" BOOLEAN,
  "any_medications" BOOLEAN
);

CREATE TABLE "medical_history" (
  "subject_id" TEXT,
  "condition" TEXT,
  "category" TEXT,
  "onset" DATE,
  "ongoing" BOOLEAN,
  "affects_efficacy_assessment" BOOLEAN
);

CREATE TABLE "medications" (
  "subject_id" TEXT,
  "agent" TEXT,
  "class" TEXT,
  "glucocorticoid" TEXT,
  "daily_dose" DOUBLE,
  "daily_dose__unit" TEXT,
  "route" TEXT,
  "ongoing" BOOLEAN,
  "dose_start" DATE
);

CREATE TABLE "exposure" (
  "subject_id" TEXT,
  "administered_on" DATE,
  "dose" DOUBLE,
  "dose__unit" TEXT,
  "step" TEXT
);

CREATE TABLE "adverse_events" (
  "subject_id" TEXT,
  "term" TEXT,
  "onset" DATE,
  "grade" BIGINT,
  "serious" BOOLEAN,
  "treatment_emergent" BOOLEAN,
  "dose_limiting" BOOLEAN
);

CREATE TABLE "sle__sledai_2k_form" (
  "subject_id" TEXT,
  "visit" TEXT,
  "seizure" BOOLEAN,
  "psychosis" BOOLEAN,
  "organic_brain_syndrome" BOOLEAN,
  "visual_disturbance" BOOLEAN,
  "cranial_nerve_disorder" BOOLEAN,
  "lupus_headache" BOOLEAN,
  "cerebrovascular_accident" BOOLEAN,
  "vasculitis" BOOLEAN,
  "arthritis" BOOLEAN,
  "myositis" BOOLEAN,
  "urinary_casts" BOOLEAN,
  "hematuria" BOOLEAN,
  "proteinuria" BOOLEAN,
  "pyuria" BOOLEAN,
  "rash" BOOLEAN,
  "alopecia" BOOLEAN,
  "mucosal_ulcers" BOOLEAN,
  "pleurisy" BOOLEAN,
  "pericarditis" BOOLEAN,
  "low_complement" BOOLEAN,
  "increased_dna_binding" BOOLEAN,
  "fever" BOOLEAN,
  "thrombocytopenia" BOOLEAN,
  "leukopenia" BOOLEAN
);

CREATE TABLE "sle__eular_acr_2019_form" (
  "subject_id" TEXT,
  "visit" TEXT,
  "ana_titer" INT,
  "fever" BOOLEAN,
  "leukopenia" BOOLEAN,
  "thrombocytopenia" BOOLEAN,
  "autoimmune_hemolysis" BOOLEAN,
  "delirium" BOOLEAN,
  "psychosis" BOOLEAN,
  "seizure" BOOLEAN,
  "non_scarring_alopecia" BOOLEAN,
  "oral_ulcers" BOOLEAN,
  "subacute_or_discoid" BOOLEAN,
  "acute_cutaneous" BOOLEAN,
  "effusion" BOOLEAN,
  "acute_pericarditis" BOOLEAN,
  "joint_involvement" BOOLEAN,
  "proteinuria" BOOLEAN,
  "nephritis_class_2_or_5" BOOLEAN,
  "nephritis_class_3_or_4" BOOLEAN,
  "antiphospholipid" BOOLEAN,
  "low_c3" BOOLEAN,
  "low_c4" BOOLEAN,
  "anti_dsdna_or_sm" BOOLEAN,
  "diagnosis_date" DATE
);

CREATE TABLE "visits" (
  "subject_id" TEXT,
  "visit" TEXT,
  "date" DATE
);

CREATE TABLE "attestations" (
  "subject_id" TEXT,
  "criterion" TEXT,
  "attested" BOOLEAN
);

CREATE TABLE "subjects" (
  "subject_id" TEXT,
  "arm" TEXT,
  "dose_level" TEXT
);
