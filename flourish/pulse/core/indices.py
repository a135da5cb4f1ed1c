"""All of a wave's integration indices for every team at once, vectorised with numpy.

The per-team functions (``scores.team_scores``, ``matrix.role_matrix``, and ``network``'s
networkx graphs) are the definitions; this module computes the same figures for thousands of
teams from arrays, one row per respondent, about 20 times faster (bench/bench_pulse.py: 2,000
teams × 20 in well under a second, where the per-team path takes about 3.5 s). The tests compare
the two on simulated waves and on the hand-worked small cases, figure by figure.

- ``fast_team_scores``: the pulse and each domain, with n, rwg(j), ICC(1)/ICC(2) and the
  aggregation decision (``agreement.decide``), as ``scores.TeamScores``.
- ``fast_role_matrices``: the k-safe role-to-role matrix of each team, as ``matrix.Matrix``.
- ``fast_network_indices``: E–I index (team and per group), density and the groups nobody works
  with, for one dimension (professions or agencies), as ``NetworkIndices``.
- ``wave_indices``: all of them from one ``WaveData``.

Sums run in a different order from the per-team code, so figures agree to rounding (about 1e-15),
not bit for bit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from flourish.lib.disclosure import MIN_K
from flourish.pulse.core.agreement import ICC, decide
from flourish.pulse.core.instrument import Instrument
from flourish.pulse.core.matrix import Cell, Matrix, RoleRating
from flourish.pulse.core.network import TIE_MIN, TIE_SHARE, MapAnswer
from flourish.pulse.core.pooling import POOLED
from flourish.pulse.core.scores import ALL, Response, Score, TeamScores

__all__ = [
    "NetworkIndices",
    "TeamIndices",
    "WaveData",
    "answers_array",
    "map_arrays",
    "rating_arrays",
    "fast_network_indices",
    "fast_role_matrices",
    "fast_team_scores",
    "wave_indices",
]

Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class WaveData:
    """One wave, one row per respondent (``team[r]`` indexes ``teams``).

    ``answers[r, i]``: the pulse items in the instrument's order, NaN for "can't say".
    ``profession[r]`` / ``agency[r]``: the respondent's own group, indexing ``professions`` / ``agencies``.
    ``with_professions[r, g]`` / ``with_agencies[r, g]``: how often (0..4) they work with group g,
    −1 where g is not on their team's roster (or they left it blank: no tie).
    ``role_answers[r, g, i]``: their answer to role item i about profession g, NaN where not given.
    ``profession_roster[t, g]`` / ``agency_roster[t, g]``: people in group g on team t's roster.
    """

    teams: tuple[str, ...]
    respondents: tuple[str, ...]
    professions: tuple[str, ...]
    agencies: tuple[str, ...]
    team: Array
    profession: Array
    agency: Array
    answers: Array
    with_professions: Array
    with_agencies: Array
    role_answers: Array
    profession_roster: Array
    agency_roster: Array


@dataclass(frozen=True)
class NetworkIndices:
    """One team's collaboration-map figures for one dimension, on its groups pooled below k."""

    #: the team's E–I index over all ties, None without ties
    ei: float | None
    #: pooled group → E–I of its members' ties, only where k answered (smaller groups together)
    ei_groups: Mapping[str, float | None]
    density: float
    nobody_works_with: tuple[str, ...]
    #: pooled group → how many of its members answered (a picture holds back groups below k)
    respondents: Mapping[str, int]


@dataclass(frozen=True)
class TeamIndices:
    team: str
    scores: TeamScores
    matrix: Matrix
    professions: NetworkIndices
    agencies: NetworkIndices


def _check_k(k: int) -> None:
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K} (anonymity minimum), got {k}")


def _team_index(team: Array, n_teams: int, what: str) -> Array:
    team = np.asarray(team, dtype=np.intp)
    if team.size and (team.min() < 0 or team.max() >= n_teams):
        raise ValueError(f"{what}: a respondent's team index is outside the {n_teams} teams given")
    return team


# --- pulse scores ---------------------------------------------------------------------------


