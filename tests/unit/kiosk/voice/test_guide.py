"""VoiceGuide on the real session: walking the personal flow speaks each step in the
current language, the review reads back the buyer and total, mute and repeat work."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest

from kiosk.flow.states import Screen
from kiosk.voice.guide import VoiceGuide
from kiosk.voice.prompts import Utterance
from tests.helpers.app import CoreRig, kiosk_core


class Said:
    """The speaker port, recording what it was asked to say."""

    def __init__(self) -> None:
        self.utterances: list[Utterance] = []
        self.cancels = 0

    def say(self, utterance: Utterance) -> Future[Path | None]:
        self.utterances.append(utterance)
        done: Future[Path | None] = Future()
        done.set_result(None)
        return done

    def cancel(self) -> None:
        self.cancels += 1

    @property
    def keys(self) -> list[str]:
        return [u.key for u in self.utterances]


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[CoreRig]:
    r = kiosk_core(tmp_path / "data")
    yield r
    r.close()


def _walk_personal(rig: CoreRig) -> None:
    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]))  # the review opens at once (issue 11)
    s.touch()
    s.review.confirm()
    assert s.screen is Screen.RESULT
    s.finish()


@pytest.mark.parametrize(("lang", "readback_start"), [
    ("zh_CN", "个人，价税合计"), ("en", "Personal. Total including tax: ")])
def test_the_personal_flow_speaks_each_step(rig: CoreRig, lang: str, readback_start: str) -> None:
    said = Said()
    guide = VoiceGuide(said, default_on=True, language=lang)
    guide.attach(rig.session)
    _walk_personal(rig)
    assert said.keys == ["readback", "screen.issuing", "screen.result"]
    assert all(u.lang == lang[:2] for u in said.utterances)
    back = said.utterances[0]
    assert back.text.startswith(readback_start) and not back.fixed
    assert not any(ch.isdigit() for ch in back.text)  # the total in words, no figures
    assert said.cancels >= 1  # back on the attract screen: silence


def test_the_review_read_back_says_the_session_total(rig: CoreRig) -> None:
    said = Said()
    guide = VoiceGuide(said, default_on=True)
    guide.attach(rig.session)
    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]))
    from kiosk.voice.prompts import spoken_amount

    assert said.utterances[-1].text == (
        f"个人，价税合计{spoken_amount(s.data.total, 'zh')}。请核对开票信息，无误后点击开具发票。")


def test_muted_by_default_says_nothing_until_switched_on(rig: CoreRig) -> None:
    said = Said()
    guide = VoiceGuide(said, default_on=False)
    guide.attach(rig.session)
    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]))
    assert said.keys == [] and guide.muted
    guide.repeat()  # the speaker button speaks even when muted
    assert said.keys == ["readback"]
    changes: list[bool] = []
    guide.on_mute_changed(changes.append)
    guide.set_muted(False)
    s.review.edit(Screen.ORDERS)
    assert said.keys == ["readback", "screen.orders"]
    guide.set_language("en")  # a language switch says the screen again, in English
    assert said.utterances[-1].key == "screen.orders" and said.utterances[-1].lang == "en"
    s.finish()  # the next walk-in starts muted again, as configured
    assert guide.muted and changes == [False, True]


def test_muting_stops_speech(rig: CoreRig) -> None:
    said = Said()
    guide = VoiceGuide(said, default_on=True)
    guide.attach(rig.session)
    rig.session.code_scanned(rig.qr(rig.orders()[0]))
    guide.set_muted(True)
    assert said.cancels == 1
    rig.session.review.edit(Screen.ORDERS)
    assert said.keys == ["readback"]


def test_presence_greets_only_on_the_attract_screen(rig: CoreRig) -> None:
    said = Said()
    guide = VoiceGuide(said, default_on=True)
    guide.attach(rig.session)
    guide.presence(False)
    guide.presence(True)
    assert said.keys == ["screen.attract"]
    rig.session.code_scanned(rig.qr(rig.orders()[0]))
    guide.presence(True)
    assert said.keys == ["screen.attract", "readback"]
    muted = VoiceGuide(Said(), default_on=False)
    muted.attach(rig.session)
    muted.presence(True)
    assert muted.requested == []
