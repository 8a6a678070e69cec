"""Speech engines: the real espeak-ng program renders WAV files; sherpa-onnx is
optional and says clearly what is missing."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from drivers.problem import ProblemError
from kiosk.voice import engine as engine_mod
from kiosk.voice.engine import EspeakEngine, SherpaOnnxEngine, make_engines, pick_engine


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return wav.getnframes() / wav.getframerate()


@pytest.mark.parametrize(("lang", "text"), [("zh", "个人，价税合计一百一十八元九角。"),
                                            ("en", "-v is not an option: it is spoken.")])
def test_espeak_renders_a_wav_in_each_language(tmp_path: Path, lang: str, text: str) -> None:
    engine = EspeakEngine()
    assert engine.problem() is None
    assert (engine.voice("zh"), engine.voice("en")) == ("cmn", "en")
    out = tmp_path / "out.wav"
    engine.render(text, lang, out)
    assert _wav_seconds(out) > 0.5


def test_espeak_missing_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    engine = EspeakEngine(program="espeak-ng-not-installed")
    problem = engine.problem()
    assert problem is not None and problem.code == "voice.espeak_missing"
    with pytest.raises(ProblemError) as err:
        engine.render("你好", "zh", tmp_path / "x.wav")
    assert err.value.problem.code == "voice.espeak_missing"
    assert pick_engine([engine], "zh") is None


def test_espeak_refuses_a_language_it_has_no_voice_for(tmp_path: Path) -> None:
    with pytest.raises(ProblemError) as err:
        EspeakEngine().render("bonjour", "fr", tmp_path / "x.wav")
    assert err.value.problem.code == "voice.no_language"


def test_sherpa_not_installed_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(engine_mod.importlib.util, "find_spec", lambda name: None)
    engine = SherpaOnnxEngine(tmp_path)
    problem = engine.problem()
    assert problem is not None and problem.code == "voice.sherpa_missing"
    with pytest.raises(ProblemError) as err:
        engine.render("你好", "zh", tmp_path / "x.wav")
    assert err.value.problem.code == "voice.sherpa_missing"


def test_sherpa_without_a_model_says_which_path(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.setattr(engine_mod.importlib.util, "find_spec", lambda name: object())
    problem = SherpaOnnxEngine(tmp_path / "no-such-model").problem()
    assert problem is not None and problem.code == "voice.model_missing"
    assert problem.param("path").endswith("no-such-model")
    empty = SherpaOnnxEngine("").problem()
    assert empty is not None and empty.code == "voice.model_missing"


def test_sherpa_finds_the_files_of_a_vits_model_folder(tmp_path: Path) -> None:
    folder = tmp_path / "vits-zh-test"
    (folder / "dict").mkdir(parents=True)
    for name in ("model.onnx", "other.onnx", "tokens.txt", "lexicon.txt", "number.fst",
                 "date.fst"):
        (folder / name).write_bytes(b"")
    files = SherpaOnnxEngine(folder).model_files()
    assert files["model"] == str(folder / "model.onnx")
    assert files["tokens"] == str(folder / "tokens.txt")
    assert files["lexicon"] == str(folder / "lexicon.txt")
    assert files["dict_dir"] == str(folder / "dict") and files["data_dir"] == ""
    assert files["rule_fsts"] == f"{folder / 'date.fst'},{folder / 'number.fst'}"
    assert SherpaOnnxEngine(folder / "other.onnx").model_files()["model"] == \
        str(folder / "other.onnx")
    (folder / "tokens.txt").unlink()
    with pytest.raises(ProblemError) as err:
        SherpaOnnxEngine(folder).model_files()
    assert err.value.problem.code == "voice.model_bad"


def test_a_mandarin_model_speaks_chinese_and_english_falls_to_espeak(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(engine_mod.importlib.util, "find_spec", lambda name: object())
    (tmp_path / "vits-zh").mkdir()
    engines = make_engines("sherpa-onnx", str(tmp_path / "vits-zh"))
    assert [e.name for e in engines] == ["sherpa-onnx", "espeak-ng"]
    zh, en = pick_engine(engines, "zh"), pick_engine(engines, "en")
    assert zh is not None and (zh[0].name, zh[1]) == ("sherpa-onnx", "vits-zh#0")
    assert en is not None and (en[0].name, en[1]) == ("espeak-ng", "en")
    assert [e.name for e in make_engines("espeak-ng")] == ["espeak-ng"]
    with pytest.raises(ValueError):
        make_engines("festival")
