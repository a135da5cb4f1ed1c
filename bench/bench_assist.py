"""Assisted-coding benchmark: suggestions for 10,000 units on the CPU.

10,000 synthetic transcript sentences (about integrated children's services, built from
phrase pools with a fixed seed) are embedded with the bundled all-MiniLM-L6-v2 model
(`flourish.qualitative.assist.embedding`, offline, torch on the CPU) and scored against the
framework's eight codes (`assist.scoring`): similarity to each code's prototype, then the
classifier path (one logistic regression per code trained on 2,000 other sentences labelled
with their nearest code, then applied to the 10,000). Times are medians of repeated runs.
The baseline, measured in the same run, is a trivial pass over the same strings (lower-case
and split into words), so the ratio column can be compared across machines; the tokenizer
alone is shown too. Needs the assist extra (`make assist`). Writes bench/RESULTS-assist.md.
"""

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from timing import median_time  # noqa: E402

from flourish.qualitative import codebook  # noqa: E402
from flourish.qualitative.assist import embedding, scoring  # noqa: E402

ROOT = Path(__file__).resolve().parent
FRAMEWORK = ROOT.parent / "flourish" / "frameworks" / "data" / "vaggers-anderson.yaml"
WHO = ["I", "We", "The health visitor", "Our family worker", "The head teacher", "The social worker", "She",
       "The team", "My deputy", "The school nurse", "Housing", "The midwife"]
DID = ["rang", "met", "sat down with", "argued with", "planned a route with", "tried a pilot with",
       "had a coffee with", "listened to", "wrote the plan with", "shared the numbers with", "supported",
       "let down", "trusted", "challenged"]
WHOM = ["the parents", "the school", "the GP surgery", "the drop-in", "health partners", "the new manager",
        "the family", "the council", "the police", "the nursery", "the youth team", "a grandmother"]
WHY = ["before the change to the clinic", "after the row about thresholds", "because the form did not fit",
       "to see what would happen", "so that nobody fell through the gap", "when the funding was cut",
       "even though it was not our job", "and it felt easy for once", "to help her grow into the role",
       "because we had promised to be honest", "without telling anyone", "every week for a year"]


def sentences(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    pick = lambda pool: pool[int(rng.integers(0, len(pool)))]  # noqa: E731
    return [f"{pick(WHO)} {pick(DID)} {pick(WHOM)} {pick(WHY)}." for _ in range(n)]


def code_texts() -> list[list[str]]:
    framework = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
    version = SimpleNamespace(slug=framework.get("slug", "vaggers-anderson"), processes=framework["processes"])
    return [[t for t in (c["definition"], c["inclusion"], *c["examples"]) if t]
            for c in codebook.framework_codes(version)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the embedding step (median)")
    args = parser.parse_args()
    if not embedding.available():
        sys.exit(embedding.ASSIST_HELP)
    import torch

    texts = sentences(args.units, seed=1)
    train_texts = sentences(2_000, seed=2)
    t = time.perf_counter()
    model = embedding.model()
    t_load = time.perf_counter() - t
    baseline = median_time(lambda: [s.lower().split() for s in texts], 7)
    t_tokens = median_time(lambda: model.tokenizer(texts, padding=True, truncation=True), 3)
    groups_texts = code_texts()
    flat = [x for g in groups_texts for x in g]
    t_codes = median_time(lambda: embedding.embed(flat), 3)
    vectors = embedding.embed(flat)
    bounds = np.cumsum([0] + [len(g) for g in groups_texts])
    groups = [vectors[bounds[i]:bounds[i + 1]] for i in range(len(groups_texts))]
    units = embedding.embed(texts)
    t_embed = median_time(lambda: embedding.embed(texts), args.repeat)
    protos = scoring.prototypes(groups, units.shape[1])
    t_sim = median_time(lambda: scoring.select(scoring.similarity(units, protos)), 7)
    found = scoring.select(scoring.similarity(units, protos))
    train_x = embedding.embed(train_texts)
    nearest = scoring.similarity(train_x, protos).argmax(axis=1)
    labels = np.eye(len(groups), dtype=bool)[nearest]
    t_train = median_time(lambda: scoring.train(train_x, labels), 3)
    models = scoring.train(train_x, labels)
    t_predict = median_time(lambda: scoring.select(scoring.similarity(units, protos),
                                                   scoring.probabilities(models, units, len(groups))), 3)
    rows = [
        ("Tokenizer only, 10,000 units", t_tokens),
        (f"Embed the codebook ({len(flat)} texts of {len(groups)} codes)", t_codes),
        (f"Embed {len(texts):,} units", t_embed),
        (f"Similarity + selection, {len(texts):,} units x {len(groups)} codes", t_sim),
        (f"Train the classifiers ({len(models)} codes, 2,000 adjudicated units)", t_train),
        (f"Classifier + selection, {len(texts):,} units", t_predict),
        (f"Suggestions for {len(texts):,} units, end to end (embed + classifier path)",
         t_embed + t_codes + t_train + t_predict),
    ]
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "## Assisted coding: suggestions for 10,000 units on the CPU (issue 6)",
        "",
        f"Date: {now}  ",
        f"Machine: {platform.platform()}, {platform.processor() or platform.machine()} "
        f"({os.cpu_count()} logical CPUs), no GPU used  ",
        f"Python {platform.python_version()}, torch {torch.__version__} ({torch.get_num_threads()} threads), "
        f"numpy {np.__version__}, model {embedding.MODEL_NAME} (bundled, offline)  ",
        f"Data: {len(texts):,} synthetic transcript sentences, {sum(map(len, texts)):,} characters; "
        f"batch size {embedding.BATCH_SIZE}; embedding time = median of {args.repeat} runs.  ",
        f"Model load (once per process, cold): {t_load:.1f} s.  ",
        f"Baseline = lower-case + split into words of the same strings: {baseline * 1000:.1f} ms (median).  ",
        f"Embedding throughput: {len(texts) / t_embed:,.0f} units/s. Similarity suggestions at the default "
        f"threshold ({scoring.SIMILARITY_THRESHOLD}): {len(found):,}. "
        f"Load average at the end: {os.getloadavg()[0]:.1f} (1 min).",
        "",
        "| Step | Median (s) | Ratio to baseline |",
        "|---|---:|---:|",
    ]
    out += [f"| {name} | {t:.3f} | {t / baseline:,.0f}x |" for name, t in rows]
    out += ["", "Embedding dominates; scoring and the classifier are a small share. Runs on the server's "
            "CPU only: nothing is sent anywhere."]
    text = "\n".join(out) + "\n"
    (ROOT / "RESULTS-assist.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