def answers_array(instrument: Instrument, responses: Mapping[str, Sequence[Response]]
                  ) -> tuple[tuple[str, ...], Array, Array]:
    """(teams, team index per respondent, answers with NaN) from ``scores.team_scores``' input."""
    ids = [item.id for item in instrument.items]
    known = set(ids)
    teams = tuple(responses)
    rows: list[list[float]] = []
    team: list[int] = []
    for t, (name, members) in enumerate(responses.items()):
        for i, response in enumerate(members):
            unknown = sorted(set(response) - known)
            if unknown:
                raise ValueError(f"team {name}, response {i + 1}: {', '.join(unknown)} is not an item of "
                                 f"{instrument.slug} version {instrument.version}")
            rows.append([math.nan if (v := response.get(j)) is None else float(v) for j in ids])
            team.append(t)
    answers = np.array(rows, dtype=float).reshape(len(rows), len(ids))
    return teams, np.array(team, dtype=np.intp), answers


def _icc(size: Array, total: Array, within_ss: Array) -> ICC | None:
    """``agreement.icc`` from each team's n, sum and within-team sum of squares."""
    used = size > 0
    sizes, sums, ssw_t = size[used], total[used], within_ss[used]
    n, j = float(sizes.sum()), int(used.sum())
    if j < 2 or n - j < 1:
        return None
    means = sums / sizes
    grand = float(sums.sum()) / n
    ssb = float((sizes * (means - grand) ** 2).sum())
    ssw = float(ssw_t.sum())
    msb, msw = ssb / (j - 1), ssw / (n - j)
    k0 = (n - float((sizes * sizes).sum()) / n) / (j - 1)
    denominator = msb + (k0 - 1) * msw
    icc1 = (msb - msw) / denominator if denominator > 0 else math.nan
    icc2 = (msb - msw) / msb if msb > 0 else math.nan
    f = msb / msw if msw > 0 else (math.inf if msb > 0 else math.nan)
    return ICC(icc1, icc2, msb, msw, f, j - 1, int(n) - j, k0)


def _scores_of(team: Array, answers: Array, n_teams: int, categories: int
               ) -> tuple[Array, Array, list[float | None], ICC | None]:
    """(n, mean, rwg(j), ICC) of every team for one set of items (columns of ``answers``)."""
    given = ~np.isnan(answers)
    filled = np.where(given, answers, 0.0)
    # each member's scale score: the mean of the items they answered
    count = given.sum(axis=1)
    member = np.divide(filled.sum(axis=1), count, out=np.full(len(count), np.nan), where=count > 0)
    valid = count > 0
    size = np.bincount(team[valid], minlength=n_teams).astype(float)
    total = np.bincount(team[valid], weights=member[valid], minlength=n_teams)
    mean = np.divide(total, size, out=np.full(n_teams, np.nan), where=size > 0)
    deviation = np.where(valid, member - mean[team], 0.0)
    within = np.bincount(team, weights=deviation**2, minlength=n_teams)
    # rwg(j): each item's variance over the members who answered it, items with two or more answers
    item_n = _by_team(team, given.astype(float), n_teams)
    item_sum = _by_team(team, filled, n_teams)
    item_mean = np.divide(item_sum, item_n, out=np.zeros_like(item_sum), where=item_n > 0)
    item_ss = _by_team(team, np.where(given, (filled - item_mean[team]) ** 2, 0.0), n_teams)
    enough = item_n >= 2
    variance = np.divide(item_ss, item_n - 1, out=np.zeros_like(item_ss), where=enough)
    j = enough.sum(axis=1)
    mean_variance = np.divide(variance.sum(axis=1), j, out=np.zeros(n_teams), where=j > 0)
    ratio = mean_variance / ((categories**2 - 1) / 12)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(ratio >= 1, 0.0, j * (1 - ratio) / (j * (1 - ratio) + ratio))
    rwg: list[float | None] = [float(v) if jj else None for v, jj in zip(value, j)]
    return size, mean, rwg, _icc(size, total, within)


