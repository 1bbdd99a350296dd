"""The engine is chosen in one place, every local engine gives the same check, and the
inputs module says what to tell the user instead of printing it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.check.findings import run_check
from dedup.config import load_config
from dedup.core.settings import Settings
from dedup.engines.choice import Engine, EngineChoice, choose, find
from dedup.errors import UsageError
from dedup.inputs.sources import Inputs, JsonlOptions

REPEAT = "The same paragraph, word for word, written in two places of the corpus."


@pytest.mark.parametrize(
    ("option", "scheduler", "against", "chosen"),
    [
        (EngineChoice.LOCAL, None, None, Engine.STREAM),
        (EngineChoice.LOCAL, None, "a.db", Engine.MEMORY),
        (EngineChoice.DASK, None, None, Engine.DASK),
        (EngineChoice.DASK, "tcp://h:8786", None, Engine.DASK),
    ],
)
def test_choose(
    option: EngineChoice, scheduler: str | None, against: str | None, chosen: Engine
) -> None:
    assert choose(option, scheduler=scheduler, against=against) is chosen


@pytest.mark.parametrize(
    ("option", "scheduler", "against", "message"),
    [
        (EngineChoice.LOCAL, "tcp://h:8786", None, "--scheduler needs --engine dask"),
        (EngineChoice.DASK, None, "a.db", "--against works with the local engine"),
        # both wrong: --against is named first, as before the engine was chosen here
        (EngineChoice.LOCAL, "tcp://h:8786", "a.db", "--against works with the local engine"),
    ],
)
def test_choose_refuses(
    option: EngineChoice, scheduler: str | None, against: str | None, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        choose(option, scheduler=scheduler, against=against)


def corpus(root: Path) -> Inputs:
    (root / "a.md").write_text(f"Opening words.\n\n{REPEAT}\n", encoding="utf-8")
    (root / "b.jsonl").write_text(
        f'{{"text": "{REPEAT}"}}\nnot json\n{{"id": 1, "text": "x"}}\n', encoding="utf-8"
    )
    return Inputs.found(
        [str(root / "a.md"), str(root / "b.jsonl")], load_config(cwd=root), None, JsonlOptions()
    )


def test_the_memory_and_the_streaming_engine_give_the_same_check(tmp_path: Path) -> None:
    inputs = corpus(tmp_path)
    streamed = run_check(inputs, Settings(), engine=Engine.STREAM)
    held = run_check(list(inputs.documents()), Settings(), engine=Engine.MEMORY)
    assert streamed.findings == held.findings and streamed.findings
    assert streamed.summary() == held.summary()


def test_an_engine_refuses_the_documents_of_another(tmp_path: Path) -> None:
    inputs = corpus(tmp_path)
    docs = list(inputs.documents())
    with pytest.raises(ValueError, match="streaming engine"):
        find(Engine.STREAM, docs, Settings())
    with pytest.raises(ValueError, match="streaming engine"):
        find(Engine.STREAM, inputs, Settings(), keep_prepared=True)
    with pytest.raises(ValueError, match="memory engine"):
        find(Engine.MEMORY, inputs, Settings())
    with pytest.raises(ValueError, match="dask engine"):
        find(Engine.DASK, docs, Settings())
    report, prepared = find(Engine.MEMORY, docs, Settings(), keep_prepared=True)
    assert len(prepared) == len(docs) == len(report.documents)


def test_inputs_say_what_to_tell_and_print_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = corpus(tmp_path)
    list(inputs.documents())
    notes = inputs.notes()
    assert any("skipped 1" in line for line in notes), notes
    assert capsys.readouterr() == ("", "")
