"""The speaker controls: repeat the prompt, voice on/off, volume.

A passive widget: it shows the state it is given (:meth:`set_muted`,
:meth:`set_volume`, :meth:`set_language`) and emits what the person asks for;
:func:`ui.voice.install_voice` wires it to the
:class:`~kiosk.voice.guide.VoiceGuide` and the player. Words come from the
catalogue (``voice.ui.*``), so it follows the kiosk's language without a
translation file of its own. Touch sizes: every control at least 64 px high.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSlider, QStyle, QWidget

from kiosk.messages import Problem, words

MIN_TOUCH_PX = 64


class SpeakerControls(QWidget):
    """Voice on/off; while the voice is on, also "repeat" and the volume. With the voice
    off (the default) only the one toggle shows, so the footer keeps its room (large
    text in English left the primary action no margin beside all three)."""

    repeatRequested = Signal()
    resized = Signal()  # the controls changed size: their placer re-centres them
    mutedChanged = Signal(bool)  # True: the person switched the voice off
    volumeChanged = Signal(int)  # percent

    def __init__(self, parent: QWidget | None = None, *, language: str = "zh_CN") -> None:
        super().__init__(parent)
        self.setObjectName("speaker_controls")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#speaker_controls { background: rgba(255,255,255,230);"
                           " border: 1px solid #c5cdd8; border-radius: 12px; }")
        self.language = language
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.repeat = QPushButton()
        self.repeat.setObjectName("speaker_repeat")
        self.toggle = QPushButton()
        self.toggle.setObjectName("speaker_toggle")
        self.toggle.setCheckable(True)  # checked: voice on
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setObjectName("speaker_volume")
        self.volume.setRange(0, 100)
        self.volume.setSingleStep(10)
        self.volume.setPageStep(20)
        self.volume.setMinimumWidth(160)
        for widget in (self.repeat, self.toggle, self.volume):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            widget.setMinimumHeight(MIN_TOUCH_PX)
            row.addWidget(widget)
        self.repeat.clicked.connect(self.repeatRequested)
        self.toggle.toggled.connect(self._toggled)
        self.volume.valueChanged.connect(self.volumeChanged)
        self.toggle.setChecked(False)
        self.retranslate()

    # --- state in ---------------------------------------------------------------

    def set_muted(self, muted: bool) -> None:
        self.toggle.blockSignals(True)
        self.toggle.setChecked(not muted)
        self.toggle.blockSignals(False)
        self.retranslate()
        self.resized.emit()

    def set_volume(self, percent: int) -> None:
        self.volume.blockSignals(True)
        self.volume.setValue(percent)
        self.volume.blockSignals(False)

    def set_language(self, language: str) -> None:
        self.language = language
        self.retranslate()

    @property
    def muted(self) -> bool:
        return not self.toggle.isChecked()

    def retranslate(self) -> None:
        style = self.style()
        self.repeat.setText(words(Problem.of("voice.ui.repeat"), self.language))
        self.repeat.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaVolume))
        on = self.toggle.isChecked()
        for extra in (self.repeat, self.volume):
            extra.setVisible(on)
        self.toggle.setText(words(Problem.of("voice.ui.voice_on" if on else "voice.ui.voice_off"),
                                  self.language))
        self.toggle.setIcon(style.standardIcon(
            QStyle.StandardPixmap.SP_MediaVolume if on else QStyle.StandardPixmap.SP_MediaVolumeMuted))
        self.volume.setAccessibleName(words(Problem.of("voice.ui.volume"), self.language))
        self.volume.setToolTip(self.volume.accessibleName())

    def _toggled(self, on: bool) -> None:
        self.retranslate()
        self.resized.emit()
        self.mutedChanged.emit(not on)
