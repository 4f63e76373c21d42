"""Write a benchmark corpus: an annotation repository of N valid records.

Each record is the seed audience's shape (about 45 lines: three participants,
four evidence quotes found in the shared source text, a related link), with
its own id, date, names, topics and quotes, so every check of `annot validate`
runs. Each quote is a passage of its own (3 to 12 words at a place of the
article drawn at random), as in a real corpus: the same four quotes in every
record let caches of compiled quotes hide what a quote costs.

usage: python benchmarks/corpus.py N FOLDER
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
SOURCE = "mali-usa-audience-2026-02-02.fr.txt"
TOPICS = ["diplomatic", "economic", "military", "terrorism", "intelligence", "human_security",
          "human_rights", "political_institutions", "legal", "migration", "health", "election"]
COUNTRIES = ["MLI", "USA", "FRA", "SEN", "NER", "BFA", "DZA", "MAR", "CIV", "GHA", "NGA", "DEU"]
PLACES = ["Bamako", "Dakar", "Niamey", "Ouagadougou", "Algiers", "Rabat", "Abidjan", "Accra"]
NAMES = ["Amadou", "Fatoumata", "Ibrahim", "Aïssata", "Moussa", "Mariam", "Oumar", "Kadiatou",
         "Nick", "Claire", "Jean", "Sofia", "Yusuf", "Léa", "Samuel", "Awa"]
SURNAMES = ["Diop", "Traoré", "Keïta", "Coulibaly", "Checker", "Martin", "Diallo", "Sow",
            "Ba", "Cissé", "Touré", "Haidara", "Konaté", "Sangaré"]

RECORD = """\
# yaml-language-server: $schema=../schema/event.schema.json
id: {id}
type: consult
mode: visit
date: {date}
location:
  place: {place}
  country: {country_a}
  basis: inferred
participants:
  - ref: host
    name: {name_a}
    title: Minister of Foreign Affairs
    organization: Government of {place}
    country: {country_a}
    role: recipient
  - ref: guest
    name: {name_b}
    title: Senior official, Bureau of African Affairs
    organization: Ministry of Foreign Affairs
    country: {country_b}
    role: actor
  - ref: ambassador
    name: null
    title: Ambassador
    country: {country_b}
    role: attendee
topics: [{topics}]
summary: A foreign minister received a senior official of another government.
source:
  title: Mali–États-Unis, audience du 2 février 2026
  language: fr
  text: sources/{source}
evidence:
  - about: /date
    quote: {quotes[0]}
  - about: /participants/0
    quote: {quotes[1]}
  - about: /participants/1
    quote: {quotes[2]}
  - about: /topics
    quote: {quotes[3]}
related: [{related}]
annotation:
  annotator: Jane Doe <jane@example.org>
  created: 2026-11-26T10:00:00Z
  status: draft
"""


def write_corpus(count: int, folder: Path, seed: int = 1) -> list[Path]:
    """Create the repository at `folder` with `count` records; their paths."""
    rng = random.Random(seed)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "events").mkdir(parents=True)
    (folder / "sources").mkdir()
    (folder / "annot.yaml").write_text("events: events\nsources: sources\n")
    shutil.copy(EXAMPLES / "sources" / SOURCE, folder / "sources" / SOURCE)
    words = (EXAMPLES / "sources" / SOURCE).read_text("utf-8").split()
    paths = []
    ids = [f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}-meeting-{i:05d}" for i in range(count)]
    for i, identifier in enumerate(ids):
        a, b = rng.sample(COUNTRIES, 2)
        text = RECORD.format(
            id=identifier, date=identifier[:10], place=rng.choice(PLACES),
            country_a=a, country_b=b,
            name_a=f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}",
            name_b=f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}",
            topics=", ".join(rng.sample(TOPICS, 3)), source=SOURCE,
            related=ids[i - 1] if i else ids[-1], quotes=[passage(words, rng) for _ in range(4)],
        )
        path = folder / "events" / f"{identifier}.yaml"
        path.write_text(text, "utf-8")
        paths.append(path)
    return paths


def passage(words: list[str], rng: random.Random) -> str:
    """A quote: a run of 3 to 12 words of the article, of 10 characters or more (the schema's
    least), as a YAML (JSON) double-quoted string."""
    while True:
        size = rng.randint(3, 12)
        first = rng.randrange(len(words) - size)
        quote = " ".join(words[first : first + size])
        if len(quote) >= 10:
            return json.dumps(quote, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    written = write_corpus(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"{len(written)} records in {sys.argv[2]}")
