"""Pure computation for the team integration pulse: no Django, mypy --strict.

- ``instrument``: read and check a pulse file (``flourish/pulse/data/pulse-v<N>.json``).
- ``agreement``: rwg(j), ICC(1), ICC(2) and whether a team score may be shown.
- ``matrix``: the role-to-role matrix, k-safe (pooled below k).
- ``network``: the collaboration map as networkx graphs: density, E–I index, groups nobody works with.
- ``multilevel``: the model test across teams (statsmodels MixedLM), ``simulate`` its planted data
  set, ``power`` the teams needed.
"""
