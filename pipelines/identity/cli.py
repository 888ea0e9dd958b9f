"""`dukcapil identity review` and `dukcapil identity train`."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
from pathlib import Path


def cmd_identity_review(args: argparse.Namespace) -> int:
    from pipelines.identity import review
    from pipelines.warehouse import connect, migrate

    migrate()
    with connect() as conn, conn.cursor() as cur:
        if args.decide:
            node_l, node_r, verdict = args.decide
            review.decide(cur, node_l, node_r, verdict, args.reviewer)
            print(f"recorded: {verdict} (acted on by the next night)")
            return 0
        for pair in review.open_pairs(cur, args.limit):
            print(f"{pair['node_l']} {pair['node_r']}  persons {pair['person_l']} / {pair['person_r']}"
                  f"  weight {pair['match_weight']}  {json.dumps(pair['weights'], sort_keys=True)}")
    return 0


def cmd_identity_train(args: argparse.Namespace) -> int:
    from pipelines.identity.scoring import MODEL_VERSION, model_path
    from pipelines.identity.train import train
    from pipelines.identity.features import node_features, read_night

    out = args.out or model_path(MODEL_VERSION + 1)
    train(node_features(read_night(args.exports, args.night)), out)
    print(f"model written to {out}; set MODEL_VERSION in pipelines/identity/scoring.py to use it")
    return 0


def add_identity_commands(subparsers) -> None:
    identity = subparsers.add_parser("identity", help="single identity: review queue and model training")
    commands = identity.add_subparsers(dest="identity_command", required=True)
    review = commands.add_parser("review", help="list uncertain pairs, or record a reviewer's verdict",
                                 description="Without --decide: lists undecided pairs, strongest first, with "
                                             "the match weight each comparison contributed.")
    review.add_argument("--limit", type=int, default=50, help="how many pairs to list (default 50)")
    review.add_argument("--decide", nargs=3, metavar=("NODE_L", "NODE_R", "same|different"),
                        help="record a verdict on one listed pair; honoured every later night")
    review.add_argument("--reviewer", default=getpass.getuser(), help="who decided (default: the login name)")
    review.set_defaults(func=cmd_identity_review)
    train = commands.add_parser("train", help="retrain the Splink model from a night's exports (no answer key)",
                                description="Estimates the model without labels (u from random pairs, m by "
                                            "expectation maximisation) and writes a new versioned model JSON "
                                            "under pipelines/identity/model/.")
    train.add_argument("--exports", "--sample", type=Path, required=True,
                       help="a folder holding <night>/<KODE_KAB>.csv district exports")
    train.add_argument("--night", type=dt.date.fromisoformat, required=True, help="the night to train on")
    train.add_argument("--out", type=Path, help="where to write the model (default: the next version)")
    train.set_defaults(func=cmd_identity_train)
