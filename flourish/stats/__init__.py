"""Flourish statistics engine: reliability / item analysis and CFA matching lavaan.

Pure Python (numpy + scipy); never imports Django.

* :mod:`flourish.stats.reliability` -- alpha (Feldt CI), omega total, item analysis, missingness.
* :mod:`flourish.stats.cfa` -- ``fit_cfa`` (ML and WLSMV, listwise or pairwise deletion, diagnostics)
  and ``invariance`` (configural / metric / scalar / strict, partial, score tests), checked
  against lavaan 0.6.14 in ``flourish/stats/tests``.
* :mod:`flourish.stats.distributions` -- chi-square and normal tails without scipy.stats.
* :mod:`flourish.stats.cli` -- ``main(argv, stdout, stderr)`` for ``flourish cfa`` and
  ``flourish reliability``.
* :class:`flourish.stats.errors.StatsError` -- every input problem, with a readable message.
"""
