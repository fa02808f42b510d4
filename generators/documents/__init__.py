"""Human-readable documents generated from a spec: the protocol and the schedule of activities.

`protocol.build` and `soa.build` are the `protocol build` artefacts; they
share one document model (`document.py`) built by `content.py` and
`schedule.py`, and three renderers (HTML, Markdown, Word).
"""