def fast_team_scores(instrument: Instrument, teams: Sequence[str], team: Array, answers: Array,
                     k: int = MIN_K) -> dict[str, TeamScores]:
    """``scores.team_scores`` for every team at once; ``answers`` columns in the instrument's item order."""
    _check_k(k)
    answers = np.asarray(answers, dtype=float)
    if answers.ndim != 2 or answers.shape[1] != len(instrument.items):
        raise ValueError(f"the answers need one column for each of the {len(instrument.items)} items")
    team = _team_index(team, len(teams), "pulse answers")
    if len(team) != len(answers):
        raise ValueError(f"{len(team)} team indices for {len(answers)} rows of answers")
    outside = ~np.isnan(answers) & ~np.isin(answers, instrument.scale_values)
    if outside.any():
        r, i = (int(x) for x in np.argwhere(outside)[0])
        raise ValueError(f"team {teams[int(team[r])]}, item {instrument.items[i].id}: {answers[r, i]:g} is not "
                         f"a value of the scale ({', '.join(map(str, instrument.scale_values))})")
    groups = {ALL: list(range(len(instrument.items)))}
    for domain in instrument.domains:
        groups[domain] = [i for i, item in enumerate(instrument.items) if item.domain == domain]
    categories = len(instrument.scale_values)
    out: dict[str, dict[str, Score]] = {name: {} for name in teams}
    for key, columns in groups.items():
        size, mean, rwg, reliability = _scores_of(team, answers[:, columns], len(teams), categories)
        for t, name in enumerate(teams):
            n = int(size[t])
            aggregation = decide(n, rwg[t], reliability, k=k)
            out[name][key] = Score(float(mean[t]) if aggregation.allowed else None, n, aggregation)
    return {name: TeamScores(name, scores) for name, scores in out.items()}


# --- pooling --------------------------------------------------------------------------------


def _by_team(team: Array, values: Array, n_teams: int) -> Array:
    """Column sums of ``values`` within each team: (n_teams, columns)."""
    columns = values.shape[1]
    index = (team[:, None] * columns + np.arange(columns)[None, :]).ravel()
    return np.bincount(index, weights=values.ravel(), minlength=n_teams * columns).reshape(n_teams, columns)


def _count2(rows: Array, columns: Array, shape: tuple[int, int], weights: Array | None = None) -> Array:
    """A (rows, columns) table of counts (or sums of ``weights``); integer where counting."""
    index = rows * shape[1] + columns
    if weights is None:
        return np.bincount(index, minlength=shape[0] * shape[1]).reshape(shape)
    table = np.bincount(index, weights=weights, minlength=shape[0] * shape[1]).reshape(shape)
    return table.astype(np.int64) if np.issubdtype(np.asarray(weights).dtype, np.integer) else table


def _pooled(roster: Array, k: int) -> tuple[Array, Array, Array]:
    """(label, on_roster, size): label[t, g] = g, or G (POOLED) for a group below k; size[t, label]."""
    n_teams, n_groups = roster.shape
    on_roster = roster > 0
    label = np.where(roster >= k, np.arange(n_groups)[None, :], n_groups)
    size = _count2(np.repeat(np.arange(n_teams), n_groups), label.ravel(), (n_teams, n_groups + 1),
                   np.where(on_roster, roster, 0).ravel())
    return label, on_roster, size


def _present(label: Array, on_roster: Array) -> Array:
    """present[t, l]: pooled label l stands for at least one group on team t's roster."""
    present = np.zeros((label.shape[0], label.shape[1] + 1), dtype=bool)
    t, g = np.nonzero(on_roster)
    present[t, label[t, g]] = True
    return present


def _orders(names: Sequence[str], present: Array, *, pooled_last: bool = True) -> list[list[int]]:
    """Each team's pooled labels present (``present[t]``), in the per-team code's order: by name, POOLED
    last (``pooled_last``) or among the names. Teams share few patterns, so each is sorted once."""
    g = len(names)
    label = [*names, POOLED]
    key = (lambda i: (i == g, label[i])) if pooled_last else (lambda i: (False, label[i]))
    done: dict[bytes, list[int]] = {}
    out: list[list[int]] = []
    for row, mask in zip(present, np.packbits(present, axis=1)):
        pattern = mask.tobytes()
        if pattern not in done:
            done[pattern] = sorted(np.flatnonzero(row).tolist(), key=key)
        out.append(done[pattern])
    return out


# --- the role-to-role matrix ----------------------------------------------------------------


