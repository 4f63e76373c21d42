"""Language tags (BCP 47) as an annotator types them: `fr`, `pt-BR`, or a language's English name.

langcodes (MIT) checks a tag against the IANA subtag registry it ships; the
registry's descriptions give the tag for a name (French -> fr). Its
language_data extra (24 MB) would add names in every language: not worth it
for a hint.
"""

from __future__ import annotations

from functools import cache


def standard(raw: str) -> str | None:
    """`raw` as a valid BCP 47 tag in its standard case (FR-fr -> fr-FR), or None if it is not one."""
    import langcodes

    if not langcodes.tag_is_valid(raw):
        return None
    return str(langcodes.standardize_tag(raw))


def named(name: str) -> str | None:
    """The tag of the language called `name` in English (French -> fr), if any."""
    return _by_name().get(" ".join(name.casefold().split()))


@cache
def _by_name() -> dict[str, str]:
    from langcodes.registry_parser import parse_file
    from langcodes.util import data_filename

    found: dict[str, str] = {}
    path = data_filename("language-subtag-registry.txt")  # type: ignore[no-untyped-call]
    with open(path, encoding="utf-8") as registry:
        for entry in parse_file(registry):  # type: ignore[no-untyped-call]
            if entry.get("Type") != "language" or "Deprecated" in entry:
                continue
            for description in entry.get("Description", []):
                found.setdefault(description.casefold(), entry["Subtag"])
    return found
