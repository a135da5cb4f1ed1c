"""The team integration pulse (issue 15): how integrated a team's working is, seen by every profession in it.

- ``data/``: the instrument; ``core/``: its pure computation (no Django).
- The Django app: a leader's team roster (members with profession and employing agency),
  waves with anonymous personal links, the phone-first respondent form, the answers severed
  from their respondent at close, and the leader's results page, every figure of it through
  the disclosure ledger (``disclosures.py``).
"""