def fast_role_matrices(teams: Sequence[str], professions: Sequence[str], roster: Array, team: Array,
                       own: Array, role_answers: Array, k: int = MIN_K) -> dict[str, Matrix]:
    """``matrix.role_matrix`` for every team: ``role_answers[r, g, i]`` is respondent r's answer to role
    item i about profession g (NaN where not given), ``own[r]`` their profession."""
    _check_k(k)
    roster = np.asarray(roster)
    team = _team_index(team, len(teams), "role ratings")
    own = np.asarray(own, dtype=np.intp)
    n_groups = len(professions)
    role_answers = np.asarray(role_answers, dtype=float)
    if role_answers.shape[:2] != (len(team), n_groups) or roster.shape != (len(teams), n_groups):
        raise ValueError("the role answers need one row per respondent and one column per profession, "
                         "and the roster one row per team")
    label, on_roster, size = _pooled(roster, k)
    given = ~np.isnan(role_answers)
    count = given.sum(axis=2)
    scored = count > 0
    stray = scored & ~on_roster[team]
    stray |= scored & ~on_roster[team, own][:, None]
    if stray.any():
        r, g = (int(x) for x in np.argwhere(stray)[0])
        raise ValueError(f"team {teams[int(team[r])]}: a rating of {professions[g]!r} by a "
                         f"{professions[int(own[r])]!r} names a profession that is not on the team's roster")
    r_idx, g_idx = np.nonzero(scored)
    score = np.where(given, role_answers, 0.0).sum(axis=2)[r_idx, g_idx] / count[r_idx, g_idx]
    t_idx = team[r_idx]
    row = label[t_idx, own[r_idx]]
    column = label[t_idx, g_idx]
    width = n_groups + 1
    # each rater's mean within their cell first (several professions can be pooled into one column)
    rater_key = (t_idx * width + row) * width * len(team) + column * len(team) + r_idx
    keys, inverse = np.unique(rater_key, return_inverse=True)
    rater_mean = np.bincount(inverse, weights=score) / np.bincount(inverse)
    cell_of_rater = keys // len(team)
    # keys are sorted, so each cell's raters are a run
    change = np.r_[True, cell_of_rater[1:] != cell_of_rater[:-1]] if len(keys) else np.zeros(0, dtype=bool)
    cells = cell_of_rater[change]
    cell_inverse = np.cumsum(change) - 1
    cell_n = np.bincount(cell_inverse)
    cell_sum = np.bincount(cell_inverse, weights=rater_mean)
    c_team, rest = np.divmod(cells, width * width)
    c_row, c_column = np.divmod(rest, width)
    column_size = size[c_team, c_column]
    shown = (cell_n >= k) & (column_size >= k)
    # the withheld cells' raters, column by column, where the column reaches k on the roster
    withheld = ~shown & (column_size >= k)
    pool_key = c_team * width + c_column
    pooled_n = np.bincount(pool_key, weights=np.where(withheld, cell_n, 0), minlength=len(teams) * width)
    pooled_sum = np.bincount(pool_key, weights=np.where(withheld, cell_sum, 0.0), minlength=len(teams) * width)
    has_pool = np.bincount(pool_key, weights=withheld, minlength=len(teams) * width) > 0
    present = _present(label, on_roster)
    names = [*professions, POOLED]
    matrices: dict[str, Matrix] = {}
    starts = np.searchsorted(c_team, np.arange(len(teams) + 1)).tolist()
    # plain lists: the loop below builds Python objects, one per cell
    rows_, columns_ = [names[i] for i in c_row.tolist()], [names[i] for i in c_column.tolist()]
    means, ns, shown_ = (cell_sum / np.maximum(cell_n, 1)).tolist(), cell_n.tolist(), shown.tolist()
    pool_at = np.flatnonzero(has_pool)
    pool_starts = np.searchsorted(pool_at, np.arange(len(teams) + 1) * width).tolist()
    pool_sums, pool_ns = pooled_sum[pool_at].tolist(), pooled_n[pool_at].astype(int).tolist()
    pool_at_ = pool_at.tolist()
    orders = _orders(professions, present)
    for t, name in enumerate(teams):
        groups = tuple(names[i] for i in orders[t])
        cell_map: dict[tuple[str, str], Cell | None] = {
            (rows_[c], columns_[c]): Cell(means[c], ns[c]) if shown_[c] else None
            for c in range(starts[t], starts[t + 1])}
        pooled_rows = {names[pool_at_[p] - t * width]: Cell(pool_sums[p] / pool_ns[p], pool_ns[p])
                       if pool_ns[p] >= k else None for p in range(pool_starts[t], pool_starts[t + 1])}
        matrices[name] = Matrix(groups, groups, cell_map, pooled_rows)
    return matrices


