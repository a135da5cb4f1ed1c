"""Assisted coding: suggestions for uncoded units from a local sentence-embedding model.

- `embedding`: the optional extra (torch + all-MiniLM-L6-v2, offline), loaded once per process;
  `available()` and `ASSIST_HELP` say whether it is installed and how to install it.
- `scoring`: pure numpy/scikit-learn logic (no Django): similarity to each code's
  prototype, and a classifier per code trained on adjudicated (consensus) units.
- `suggest`: the Django glue: writes suggestions on the project's assistant layer, and the
  accept and reject actions.

Nothing here imports torch at module import time, so the app runs without the extra.
"""
