"""Print the held-out NLU figures from `rasa test nlu` results and enforce the quality floor."""

import argparse
import json
import sys
from pathlib import Path
from typing import Dict

AGGREGATE_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}


def per_label(report: Dict) -> Dict[str, Dict]:
    """The per-intent (or per-entity) rows of a Rasa classification report."""
    return {k: v for k, v in report.items() if k not in AGGREGATE_KEYS and isinstance(v, dict)}


def main() -> int:
    """Prints accuracy, macro-F1, the weakest intents and entity F1; fails below the floor."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", type=Path, help="the --out directory of `rasa test nlu`")
    parser.add_argument("--min-macro-f1", type=float, default=0.90)
    args = parser.parse_args()

    intent_report = json.loads((args.results / "intent_report.json").read_text())
    accuracy = intent_report["accuracy"]
    macro_f1 = intent_report["macro avg"]["f1-score"]
    rows = per_label(intent_report)
    support = sum(row["support"] for row in rows.values())
    print(f"Held-out NLU ({support} messages, {len(rows)} intents)")
    print(
        f"  intent accuracy {accuracy:.3f}   macro-F1 {macro_f1:.3f}   "
        f"weighted-F1 {intent_report['weighted avg']['f1-score']:.3f}"
    )
    weakest = sorted(rows.items(), key=lambda item: item[1]["f1-score"])[:5]
    print(
        "  weakest intents: " + ", ".join(f"{name} {row['f1-score']:.2f}" for name, row in weakest)
    )
    for entity_report_path in sorted(args.results.glob("*Extractor_report.json")):
        entity_report = json.loads(entity_report_path.read_text())
        extractor = entity_report_path.name.replace("_report.json", "")
        entity_rows = per_label(entity_report)
        figures = ", ".join(
            f"{name} {row['f1-score']:.2f}"
            for name, row in sorted(entity_rows.items())
            if name != "no_entity"
        )
        print(f"  entities ({extractor}): {figures}")
    if macro_f1 < args.min_macro_f1:
        print(
            f"FAIL: macro-F1 {macro_f1:.3f} is below the floor {args.min_macro_f1:.2f}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
