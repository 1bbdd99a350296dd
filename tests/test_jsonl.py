"""JSONL corpora: cross-record cleaning, provenance, compressed input, unusable lines."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import zstandard
from typer.testing import CliRunner

from dedup.cli import app

WIRE = "The central bank raised its key interest rate by a quarter point, citing inflation."
OTHER = "Shares closed higher in thin holiday trading, with banks leading the gains."
RECORDS = [
    {"id": "a1", "lang": "en", "text": f"{WIRE}\n\nFirst story continues here with its own words."},
    {"id": "a2", "lang": "en", "text": f"{OTHER}\n\n{WIRE}", "meta": {"n": [1, 2]}},
    {"id": "a3", "lang": "de", "text": "Ganz anders: ein eigener Absatz ohne Wiederholung."},
    {"id": "a4", "text": WIRE},
]


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)


def write_jsonl(path: str, records: list[object], extra: str = "") -> bytes:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records) + extra
    Path(path).write_text(data, encoding="utf-8")
    return data.encode()


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_round_trip_keeps_order_fields_and_untouched_lines() -> None:
    original = write_jsonl("c.jsonl", RECORDS)
    code, _, err = invoke("clean", "c.jsonl", "--id-field", "id", "-o", "out.jsonl",
                          "--notes", "removed.jsonl")  # fmt: skip
    assert code == 0, err
    out = Path("out.jsonl").read_bytes().splitlines(keepends=True)
    lines = original.splitlines(keepends=True)
    assert len(out) == 4
    assert out[0] == lines[0] and out[2] == lines[2]  # untouched records: same bytes
    second = json.loads(out[1])
    assert second == {**RECORDS[1], "text": OTHER}  # no final line break before, none after
    fourth = json.loads(out[3])
    assert fourth == {**RECORDS[3], "text": ""}
    notes = [json.loads(x) for x in Path("removed.jsonl").read_text().splitlines()]
    assert [(n["record"], n["paragraph"], n["kind"]) for n in notes] == [
        ("a2", 2, "exact"), ("a4", 1, "exact")
    ]  # fmt: skip
    assert all(n["duplicate_of"] == {"record": "a1", "line": 1, "paragraph": 1, "lines": [1, 1]}
               for n in notes)  # fmt: skip


def test_notes_field_and_drop_empty() -> None:
    write_jsonl("c.jsonl", RECORDS)
    code, out, err = invoke("clean", "c.jsonl", "--notes-field", "dedup", "--drop-empty", "-q")
    assert code == 0, err
    records = [json.loads(x) for x in out.splitlines()]
    assert [r.get("id") for r in records] == ["a1", "a2", "a3"]  # a4 became empty
    assert records[1]["dedup"][0]["duplicate_of"]["record"] == "1"  # line numbers by default
    assert "dedup" not in records[0]


@pytest.mark.parametrize("compression", ["gz", "zst"])
def test_compressed_input_detected_by_content(compression: str) -> None:
    data = write_jsonl("plain.jsonl", RECORDS)
    packed = gzip.compress(data) if compression == "gz" else zstandard.compress(data)
    Path(f"c.jsonl.{compression}").write_bytes(packed)
    code, out, err = invoke("check", f"c.jsonl.{compression}", "--format", "json", "-q")
    assert code == 1, err
    assert json.loads(out)["summary"]["duplicates"] == 2
    # Detected by content: a gzip file named .jsonl is read too.
    Path("misnamed.jsonl").write_bytes(gzip.compress(data))
    assert invoke("check", "misnamed.jsonl", "-q")[0] == 1


BAD = 'not json\n{"id": "x"}\n{"text": 3}\n[1, 2]\n'


def test_unusable_lines_are_skipped_and_counted() -> None:
    write_jsonl("c.jsonl", RECORDS, extra=BAD)
    code, out, err = invoke("clean", "c.jsonl", "--notes", "n.json")
    assert code == 0
    assert err.startswith(
        "dedup: c.jsonl: skipped 4 unusable lines "
        "(first: line 5: not valid JSON (Expecting value, column 1))\n"
    )
    assert out.endswith(BAD)  # passed through, not lost
    notes = json.loads(Path("n.json").read_text())
    assert [e["line"] for e in notes["errors"]] == [5, 6, 7, 8]
    assert notes["errors"][1]["problem"] == "no 'text' field"
    assert notes["errors"][2]["problem"] == "'text' is int, not a string"
    assert notes["summary"]["lines_skipped"] == 4


def test_unusable_line_is_fatal_on_request() -> None:
    write_jsonl("c.jsonl", RECORDS, extra=BAD)
    code, out, err = invoke("clean", "c.jsonl", "--on-error", "fail")
    assert (code, out) == (2, "")
    assert err == "error: c.jsonl: line 5: not valid JSON (Expecting value, column 1)\n"
    code, _, err = invoke("check", "c.jsonl", "--on-error", "fail")
    assert code == 2


def test_check_reports_records_by_id() -> None:
    write_jsonl("c.jsonl", RECORDS)
    code, out, _ = invoke("check", "c.jsonl", "--id-field", "id")
    assert code == 1
    assert out.splitlines()[0] == (
        'c.jsonl#a2:3:1: dedup/exact: "The central bank raised its key interest rate …" '
        "repeats c.jsonl#a1:1 (similarity 1.00)"
    )


def test_other_text_field() -> None:
    write_jsonl("c.jsonl", [{"body": r["text"]} for r in RECORDS])
    assert invoke("check", "c.jsonl", "--text-field", "body", "-q")[0] == 1


def test_truncated_gzip_is_one_error_line() -> None:
    data = gzip.compress(write_jsonl("plain.jsonl", RECORDS * 50))
    Path("c.jsonl.gz").write_bytes(data[: len(data) // 2])
    code, out, err = invoke("check", "c.jsonl.gz", "-q")
    assert (code, out) == (2, "")
    assert err.startswith("error: c.jsonl.gz: truncated or corrupt gzip data (")
    assert err.count("\n") == 1


def test_jobs_do_not_change_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dedup.engines.stream.CHUNK_CHARS", 2_000)  # many chunks for the workers
    many = [{"text": f"{WIRE} Story {i % 7}.\n\n{OTHER} Number {i % 5}."} for i in range(300)]
    write_jsonl("c.jsonl", many)
    one = invoke("check", "c.jsonl", "--format", "json", "-q", "--jobs", "1")
    two = invoke("check", "c.jsonl", "--format", "json", "-q", "--jobs", "2")
    assert one == two
    assert json.loads(one[1])["summary"]["duplicates"] > 0
    clean_one = invoke("clean", "c.jsonl", "-q", "--jobs", "1", "--notes", "n1.jsonl")
    clean_two = invoke("clean", "c.jsonl", "-q", "--jobs", "2", "--notes", "n2.jsonl")
    assert clean_one == clean_two
    assert Path("n1.jsonl").read_bytes() == Path("n2.jsonl").read_bytes()


def test_clean_parses_again_only_the_records_that_hold_a_candidate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pass 2 rereads only candidate records; the other lines are read once, then copied."""
    import dedup.inputs.jsonl

    words = [f"w{i}" for i in range(400)]
    unrelated = [{"text": " ".join(words[i * 10 : i * 10 + 10])} for i in range(40)]  # no overlap
    write_jsonl("c.jsonl", [RECORDS[0], *unrelated, RECORDS[3]])
    parsed: list[bytes] = []
    real = dedup.inputs.jsonl.parse_record

    def spy(raw: bytes, text_field: str) -> tuple[dict[str, object], str | None]:
        parsed.append(raw)
        return real(raw, text_field)

    monkeypatch.setattr(dedup.inputs.jsonl, "parse_record", spy)
    code, out, err = invoke("clean", "c.jsonl", "-q", "--jobs", "1")
    assert code == 0, err
    assert json.loads(out.splitlines()[-1])["text"] == ""  # the last record repeated the first
    # 42 lines: read by pass 1, then by the writer; of them only the 2 candidates are reread.
    assert len(parsed) == 42 + 2 + 42


