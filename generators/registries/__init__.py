"""Trial registry records generated from the spec (ClinicalTrials.gov)."""
