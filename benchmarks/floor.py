"""The floor: the least a validator of these records must do, in one process.

Parses each record under FOLDER with PyYAML's libyaml loader (timestamps left as
strings, as JSON Schema needs them) and checks it with jsonschema_rs against the
schema; no rules, no positions, no messages. Prints how many records are invalid.

usage: python benchmarks/floor.py SCHEMA FILE-OR-FOLDER
"""

from __future__ import annotations

import json
import os
import sys

import jsonschema_rs
import yaml


class Loader(yaml.CSafeLoader):
    """libyaml's safe loader without the timestamp type."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as f:
        validator = jsonschema_rs.validator_for(json.load(f))
    given = sys.argv[2]
    files = [given] if os.path.isfile(given) else [
        os.path.join(folder, name) for folder, _, names in os.walk(given)
        for name in names if name.endswith((".yaml", ".yml"))]
    invalid = 0
    for file in files:
        with open(file, "rb") as f:
            invalid += not validator.is_valid(yaml.load(f, Loader=Loader))
    print(f"{invalid} invalid")


if __name__ == "__main__":
    main()