def rating_arrays(ratings: Mapping[str, Sequence[RoleRating]], rosters: Mapping[str, Mapping[str, int]]
                  ) -> tuple[tuple[str, ...], tuple[str, ...], Array, Array, Array, Array]:
    """``fast_role_matrices``' arrays (teams, professions, roster, team, own, role_answers) from
    ``matrix.role_matrix``' per-team input; a respondent id is a respondent within its team."""
    teams = tuple(rosters)
    professions = tuple(sorted({p for roster in rosters.values() for p in roster}))
    where = {p: i for i, p in enumerate(professions)}
    roster = np.array([[rosters[t].get(p, 0) for p in professions] for t in teams], dtype=np.int64)
    roster = roster.reshape(len(teams), len(professions))
    people: dict[tuple[int, str], int] = {}
    team: list[int] = []
    own: list[int] = []
    rated: list[int] = []
    given: list[Sequence[float | None]] = []
    for t, name in enumerate(teams):
        on_roster = rosters[name]
        for rating in ratings.get(name, ()):
            if rating.rater_profession not in on_roster or rating.rated_profession not in on_roster:
                raise ValueError(f"respondent {rating.respondent}: {rating.rater_profession!r} rating "
                                 f"{rating.rated_profession!r} names a profession that is not on the team's roster")
            r = people.setdefault((t, rating.respondent), len(people))
            if r == len(team):
                team.append(t)
                own.append(where[rating.rater_profession])
            elif own[r] != where[rating.rater_profession]:
                raise ValueError(f"respondent {rating.respondent} of team {name} is given two professions")
            rated.append(r * len(professions) + where[rating.rated_profession])
            given.append(rating.answers)
    width = max((len(a) for a in given), default=0)
    cells = np.array(rated, dtype=np.intp)
    unique, first = np.unique(cells, return_index=True)
    if len(unique) < len(cells):
        twice = int(cells[np.setdiff1d(np.arange(len(cells)), first)[0]])
        r, g = divmod(twice, len(professions))
        raise ValueError(f"a respondent of team {teams[team[r]]} rated {professions[g]!r} twice")
    # None becomes NaN in a float array
    values = np.array([[*a, *([None] * (width - len(a)))] for a in given], dtype=float).reshape(len(given), width)
    answers = np.full((len(team), len(professions), width), np.nan)
    answers.reshape(len(team) * len(professions), width)[cells] = values
    return (teams, professions, roster, np.array(team, dtype=np.intp), np.array(own, dtype=np.intp), answers)


# --- the collaboration map ------------------------------------------------------------------


def map_arrays(maps: Mapping[str, Sequence[MapAnswer]], rosters: Mapping[str, Mapping[str, int]], dimension: str
               ) -> tuple[tuple[str, ...], tuple[str, ...], Array, Array, Array, Array]:
    """``fast_network_indices``' arrays (teams, groups, roster, team, own, often) from ``network``'s
    per-team input, for ``dimension`` ("profession" or "agency"); ``rosters`` of that dimension."""
    if dimension not in ("profession", "agency"):
        raise ValueError(f"dimension must be 'profession' or 'agency', got {dimension!r}")
    teams = tuple(rosters)
    groups = tuple(sorted({g for roster in rosters.values() for g in roster}))
    where = {g: i for i, g in enumerate(groups)}
    roster = np.array([[rosters[t].get(g, 0) for g in groups] for t in teams], dtype=np.int64)
    roster = roster.reshape(len(teams), len(groups))
    team: list[int] = []
    own: list[int] = []
    often: list[list[int]] = []
    for t, name in enumerate(teams):
        for answer in maps.get(name, ()):
            mine = answer.own(dimension)
            if mine not in rosters[name]:
                raise ValueError(f"respondent {answer.respondent}: {dimension} {mine!r} is not on the team's roster")
            row = [-1] * len(groups)
            for group, value in answer.answers(dimension).items():
                if group not in rosters[name]:
                    raise ValueError(f"respondent {answer.respondent}: {group!r} is not a {dimension} on the roster")
                row[where[group]] = int(value)
            team.append(t)
            own.append(where[mine])
            often.append(row)
    return (teams, groups, roster, np.array(team, dtype=np.intp), np.array(own, dtype=np.intp),
            np.array(often, dtype=np.int64).reshape(len(team), len(groups)))


