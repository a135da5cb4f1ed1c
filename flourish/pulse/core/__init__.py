"""Pure computation for the team integration pulse: no Django, mypy --strict.

- ``instrument``: read and check a pulse file (``flourish/pulse/data/pulse-v<N>.json``).
- ``agreement``: rwg(j), ICC(1), ICC(2) and whether a team score may be shown; ``scores`` the
  team scores of a wave (the pulse and each domain) through that decision.
- ``pooling``: groups below k pooled before any figure.
- ``matrix``: the role-to-role matrix, k-safe (pooled below k).
- ``network``: the collaboration map as networkx graphs: density, E–I index, groups nobody works with.
- ``indices``: all of those for every team of a wave at once, vectorised (2,000 teams × 20 in
  about 0.3 s); the per-team modules above are the definitions it is tested against. ``change``:
  a team's change between two waves, only where both waves' figures are shown.
- ``study``: the model test as the research app shows it: common-method guard, effects with CIs,
  before/after a development plan, power notes, the method note (docs/pulse-methods.md).
- ``multilevel``: the model test across teams (statsmodels MixedLM); ``nested`` the same model by
  REML from per-team sums (2,000 teams in about a second); ``simulate`` its planted data set,
  ``power`` the teams needed.
"""
