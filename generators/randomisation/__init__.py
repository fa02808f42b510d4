"""Allocation lists: seeded, reproducible randomisation lists and minimisation.

Nothing here is part of `protocol build`: an allocation list is concealed, so it
is written only by `protocol randomise`, only to the file the user names.
`stream` is the random source (SHA-256 in counter mode: the same seed gives the
same list on every machine and every Python version), `blocks` the lists per
stratum, `minimise` Pocock-Simon minimisation, `balance` the balance report,
`formats` the CSV and REDCap allocation tables.
"""