def fast_network_indices(teams: Sequence[str], groups: Sequence[str], roster: Array, team: Array, own: Array,
                         often: Array, k: int = MIN_K, share: float = TIE_SHARE) -> dict[str, NetworkIndices]:
    """The ``network`` figures of every team for one dimension: ``often[r, g]`` how often respondent r
    works with group g (−1 where not on the roster), ``own[r]`` their own group."""
    _check_k(k)
    roster = np.asarray(roster)
    team = _team_index(team, len(teams), "collaboration maps")
    own = np.asarray(own, dtype=np.intp)
    often = np.asarray(often)
    n_teams, n_groups = len(teams), len(groups)
    if often.shape != (len(team), n_groups) or roster.shape != (n_teams, n_groups):
        raise ValueError("the maps need one row per respondent and one column per group, the roster one row per team")
    label, on_roster, _ = _pooled(roster, k)
    if len(team) and not on_roster[team, own].all():
        r = int(np.flatnonzero(~on_roster[team, own])[0])
        raise ValueError(f"team {teams[int(team[r])]}: a respondent's own group {groups[int(own[r])]!r} "
                         "is not on the team's roster")
    if ((often >= 0) & ~on_roster[team]).any():
        r, g = (int(x) for x in np.argwhere((often >= 0) & ~on_roster[team])[0])
        raise ValueError(f"team {teams[int(team[r])]}: {groups[g]!r} is not a group on the roster")
    width = n_groups + 1
    tie = often >= TIE_MIN
    inside = np.arange(n_groups)[None, :] == own[:, None]
    internal = (tie & inside).sum(axis=1)
    external = (tie & ~inside).sum(axis=1)
    own_label = label[team, own]
    answered = _count2(team, own_label, (n_teams, width))
    # E–I: a respondent counts under their group where k of it answered, under POOLED otherwise
    key = np.where(answered[team, own_label] >= k, own_label, n_groups)
    e_by = _count2(team, key, (n_teams, width), external)
    i_by = _count2(team, key, (n_teams, width), internal)
    small = np.where(answered < k, answered, 0).sum(axis=1)
    shown = answered >= k
    shown[:, n_groups] |= small >= k
    e_team, i_team = e_by.sum(axis=1), i_by.sum(axis=1)
    # the group graph: respondent → pooled group, one tie per receiving pooled group, own label left out
    reach = np.zeros((len(team), width), dtype=bool)
    pooled_target = label[team]
    rows, columns = np.nonzero(tie)
    reach[rows, pooled_target[rows, columns]] = True
    reach[np.arange(len(team)), own_label] = False
    rr, qq = np.nonzero(reach)
    # the edges that exist, sparse: (team, sending label, receiving label) and how many sent the tie
    edges, ties = np.unique((team[rr] * width + own_label[rr]) * width + qq, return_counts=True)
    e_team_, rest = np.divmod(edges, width * width)
    e_source, e_target = np.divmod(rest, width)
    # the share divided as the per-team code divides it, so a share at the threshold is judged identically
    strong = ties / answered[e_team_, e_source] >= share
    m = np.bincount(e_team_[strong], minlength=n_teams)
    present = _present(label, on_roster)
    nodes = present.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        dens = np.where((nodes > 1) & (m > 0), m / (nodes * (nodes - 1)), 0.0)
    received = _count2(e_team_, e_target, (n_teams, width)) > 0
    names = [*groups, POOLED]

    def ei(e: float, i: float) -> float | None:
        return (e - i) / (e + i) if e + i else None

    out: dict[str, NetworkIndices] = {}
    orders, shown_orders = _orders(groups, present), _orders(groups, shown, pooled_last=False)
    e_list, i_list, answered_list, received_list = e_by.tolist(), i_by.tolist(), answered.tolist(), received.tolist()
    e_all, i_all, dens_list = e_team.tolist(), i_team.tolist(), dens.tolist()
    for t, name in enumerate(teams):
        order = orders[t]
        per_group = {names[g]: ei(e_list[t][g], i_list[t][g]) for g in shown_orders[t]}
        out[name] = NetworkIndices(
            ei(e_all[t], i_all[t]), per_group, dens_list[t],
            tuple(sorted(names[g] for g in order if not received_list[t][g])),
            {names[g]: answered_list[t][g] for g in order})
    return out


def wave_indices(instrument: Instrument, data: WaveData, k: int = MIN_K) -> dict[str, TeamIndices]:
    """Every team's pulse scores, role matrix and collaboration-map figures for one wave."""
    scores = fast_team_scores(instrument, data.teams, data.team, data.answers, k)
    matrices = fast_role_matrices(data.teams, data.professions, data.profession_roster, data.team,
                                  data.profession, data.role_answers, k)
    professions = fast_network_indices(data.teams, data.professions, data.profession_roster, data.team,
                                       data.profession, data.with_professions, k)
    agencies = fast_network_indices(data.teams, data.agencies, data.agency_roster, data.team, data.agency,
                                    data.with_agencies, k)
    return {name: TeamIndices(name, scores[name], matrices[name], professions[name], agencies[name])
            for name in data.teams}
