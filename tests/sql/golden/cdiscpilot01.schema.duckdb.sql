CREATE TABLE "demographics" (
  "subject_id" TEXT,
  "visit" TEXT,
  "age" BIGINT,
  "sex" TEXT,
  "postmenopausal" BOOLEAN
);

CREATE TABLE "eligibility_assessments" (
  "subject_id" TEXT,
  "visit" TEXT,
  "probable_ad" BOOLEAN,
  "mmse_total" BIGINT,
  "hachinski" BIGINT,
  "imaging_compatible" BOOLEAN,
  "imaging_date" DATE,
  "prior_xanomeline" BOOLEAN,
  "ecg_listed_condition" BOOLEAN,
  "communication_disability" BOOLEAN,
  "any_medical_history" BOOLEAN,
  "any_medications" BOOLEAN
);

CREATE TABLE "screening_labs" (
  "subject_id" TEXT,
  "visit" TEXT,
  "above_range_iii" BOOLEAN,
  "folate" DOUBLE,
  "folate__unit" TEXT,
  "folate_lln" DOUBLE,
  "folate_lln__unit" TEXT,
  "vitamin_b12" DOUBLE,
  "vitamin_b12__unit" TEXT,
  "vitamin_b12_lln" DOUBLE,
  "vitamin_b12_lln__unit" TEXT,
  "tsh" DOUBLE,
  "tsh__unit" TEXT,
  "tsh_lln" DOUBLE,
  "tsh_lln__unit" TEXT,
  "tsh_uln" DOUBLE,
  "tsh_uln__unit" TEXT,
  "syphilis" TEXT,
  "hba1c" DOUBLE,
  "hba1c__unit" TEXT,
  "hba1c_uln" DOUBLE,
  "hba1c_uln__unit" TEXT
);

CREATE TABLE "medical_history" (
  "subject_id" TEXT,
  "term" TEXT,
  "category" TEXT,
  "onset" DATE,
  "ongoing" BOOLEAN
);

CREATE TABLE "concomitant_medications" (
  "subject_id" TEXT,
  "medication" TEXT,
  "class" TEXT,
  "start" DATE,
  "end" DATE,
  "ongoing" BOOLEAN
);

CREATE TABLE "exposure" (
  "subject_id" TEXT,
  "treatment" TEXT,
  "dose" DOUBLE,
  "dose__unit" TEXT,
  "start" DATE,
  "end" DATE
);

CREATE TABLE "adverse_events" (
  "subject_id" TEXT,
  "sequence" BIGINT,
  "term" TEXT,
  "decod" TEXT,
  "body_system" TEXT,
  "start" DATE
);

CREATE TABLE "disposition" (
  "subject_id" TEXT,
  "category" TEXT,
  "decod" TEXT,
  "date" DATE
);

CREATE TABLE "study_participation" (
  "subject_id" TEXT,
  "visit" TEXT,
  "end_date" DATE
);

CREATE TABLE "efficacy" (
  "subject_id" TEXT,
  "visit" TEXT,
  "adas_cog11" BIGINT,
  "cibic" BIGINT
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
