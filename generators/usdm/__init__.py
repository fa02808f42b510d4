"""The spec as a CDISC USDM v4 study (`usdm.json`), and a draft spec from a USDM v4 study.

`study` builds the USDM document from a checked spec, with `design`,
`schedule`, `content` and `concepts` each owning one part of it; `terms` holds
the CDISC controlled terms the document uses and `ids` the deterministic
identifiers.  `extensions` names the extension attributes that carry what USDM
has no place for (an eligibility rule, an analysis population's definition).
`draft` reads a USDM study back into spec source, reporting what it could not
carry in a `losses` list.
"""
