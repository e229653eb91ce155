"""Every corpus message parses to its expected result (see corpus/README.md)."""

import json
from pathlib import Path

import pytest

from steward.mail.parsing import parse_message

CORPUS = Path(__file__).parent / "corpus"
MESSAGES = sorted(CORPUS.glob("*.eml"))


def _check(parsed, expected: dict) -> list[str]:
    problems = []
    for key, want in expected.items():
        if key == "attachments":
            got = parsed.attachments
            if len(got) != len(want):
                problems.append(f"attachments: {[(a.filename, a.content_type) for a in got]} != {want}")
                continue
            for attachment, spec in zip(got, want):
                for field, value in spec.items():
                    actual = getattr(attachment, field)
                    if actual != value:
                        problems.append(f"attachment {attachment.filename!r}.{field}: {actual!r} != {value!r}")
        elif key == "headers":
            for name, value in want.items():
                if parsed.headers.get(name) != value:
                    problems.append(f"headers[{name}]: {parsed.headers.get(name)!r} != {value!r}")
        elif key == "warnings_contain":
            for fragment in want:
                if not any(fragment in warning for warning in parsed.warnings):
                    problems.append(f"no warning containing {fragment!r} in {parsed.warnings}")
        elif key.endswith("_not_contains"):
            actual = getattr(parsed, key.removesuffix("_not_contains"))
            problems += [f"{key}: {item!r} present" for item in want if item in actual]
        elif key.endswith("_contains"):
            actual = getattr(parsed, key.removesuffix("_contains"))
            problems += [f"{key}: {item!r} missing from {actual!r:.300}" for item in want if item not in actual]
        elif key == "references_len":
            if len(parsed.references) != want:
                problems.append(f"references_len: {len(parsed.references)} != {want}")
        elif key in ("references_first", "references_last"):
            actual = parsed.references[0 if key.endswith("first") else -1]
            if actual != want:
                problems.append(f"{key}: {actual!r} != {want!r}")
        elif key == "date":
            actual = parsed.date.isoformat() if parsed.date else None
            if actual != want:
                problems.append(f"date: {actual!r} != {want!r}")
        else:
            actual = getattr(parsed, key)
            if actual != want:
                problems.append(f"{key}: {actual!r} != {want!r}")
    return problems


def test_corpus_has_at_least_60_messages_each_with_expectations():
    assert len(MESSAGES) >= 60
    missing = [path.name for path in MESSAGES if not path.with_suffix(".json").exists()]
    assert missing == []


@pytest.mark.parametrize("path", MESSAGES, ids=lambda path: path.stem)
def test_corpus_message_parses_as_expected(path):
    # given
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))

    # when
    parsed = parse_message(path.read_bytes())

    # then
    assert _check(parsed, expected) == []
