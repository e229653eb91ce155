"""Mutated corpus messages: parse_message never raises and stays fast on any of them."""

import random
import time
from pathlib import Path

from steward.mail.parsing import ParsedMessage, parse_message

CORPUS = Path(__file__).parent / "corpus"
SEED = 20250303
ROUNDS = 32


def _mutate(raw: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(7)
    if not raw:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    if kind == 0:  # truncated anywhere
        return raw[: rng.randrange(len(raw))]
    if kind == 1:  # flipped bytes
        data = bytearray(raw)
        for _ in range(rng.randrange(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    lines = raw.split(b"\n")
    if kind == 2:  # duplicated header (and body) lines
        for _ in range(rng.randrange(1, 30)):
            i = rng.randrange(len(lines))
            lines[i:i] = [lines[i]] * rng.randrange(1, 50)
        return b"\n".join(lines)
    if kind == 3:  # dropped lines: lost boundaries, headers without bodies
        return b"\n".join(line for line in lines if rng.random() > 0.2)
    if kind == 4:  # shuffled chunk order
        rng.shuffle(lines)
        return b"\n".join(lines)
    if kind == 5:  # junk spliced in: encoded-word and MIME syntax fragments
        junk = rng.choice([b"=?utf-8?B?", b"?=", b"--", b"\r\n\r\n", b"boundary=", b"\xff\xfe", b"=\n", b"<", b"\"", b";;"])
        at = rng.randrange(len(raw))
        return raw[:at] + junk * rng.randrange(1, 100) + raw[at:]
    return raw + raw[: rng.randrange(len(raw))]  # a message glued to part of itself


def test_parse_message_never_raises_on_mutated_corpus():
    # given
    rng = random.Random(SEED)
    corpus = [path.read_bytes() for path in sorted(CORPUS.glob("*.eml"))]
    slowest = 0.0
    count = 0

    # when / then
    for _ in range(ROUNDS):
        for raw in corpus:
            mutated = _mutate(raw, rng)
            started = time.perf_counter()
            parsed = parse_message(mutated, max_attachment_bytes=rng.choice([None, 10, 100_000]))
            elapsed = time.perf_counter() - started
            slowest = max(slowest, elapsed)
            count += 1
            assert isinstance(parsed, ParsedMessage)
            assert isinstance(parsed.text, str) and isinstance(parsed.html, str)
            assert not any("parser error" in warning for warning in parsed.warnings), parsed.warnings
            assert elapsed < 2, f"{elapsed:.2f}s on a mutated message"
    assert count >= 3000
    print(f"{count} mutated messages, slowest {slowest * 1000:.1f} ms")


def test_parse_message_never_raises_on_random_bytes():
    rng = random.Random(SEED)
    for size in (0, 1, 10, 100, 1000, 10_000, 100_000):
        for _ in range(20):
            parsed = parse_message(rng.randbytes(size))
            assert isinstance(parsed, ParsedMessage)
