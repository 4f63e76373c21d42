"""`annot agree` of two annotators' versions of N records against one `annot validate` of N.

The second annotator's version is the first with every tenth record recoded (type, a topic,
the date) and every hundredth renamed, so that it pairs by content, not by id. agree parses a
file once when both versions hold it byte for byte: a third version, the second with its
annotator's name in every record, measures agree when no file is shared.

usage: python benchmarks/agree_speed.py [--records N] [--runs K]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_time, options, tool  # noqa: E402
from corpus import write_corpus  # noqa: E402


def main() -> None:
    args = options(__doc__ or "", records=20_000, runs=3)
    annot = tool("annot")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_corpus(args.records, root)
        shutil.copytree(root / "events", root / "b")
        for n, path in enumerate(sorted((root / "b").glob("*.yaml"))):
            if n % 10:
                continue
            text = path.read_text("utf-8").replace("type: consult", "type: agree", 1)
            text = text.replace("topics: [", "topics: [military, ", 1) if "military" not in text else text
            if n % 100 == 0:
                text = text.replace(f"id: {path.stem}", f"id: {path.stem}-b", 1)
                path.unlink()
                path = path.with_name(f"{path.stem}-b.yaml")
            path.write_text(text, "utf-8")
        (root / "c").mkdir()
        for path in (root / "b").glob("*.yaml"):
            text = path.read_text("utf-8").replace("annotator: Jane Doe", "annotator: John Roe", 1)
            (root / "c" / path.name).write_text(text, "utf-8")
        agree = best_time([annot, "agree", "events", "b"], root, args.runs)
        validate = best_time([annot, "validate", "events"], root, args.runs)
        distinct = best_time([annot, "agree", "events", "c"], root, args.runs)
    print(f"{args.records} records per annotator (best of {args.runs})")
    print(f"annot agree {agree:.2f} s, annot validate {validate:.2f} s: {agree / validate:.2f}x "
          "validate (target: under 2x)")
    print(f"annot agree, no file shared: {distinct:.2f} s, {distinct / validate:.2f}x validate")


if __name__ == "__main__":
    main()
