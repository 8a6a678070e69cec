"""The embedded Qt Virtual Keyboard: loads offscreen, pinyin gives 中文, follows the focus.

``QT_IM_MODULE`` must be set before the QApplication exists, so this module
sets it at import (collection runs before any test creates the application).
The pinyin user dictionary is pointed at a temporary folder before the first
panel is built, so no test writes under the real ``~/.config``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.keyboard import (
    QML_PATH,
    QT_LOG_IGNORE,
    KeyboardPanel,
    is_text_field,
    prepare_environment,
    virtual_keyboard_selected,
)

os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)


@pytest.fixture(scope="module", autouse=True)
def pinyin_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The kiosk's setting for the whole module: a state folder, learning off.

    The pinyin engine is a process-wide singleton that reads its path once, so
    this runs before the first panel; the environment is restored afterwards.
    """
    state = tmp_path_factory.mktemp("state")
    saved = {k: os.environ.get(k) for k in ("XDG_CONFIG_HOME", "QT_LOGGING_RULES")}
    prepare_environment(state)
    yield state
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


class Window(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.name = QLineEdit()
        self.tax_id = QLineEdit()
        self.tax_id.setProperty("kioskKeyboard", False)  # served by a keypad
        self.button = QPushButton("next")
        layout.addWidget(self.name)
        layout.addWidget(self.tax_id)
        layout.addWidget(self.button)
        layout.addStretch(1)
        self.keyboard = KeyboardPanel(self)
        layout.addWidget(self.keyboard)
        self.resize(1024, 768)


@pytest.fixture()
def window(qtbot: QtBot) -> Iterator[Window]:
    """A fresh window per test: panels share one QML engine, so each works."""
    w = Window()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    yield w


def test_prepare_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QT_IM_MODULE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nowhere")
    monkeypatch.setenv("QT_LOGGING_RULES", "kiosk.debug=true")
    learned = tmp_path / "state" / "config" / "qtvirtualkeyboard" / "pinyin"
    learned.mkdir(parents=True)
    (learned / "usr_dict.dat").write_bytes(b"names typed yesterday")
    path = prepare_environment(tmp_path / "state")
    assert os.environ["QT_IM_MODULE"] == "qtvirtualkeyboard" and virtual_keyboard_selected()
    assert os.environ["XDG_CONFIG_HOME"] == str(tmp_path / "state" / "config")
    assert path == learned
    assert path.is_file()  # no user dictionary can open: nothing is learned; the old one is gone
    rules = os.environ["QT_LOGGING_RULES"].split(";")
    assert rules[0] == "kiosk.debug=true" and "qt.multimedia.symbolsresolver=false" in rules
    monkeypatch.setenv("QT_IM_MODULE", "ibus")
    assert prepare_environment(tmp_path / "state", learn_words=True).is_dir()
    assert os.environ["QT_IM_MODULE"] == "ibus"  # a technician's choice is kept


def test_qml_loads_ready_without_errors(window: Window, qtbot: QtBot) -> None:
    kb = window.keyboard
    assert QML_PATH.is_file()
    assert kb.available and kb.errors() == []
    qtbot.waitUntil(lambda: kb.height() > 200)  # sized to the keyboard at this width (queued)
    qtbot.waitUntil(lambda: kb.keyboard_locale() == "zh_CN")  # the layout loads asynchronously


def test_pinyin_typing_gives_chinese_candidates_and_commits(window: Window,
                                                            qtbot: QtBot) -> None:
    kb = window.keyboard
    window.name.setFocus()
    qtbot.waitUntil(lambda: window.name.hasFocus() and kb.isVisible())
    kb.type_text("zhongguo")
    qtbot.waitUntil(lambda: "中国" in kb.candidates())
    assert kb.preedit_text().replace(" ", "") == "zhongguo"
    kb.select_candidate(kb.candidates().index("中国"))
    qtbot.waitUntil(lambda: window.name.text() == "中国")
    kb.type_text("gongsi")
    qtbot.waitUntil(lambda: "公司" in kb.candidates())
    kb.select_candidate(kb.candidates().index("公司"))
    qtbot.waitUntil(lambda: window.name.text() == "中国公司")
    kb.press_backspace()
    qtbot.waitUntil(lambda: window.name.text() == "中国公")


def test_english_layout_types_letters_directly(window: Window, qtbot: QtBot) -> None:
    kb = window.keyboard
    window.name.setFocus()
    qtbot.waitUntil(lambda: kb.isVisible())
    kb.set_locale("en_GB")
    qtbot.waitUntil(lambda: kb.keyboard_locale() == "en_GB")
    kb.type_text("Ltd")
    qtbot.waitUntil(lambda: window.name.text() == "Ltd")
    assert kb.candidates() == [] or "Ltd" in window.name.text()
    kb.set_locale("zh_CN")
    with pytest.raises(ValueError):
        kb.set_locale("fr_FR")


def test_shown_for_text_fields_hidden_otherwise(window: Window, qtbot: QtBot) -> None:
    kb = window.keyboard
    window.button.setFocus()
    qtbot.waitUntil(lambda: window.button.hasFocus())
    assert not kb.isVisible()
    with qtbot.waitSignal(kb.shownChanged) as shown:
        window.name.setFocus()
    assert shown.args == [True] and kb.isVisible()
    with qtbot.waitSignal(kb.shownChanged) as hidden:
        window.tax_id.setFocus()  # opted out: a keypad serves it
    assert hidden.args == [False] and not kb.isVisible()
    window.name.setFocus()
    qtbot.waitUntil(kb.isVisible)
    with qtbot.waitSignal(kb.shownChanged) as hidden:
        window.button.setFocus()
    assert hidden.args == [False]


def test_is_text_field(qtbot: QtBot) -> None:
    field, ro, button = QLineEdit(), QLineEdit(), QPushButton()
    ro.setReadOnly(True)
    for w in (field, ro, button):
        qtbot.addWidget(w)
    assert is_text_field(field) and not is_text_field(ro) and not is_text_field(button)
    assert not is_text_field(None)
    field.setEnabled(False)
    assert not is_text_field(field)


def _offers(kb: KeyboardPanel, text: str) -> bool:
    return text in kb.candidates()


def _commit_char_by_char(kb: KeyboardPanel, field: QLineEdit, qtbot: QtBot, pinyin: str,
                         target: str) -> None:
    kb.type_text(pinyin)
    for ch in target:
        qtbot.waitUntil(partial(_offers, kb, ch))
        kb.select_candidate(kb.candidates().index(ch))
    qtbot.waitUntil(lambda: field.text() == target)


def test_one_customers_name_is_not_offered_to_the_next(window: Window, qtbot: QtBot) -> None:
    """Without the kiosk's setting the engine learns 舒雪峰 and offers it first next time."""
    kb = window.keyboard
    window.name.setFocus()
    qtbot.waitUntil(kb.isVisible)
    _commit_char_by_char(kb, window.name, qtbot, "shuxuefeng", "舒雪峰")
    window.name.clear()
    kb.type_text("shuxuefeng")
    qtbot.waitUntil(lambda: bool(kb.candidates()))
    assert kb.candidates()[0] != "舒雪峰"
    assert "舒雪峰" not in kb.candidates()


def test_reset_drops_half_typed_pinyin(window: Window, qtbot: QtBot) -> None:
    kb = window.keyboard
    window.name.setFocus()
    qtbot.waitUntil(kb.isVisible)
    kb.type_text("zhong")
    qtbot.waitUntil(lambda: bool(kb.candidates()))
    kb.reset()
    qtbot.waitUntil(lambda: kb.candidates() == [] and kb.preedit_text() == "")
    assert not kb.isVisible()
