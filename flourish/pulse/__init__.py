"""The team integration pulse (issue 15): how integrated a team's working is, seen by every profession in it.

So far only the instrument (``data/``) and the pure computation (``core/``); the Django app
(roster, waves, delivery, pages) comes next.
"""
