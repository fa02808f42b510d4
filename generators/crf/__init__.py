"""Case report forms: CDISC ODM 1.3.2, a REDCap project, and the annotated blank CRF.

All three read the same view of the spec's data dictionary (`forms.crf_forms`),
so a field has the same label, type, unit, choices, range and condition in
every one of them.
"""
