#!/usr/bin/env python3
"""Reference vectors for Lectern's review scheduler, from an independent FSRS
implementation: py-fsrs (https://pypi.org/project/fsrs/), pinned below.

Lectern schedules with the Rust `fsrs` crate (FSRS-6, default parameters). This script
replays known histories (ratings with day gaps) through py-fsrs configured the same
way Lectern uses FSRS: no learning or relearning steps (a card's first answer goes
straight to a whole-day interval), no fuzzing, intervals rounded to whole days, at
least one. It prints JSON that is committed as tests/fixtures/review/fsrs-reference.json
and checked by tests/review/reference.rs. Not run by CI (it needs the network to install
py-fsrs); regenerate with:

    python3 -m venv /tmp/fsrs-venv && /tmp/fsrs-venv/bin/pip install fsrs==6.3.2
    /tmp/fsrs-venv/bin/python scripts/fsrs-reference.py > tests/fixtures/review/fsrs-reference.json
"""

import json
from datetime import datetime, timedelta, timezone

import fsrs
from fsrs import Card, Rating, Scheduler

PY_FSRS_VERSION = "6.3.2"

# Each history: (days since the previous answer, rating). The first gap is ignored
# (the first answer is on day 0). Ratings: 1 Again, 2 Hard, 3 Good, 4 Easy.
HISTORIES = {
    "good-on-time": (0.9, [(0, 3), (2, 3), (10, 3), (30, 3), (90, 3), (250, 3)]),
    "again-first": (0.9, [(0, 1), (1, 3), (3, 3), (8, 3), (20, 3)]),
    "lapse-after-a-month": (0.9, [(0, 3), (3, 3), (12, 3), (40, 1), (1, 3), (4, 3)]),
    "late-reviews": (0.9, [(0, 3), (20, 3), (100, 3), (400, 3)]),
    "early-reviews": (0.9, [(0, 3), (1, 3), (1, 3), (2, 3), (2, 3)]),
    "hard-and-easy": (0.9, [(0, 2), (2, 2), (5, 4), (20, 4), (60, 2), (30, 3)]),
    "easy-first": (0.9, [(0, 4), (8, 4), (30, 4), (120, 4)]),
    "repeated-lapses": (0.9, [(0, 1), (1, 1), (1, 1), (1, 3), (2, 1), (1, 3), (3, 3)]),
    "retention-0.8": (0.8, [(0, 3), (3, 3), (12, 3), (40, 3), (100, 1), (2, 3)]),
    "retention-0.97": (0.97, [(0, 3), (1, 3), (2, 3), (4, 2), (6, 3), (9, 4)]),
}

START = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


def replay(retention, steps):
    scheduler = Scheduler(
        desired_retention=retention,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )
    card = Card()
    day = 0
    out = []
    for i, (gap, rating) in enumerate(steps):
        if i > 0:
            day += gap
        at = START + timedelta(days=day)
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=at)
        out.append(
            {
                "day": day,
                "rating": rating,
                "stability": card.stability,
                "difficulty": card.difficulty,
                "interval_days": (card.due - at).days,
            }
        )
    return out


def main():
    print(
        json.dumps(
            {
                "generator": f"py-fsrs {PY_FSRS_VERSION} (scripts/fsrs-reference.py)",
                "parameters": list(Scheduler().parameters),
                "histories": [
                    {"name": name, "retention": retention, "steps": replay(retention, steps)}
                    for name, (retention, steps) in HISTORIES.items()
                ],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    assert fsrs.Scheduler is Scheduler
    main()
