"""SDTM datasets generated from the spec: the trial design domains TA, TE, TV, TI, TS."""
