"""Load benchmark (issue 11): gunicorn under 32 concurrent raters, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_load.py [--seconds 5] [--users 32] [--out bench/RESULTS-load.md]

For each database: a fresh migrated database, `flourish serve` (gunicorn, 4 workers,
production settings) on a loopback port, and locust (as a library, headless) driving it:

1. floor – every user POSTs to a trivial view that writes one row (FLOURISH_BENCH_FLOOR=1,
   a bench-only URL), the cheapest write a request can make through the same stack;
2. submit – every user is a rater saving a questionnaire page again and again (CSRF token
   fetched first; each POST is one `save_page` transaction under the rater's lock);
3. journey – raters who answered all but the last page come back: they load the start
   page, load and answer the last page, load the review and send their feedback; each user
   takes the next rater link when done. Afterwards every journey the server confirmed
   (a redirect to the thank-you page) must have its submitted response stored (nothing lost).

Requests/s, p50/p99 latency and errors are recorded with a ratio to the floor measured in
the same run (target: submit >= 0.5x the floor, zero errors, zero lost). Each locust run is a
child process (locust patches the standard library with gevent; the parent does not).
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/flourish_bench")
WARM_UP = 2.0  # seconds of load before the statistics are reset


# --- the driver: one locust run in this (child) process ------------------------------------

def drive(base: str, scenario: str, seconds: float, users: int, tokens: list[str], processes: list[dict]) -> dict:
    import gevent
    from locust import HttpUser, constant, task
    from locust.env import Environment

    pool = list(tokens)
    finished = []
    steps = len(processes)
    csrf_re = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def answers(process, csrf):
        data = {f"item-{item}": "4" for item in process["items"]}
        return {**data, "comment": "", "continue": "", "csrfmiddlewaretoken": csrf}

    def cookie(user):
        # Production settings mark the CSRF cookie Secure, which a client keeps off plain
        # HTTP; loopback has no TLS, so send it back by hand, as a browser would over HTTPS.
        return {"csrftoken": user.client.cookies.get("csrftoken", "")}

    started = []

    class Floor(HttpUser):
        wait_time = constant(0)
        host = base

        @task
        def write_one_row(self):
            self.client.post("/bench/floor", name="floor: write one row", allow_redirects=False)

    class Submit(HttpUser):
        wait_time = constant(0)
        host = base

        def on_start(self):
            self.token = pool.pop()
            page = self.client.get(f"/r/{self.token}/process/1/", name="submit: load the page")
            self.csrf = csrf_re.search(page.text).group(1)
            started.append(self)

        @task
        def save_the_page(self):
            self.client.post(f"/r/{self.token}/process/1/", answers(processes[0], self.csrf), cookies=cookie(self),
                             name="submit: save a page", allow_redirects=False)

    class Journey(HttpUser):
        wait_time = constant(0)
        host = base

        @task
        def come_back_and_send(self):
            if not pool:  # every link used: idle rather than spin
                gevent.sleep(0.5)
                return
            token = pool.pop()
            self.client.get(f"/r/{token}/", name="journey: start page")
            page = self.client.get(f"/r/{token}/process/{steps}/", name="journey: load the last page")
            self.client.post(f"/r/{token}/process/{steps}/", answers(processes[-1], csrf_re.search(page.text).group(1)),
                             cookies=cookie(self), name="journey: save the last page", allow_redirects=False)
            review = self.client.get(f"/r/{token}/review/", name="journey: review page")
            sent = self.client.post(f"/r/{token}/review/",
                                    {"csrfmiddlewaretoken": csrf_re.search(review.text).group(1)},
                                    cookies=cookie(self), name="journey: send the feedback", allow_redirects=False)
            if sent.status_code == 302 and sent.headers.get("Location", "").endswith("/thank-you/"):
                finished.append(token)

    user_class = {"floor": Floor, "submit": Submit, "journey": Journey}[scenario]
    env = Environment(user_classes=[user_class])
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    measured = {}

    def measure():
        gevent.sleep(WARM_UP)
        if scenario == "submit":  # every rater has loaded their page (and CSRF token) first
            while len(started) < users:
                gevent.sleep(0.1)
        env.stats.reset_all()
        measured["start"] = gevent.get_hub().loop.now()
        gevent.sleep(seconds)
        runner.quit()

    gevent.spawn(measure)
    runner.greenlet.join()
    elapsed = gevent.get_hub().loop.now() - measured["start"]
    rows = []
    for (name, method), entry in sorted(env.stats.entries.items()):
        if not entry.num_requests:
            continue
        rows.append({
            "name": name, "method": method, "requests": entry.num_requests, "failures": entry.num_failures,
            "rps": entry.num_requests / elapsed, "p50": entry.get_response_time_percentile(0.5),
            "p99": entry.get_response_time_percentile(0.99),
        })
    total = env.stats.total
    return {
        "scenario": scenario, "seconds": elapsed, "rows": rows,
        "requests": total.num_requests, "failures": total.num_failures, "rps": total.num_requests / elapsed,
        "p50": total.get_response_time_percentile(0.5), "p99": total.get_response_time_percentile(0.99),
        "errors": [f"{e.method} {e.name}: {e.error} ({e.occurrences}x)" for e in env.stats.errors.values()],
        "journeys_finished": len(finished), "finished_tokens": finished,
    }


# --- the orchestration (no gevent here) ------------------------------------------------------

def run_driver(base, scenario, seconds, users, cycle) -> dict:
    spec = Path(tempfile.mkstemp(suffix=".json")[1])
    spec.write_text(json.dumps({"tokens": cycle["tokens"], "processes": cycle["processes"]}))
    try:
        done = subprocess.run([sys.executable, __file__, "--drive", base, "--scenario", scenario, "--seconds",
                               str(seconds), "--users", str(users), "--spec", str(spec)],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
    finally:
        spec.unlink()
    if done.returncode != 0:
        raise SystemExit(f"locust driver failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def postgres_reachable() -> bool:
    if not shutil.which("pg_isready"):
        return False
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False).returncode == 0


def bench_database(kind: str, folder: Path, seconds: float, users: int) -> dict:
    from flourish.ops.tests.livesite import postgres_database, seed, sqlite_database, start_server, stop_server

    url = sqlite_database(folder) if kind == "SQLite" else postgres_database(POSTGRES, suffix="_load")
    # Enough rater links for every user of the submit run and for every journey of the run.
    submit_cycle = seed(url, "cycle", "--raters", str(users), "--answered", "none")
    journey_cycle = seed(url, "cycle", "--raters", str(max(4 * users, 128)), "--answered", "all-but-last")
    server = start_server(url, folder, workers=4, extra_env={"FLOURISH_BENCH_FLOOR": "1", "LOG_LEVEL": "ERROR"})
    try:
        results = {
            "floor": run_driver(server.base, "floor", seconds, users, {"tokens": [], "processes": []}),
            "submit": run_driver(server.base, "submit", seconds, users, submit_cycle),
            "journey": run_driver(server.base, "journey", seconds, users, journey_cycle),
        }
    finally:
        stop_server(server)
    finished = folder / "finished.json"
    finished.write_text(json.dumps(results["journey"].pop("finished_tokens")))
    stored = seed(url, "submitted-of", str(finished))["submitted"]
    # A journey the server confirmed whose response is not stored, submitted, is lost.
    results["lost"] = results["journey"]["journeys_finished"] - stored
    results["stored"] = stored
    return results


def table(kind: str, results: dict) -> list[str]:
    floor = results["floor"]["rps"]
    lines = [f"### {kind}", "",
             "| scenario / request | requests | errors | requests/s | ratio to floor | p50 (ms) | p99 (ms) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for scenario in ("floor", "submit", "journey"):
        run = results[scenario]
        for row in run["rows"]:
            lines.append(f"| {row['name']} | {row['requests']} | {row['failures']} | {row['rps']:.1f} | "
                         f"{row['rps'] / floor:.2f}x | {row['p50']:.0f} | {row['p99']:.0f} |")
        if scenario == "journey":
            lines.append(f"| journey: all requests | {run['requests']} | {run['failures']} | {run['rps']:.1f} | "
                         f"{run['rps'] / floor:.2f}x | {run['p50']:.0f} | {run['p99']:.0f} |")
    submit = results["submit"]["rps"]
    errors = sum(results[s]["failures"] for s in ("floor", "submit", "journey"))
    met = submit >= 0.5 * floor and errors == 0 and results["lost"] == 0
    lines += ["", f"Journeys the server confirmed (thank-you page): "
              f"{results['journey']['journeys_finished']}; of them stored as submitted: {results['stored']}; "
              f"lost: {results['lost']}"
              + (" (no journey finished in the window: the check had nothing to check)" if not
                 results["journey"]["journeys_finished"] else "") + ".  ",
              f"Target: rater submit >= 0.5x the floor, zero errors, zero lost: **{'met' if met else 'NOT met'}** "
              f"(submit {submit:.1f} requests/s = {submit / floor:.2f}x the floor's {floor:.1f}; {errors} errors; "
              f"{results['lost']} lost)."]
    for scenario in ("floor", "submit", "journey"):
        for error in results[scenario]["errors"]:
            lines.append(f"- error ({scenario}): {error}")
    return lines + [""]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS-load.md"))
    parser.add_argument("--drive")
    parser.add_argument("--scenario")
    parser.add_argument("--spec")
    args = parser.parse_args()
    if args.drive:
        spec = json.loads(Path(args.spec).read_text())
        result = drive(args.drive, args.scenario, args.seconds, args.users, spec["tokens"], spec["processes"])
        print(json.dumps(result))
        return

    sections = []
    kinds = ["SQLite"] + (["PostgreSQL"] if postgres_reachable() else [])
    for kind in kinds:
        with tempfile.TemporaryDirectory(prefix="flourish-load-") as folder:
            print(f"load benchmark on {kind} ...", flush=True)
            results = bench_database(kind, Path(folder), args.seconds, args.users)
            sections += table(kind, results)
            print("\n".join(table(kind, results)), flush=True)
    if "PostgreSQL" not in kinds:
        sections += ["PostgreSQL: not reachable on 127.0.0.1:5432 in this run, so not measured.", ""]
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    import gunicorn
    import locust

    lines = [
        "## Load: gunicorn under 32 concurrent raters (issue 11)",
        "",
        f"Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC  ",
        f"Machine: {platform.platform()}, {cpu} ({os.cpu_count()} CPUs), Python {platform.python_version()}  ",
        f"`flourish serve` (gunicorn {gunicorn.__version__}, 4 sync workers, DEBUG=false) on loopback, driven by "
        f"locust {locust.__version__} (headless, in the same machine) with {args.users} users and no think time; "
        f"{args.seconds:g} s measured per scenario after {WARM_UP:g} s of warm-up.  ",
        "Floor: a bench-only view (FLOURISH_BENCH_FLOOR=1) that writes one row through the same stack. "
        "Submit: a rater saving a questionnaire page (CSRF, rate limit, token lookup, one `save_page` "
        "transaction). Journey: raters coming back to load and answer the last page, review and send.  ",
        f"Load average at the end: {os.getloadavg()[0]:.1f}",
        "",
        *sections,
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