def test_a_corpus_with_no_usable_record_is_an_error() -> None:
    write_jsonl("c.jsonl", RECORDS)
    for command in ("check", "clean"):
        code, out, err = invoke(command, "c.jsonl", "--text-field", "body")
        assert (code, out) == (2, "")
        assert err == (
            "error: c.jsonl: no usable record: all 4 lines skipped "
            "(first: line 1: no 'body' field)\n"
        )


def test_check_reports_skipped_lines_like_clean() -> None:
    write_jsonl("c.jsonl", RECORDS, extra=BAD)
    _, _, err = invoke("check", "c.jsonl")
    assert err.startswith(
        "dedup: c.jsonl: skipped 4 unusable lines "
        "(first: line 5: not valid JSON (Expecting value, column 1))\n"
    )


def test_missing_and_duplicate_ids_are_announced() -> None:
    write_jsonl("c.jsonl", [{"id": "x", "text": WIRE}, {"id": "x", "text": OTHER}, {"text": "y"}])
    _, _, err = invoke("check", "c.jsonl", "--id-field", "id")
    assert "dedup: c.jsonl: 1 record without an 'id' field, named by line number\n" in err
    assert "dedup: c.jsonl: 1 record id used more than once; FILE#ID names are ambiguous" in err


def test_a_lone_surrogate_is_an_unusable_line_not_a_traceback() -> None:
    """JSON's ``\\ud800`` escape decodes to text no encoding can write."""
    line = json.dumps({"text": "Hello \ud800 world, said here and more."})
    Path("s.jsonl").write_text(f"{line}\n{line}\n", encoding="utf-8")
    code, _, err = invoke("check", "s.jsonl", "--on-error", "fail")
    assert (code, err) == (
        2,
        "error: s.jsonl: line 1: 'text' holds a lone surrogate (\\ud800): not Unicode text\n",
    )


LENIENT_LINES = [
    b'{"id": 123456789012345678901234567890, "text": "a"}',  # orjson: a float
    b'{"id": -9223372036854775809, "text": "a"}',
    b'{"id": 18446744073709551615, "text": "a"}',
    b'\xef\xbb\xbf{"id": 1, "text": "a"}',  # a byte order mark
    b'{"id": NaN, "text": "a"}',
    b'{"id": 1e400, "text": "a"}',
    b'{"id": 1.10, "text": "a\\u0000b"}',
    b'{"id": 1, "text": "\\ud800"}',  # a lone surrogate: refused by name
    b'{"id": 1, "text": "\xed\xa0\x80"}',
    b'{"id": 1, "id": 2, "text": "a"}',
    b'{"text": "a",}',
    b'{"text": "\xff"}',
    b"[" * 600 + b"]" * 600,
    b'{"text": "caf\xc3\xa9"}\r\n',
]


@pytest.mark.parametrize("raw", LENIENT_LINES)
def test_records_parse_as_the_json_module_parses_them(raw: bytes) -> None:
    from dedup.inputs import jsonl

    try:
        want: object = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        want = type(exc)
    got, problem = jsonl.parse_record(raw, "text")
    if isinstance(want, dict):
        assert list(got.items()) == list(want.items()) or (
            want.get("id") != want.get("id")  # NaN
        )
        assert type(got.get("id")) is type(want.get("id"))
    else:
        assert problem is not None
