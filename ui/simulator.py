"""The device simulator panel: drive the emulated devices by hand, beside the kiosk window.

``SimulatorPanel(devices, samples=None)`` takes the ``DeviceManager`` (or its
``.emulators`` directly) and a list of :class:`SampleCode`. Every button calls
one real emulator method; a device that is real or switched off has its group
disabled with a note. Nothing here knows the session: the kiosk reacts to the
devices exactly as it would to hardware.

- ID card reader: place each demo card (``EmulatedSamReader.place_card``),
  remove it, unplug / replug the module.
- Scanner: scan each sample code (``EmulatedScanner.scan``), a typed code,
  garbage bytes (``send_raw``), unplug / replug.
- Camera: hold the chosen sample code in front of it (``show_code``),
  clear the view, unplug / replug.
- Printer: paper ok / near end / out (``set_paper``), cover open / closed,
  offline / online, "paper runs out during the next print"
  (``run_out_during_next_print``: the roll ends a few lines into the next receipt).
- Receipt: what the emulated printer printed last, rendered from its bytes by the
  renderer diagnostics uses (:meth:`~drivers.printer.emulated.EmulatorControls.last_receipt_image`,
  on a pool thread), refreshed when a receipt is cut.
- Platform: "platform unreachable" switches the embedded sandbox's ``unavailable``
  fault (:class:`kiosk.platform.faults.Faults`, passed as ``platform_faults``); the
  group is disabled when the platform is not the sandbox.

Sample codes: :func:`sample_codes` builds them from orders and the
``[orders] qr_secret`` (genuine order QRs, one with a forged signature, one
with an altered amount, a tax-bureau ``$01`` title code, WeChat and Alipay
title URLs, a foreign URL). The composition root should pass
``sample_codes(core.orders.list(8), config.orders.qr_secret)``; without
samples the panel falls back to today's demo orders under the default secret.
An emulator call that fails (e.g. scanning while unplugged) is shown on the
panel's status line and logged, never raised.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kiosk.model import Buyer, BuyerType, Order
from kiosk.orderqr import make_order_qr
from kiosk.titleqr import make_title_qr
from ui.diagnostics.common import pil_to_qimage
from ui.runner import QtRunner

log = logging.getLogger("ui.simulator")

GARBAGE = b"\x00\x1b@\xff\xfe\x9c\x07" + "乱码".encode("gbk") + b"\x1b[2J\r\n"
SAMPLE_TITLE = Buyer(type=BuyerType.COMPANY, name="厦门示例贸易有限公司",
                     tax_id="91350200776049653A", address="厦门市思明区湖滨南路100号",
                     phone="0592-5551234", bank="中国银行厦门分行", account="410012345678901234")
WECHAT_TITLE_URL = "https://mp.weixin.qq.com/bizmall/authinvoice?action=list&s_pappid=d3hkZW1v"
ALIPAY_TITLE_URL = "https://qr.alipay.com/fpx01234abcdEFGH"


@dataclass(frozen=True)
class SampleCode:
    """One code the simulator can scan or show: a label, the payload, its kind.

    ``kind``: ``order`` (genuine), ``forged`` (bad signature), ``altered``
    (amount changed), ``title`` ($01), ``wechat``, ``alipay``, ``foreign``.
    """

    label: str
    text: str
    kind: str


def sample_codes(orders: Iterable[Order], secret: str) -> list[SampleCode]:
    """Genuine codes for ``orders`` (signed with ``secret``) plus the bad and title codes."""
    codes: list[SampleCode] = []
    first: Order | None = None
    for order in orders:
        first = first or order
        codes.append(SampleCode(f"{order.order_no} ¥{order.total}",
                                make_order_qr(order.order_no, order.total, secret), "order"))
    if first is not None:
        codes.append(SampleCode("forged (foreign key)",
                                make_order_qr(first.order_no, first.total, secret + "-forged"),
                                "forged"))
        genuine = make_order_qr(first.order_no, first.total, secret)
        prefix, _order, _amount, sig = genuine.split("|")
        codes.append(SampleCode("altered amount", f"{prefix}|{first.order_no}|0.01|{sig}",
                                "altered"))
    codes += [
        SampleCode("title $01 (tax bureau)", make_title_qr(SAMPLE_TITLE), "title"),
        SampleCode("WeChat title URL", WECHAT_TITLE_URL, "wechat"),
        SampleCode("Alipay title code", ALIPAY_TITLE_URL, "alipay"),
        SampleCode("foreign URL", "https://example.com/promo?id=42", "foreign"),
    ]
    return codes


def default_samples() -> list[SampleCode]:
    """Today's demo orders under the default secret (when the caller passes none)."""
    from kiosk.config import OrdersConfig
    from kiosk.demo import demo_orders

    return sample_codes(demo_orders(dt.datetime.now(dt.UTC)), OrdersConfig().qr_secret)


def _emulators(devices: Any) -> Any:
    """A ``DeviceManager`` (has ``.emulators``) or the ``Emulators`` themselves."""
    return getattr(devices, "emulators", devices)


class SimulatorPanel(QWidget):
    """A window of buttons over the emulated devices; ``acted(str)`` after each action.

    Every button has an object name (``idcard_place_<key>``, ``idcard_remove``,
    ``scanner_<index>``, ``scanner_garbage``, ``printer_paper_out``, ...), so
    tests and the e2e driver can find it.
    """

    acted = Signal(str)  # a short description of what was done (or why it failed)
    receiptShown = Signal(int)  # the number of receipts printed when the view was drawn

    def __init__(self, devices: Any, samples: Sequence[SampleCode] | None = None,
                 parent: QWidget | None = None, *, platform_faults: Any | None = None,
                 receipt_poll_ms: int = 300, sms_dir: Path | None = None,
                 red_forms: Any | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("simulatorPanel")
        self.emulators = _emulators(devices)
        self.platform_faults = platform_faults
        self.red_forms = red_forms  # the sandbox: confirms red-letter forms as the other party
        self.samples = list(samples) if samples is not None else default_samples()
        self.buttons: dict[str, QPushButton] = {}
        self._titled: list[tuple[QGroupBox, str]] = []
        self._receipts_seen = (0, 0)
        self.receipt_partial = False
        self._rendering = False
        self._runner = QtRunner(parent=self)

        inner = QWidget()
        body = QVBoxLayout(inner)
        body.addWidget(self._platform_group())
        body.addWidget(self._printer_group())
        body.addWidget(self._scanner_group())
        body.addWidget(self._idcard_group())
        body.addWidget(self._camera_group())
        if sms_dir is not None:  # the default SMS backend's folder: show the newest code
            from ui.sms_view import LatestSms

            self.sms = LatestSms(sms_dir)
            body.addWidget(self.sms)
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        # The receipt under the controls, in its own scroll area: a long receipt scrolls
        # there while every control stays in reach.
        paper = QScrollArea()
        paper.setWidgetResizable(True)
        paper.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        paper.setWidget(self._receipt_group())
        self.paper = paper
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(paper)
        split.setSizes([560, 400])
        self.status = QLabel()
        self.status.setObjectName("simulatorStatus")
        self.status.setWordWrap(True)
        outer = QVBoxLayout(self)
        outer.addWidget(split, 1)
        outer.addWidget(self.status)
        self._retranslate()
        self.resize(560, 1000)
        self._poll = QTimer(self)  # a receipt cut on the emulated printer: draw it
        self._poll.setInterval(receipt_poll_ms)
        self._poll.timeout.connect(self._check_receipts)
        if self.emulators.printer is not None:
            self._poll.start()

    # -- building helpers --------------------------------------------------------------

    def _button(self, name: str, text: str, action: Callable[[], object], done: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never steal the kiosk's focus
        button.clicked.connect(lambda: self._do(done, action))
        self.buttons[name] = button
        return button

    def _group(self, key: str, emulator: Any, missing_note: str) -> tuple[QGroupBox, QGridLayout]:
        box = QGroupBox()
        box.setObjectName(f"group_{key}")
        self._titled.append((box, key))
        grid = QGridLayout(box)
        if emulator is None:
            note = QLabel(missing_note)
            note.setWordWrap(True)
            grid.addWidget(note, 0, 0)
            box.setEnabled(False)
        return box, grid

    def _do(self, done: str, action: Callable[[], object]) -> None:
        try:
            action()
        except Exception as err:  # an emulator refusing (unplugged, ...) is shown, not raised
            message = f"✗ {done}: {err}"
            log.warning("simulator action failed: %s", err,
                        extra={"event": "simulator.failed", "action": done})
        else:
            message = f"✓ {done}"
            log.info("simulator: %s", done, extra={"event": "simulator.action", "action": done})
        self.status.setText(message)
        self.acted.emit(message)

    # -- groups --------------------------------------------------------------------------

    def _idcard_group(self) -> QGroupBox:
        emu = self.emulators.idcard
        box, grid = self._group("idcard", emu, "ID reader is real or off: nothing to simulate.")
        if emu is None:
            return box
        from drivers.idcard.emulated import DEMO_CARDS

        for row, (key, card) in enumerate(DEMO_CARDS.items()):
            grid.addWidget(self._button(f"idcard_place_{key}", f"⬆ {card.name}",
                                        partial(emu.place_card, key),
                                        f"ID card placed: {card.name}"), row, 0, 1, 3)
        row = len(DEMO_CARDS)
        grid.addWidget(self._button("idcard_remove", "", emu.remove_card, "ID card removed"),
                       row, 0)
        grid.addWidget(self._button("idcard_unplug", "", emu.unplug, "ID reader unplugged"),
                       row, 1)
        grid.addWidget(self._button("idcard_replug", "", emu.replug, "ID reader plugged in"),
                       row, 2)
        return box

    def _scanner_group(self) -> QGroupBox:
        emu = self.emulators.scanner
        box, grid = self._group("scanner", emu, "Scanner is real or off: nothing to simulate.")
        if emu is None:
            return box
        for i, sample in enumerate(self.samples):
            grid.addWidget(self._button(f"scanner_{i}", sample.label,
                                        partial(emu.scan, sample.text),
                                        f"scanned: {sample.label}"), i // 2, i % 2)
        row = (len(self.samples) + 1) // 2
        self.typed = QLineEdit()
        self.typed.setObjectName("scanner_text")
        self.typed.setProperty("kioskKeyboard", False)
        grid.addWidget(self.typed, row, 0)
        grid.addWidget(self._button("scanner_typed", "", lambda: emu.scan(self.typed.text()),
                                    "scanned the typed code"), row, 1)
        grid.addWidget(self._button("scanner_garbage", "", lambda: emu.send_raw(GARBAGE),
                                    "scanner sent garbage bytes"), row + 1, 0, 1, 2)
        grid.addWidget(self._button("scanner_unplug", "", emu.unplug, "scanner unplugged"),
                       row + 2, 0)
        grid.addWidget(self._button("scanner_replug", "", emu.replug, "scanner plugged in"),
                       row + 2, 1)
        return box

    def _camera_group(self) -> QGroupBox:
        emu = self.emulators.camera
        box, grid = self._group("camera", emu, "Camera is real or off: nothing to simulate.")
        if emu is None:
            return box
        self.camera_choice = QComboBox()
        self.camera_choice.setObjectName("camera_choice")
        for sample in self.samples:
            self.camera_choice.addItem(sample.label, sample.text)
        grid.addWidget(self.camera_choice, 0, 0, 1, 2)
        grid.addWidget(self._button(
            "camera_show", "", lambda: emu.show_code(self.camera_choice.currentData()),
            "code shown to the camera"), 0, 2)
        grid.addWidget(self._button("camera_clear", "", emu.clear, "camera view cleared"), 1, 0)
        grid.addWidget(self._button("camera_unplug", "", emu.unplug, "camera unplugged"), 1, 1)
        grid.addWidget(self._button("camera_replug", "", emu.replug, "camera plugged in"), 1, 2)
        return box

    def _printer_group(self) -> QGroupBox:
        emu = self.emulators.printer
        box, grid = self._group("printer", emu, "Printer is real or off: nothing to simulate.")
        if emu is None:
            return box
        for col, state in enumerate(("ok", "near_end", "out")):
            grid.addWidget(self._button(f"printer_paper_{state}", "",
                                        partial(emu.set_paper, state),
                                        f"printer paper: {state}"), 0, col)
        grid.addWidget(self._button("printer_cover_open", "", lambda: emu.set_cover_open(True),
                                    "printer cover opened"), 1, 0)
        grid.addWidget(self._button("printer_cover_close", "",
                                    lambda: emu.set_cover_open(False), "printer cover closed"),
                       1, 1)
        grid.addWidget(self._button("printer_offline", "", lambda: emu.set_offline(True),
                                    "printer offline"), 2, 0)
        grid.addWidget(self._button("printer_online", "", lambda: emu.set_offline(False),
                                    "printer online"), 2, 1)
        grid.addWidget(self._button("printer_runs_out", "", emu.run_out_during_next_print,
                                    "paper will run out during the next print"), 3, 0, 1, 3)
        return box

    def _platform_group(self) -> QGroupBox:
        faults = self.platform_faults
        box, grid = self._group("platform", faults,
                                "The platform is not the embedded sandbox: nothing to simulate.")
        if faults is None:
            return box
        self.platform_down = QCheckBox()
        self.platform_down.setObjectName("platform_unreachable")
        self.platform_down.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.platform_down.setChecked(bool(faults.settings.unavailable))
        self.platform_down.toggled.connect(self._platform_toggled)
        grid.addWidget(self.platform_down, 0, 0)
        if self.red_forms is not None:
            grid.addWidget(self._button(
                "platform_confirm_red", "Other party confirms the red-letter form",
                self._confirm_red, "the other party confirmed the newest red-letter form"), 1, 0)
        return box

    def _confirm_red(self) -> None:
        """A company's correction waits for the buyer to confirm the red-letter form in the
        e-tax bureau: in the sandbox, this is that confirmation (``kiosk red confirm``)."""
        assert self.red_forms is not None
        if self.red_forms.confirm_newest_red_form() is None:
            raise LookupError("no red-letter form waits for the other party")

    def _platform_toggled(self, down: bool) -> None:
        assert self.platform_faults is not None
        faults = self.platform_faults
        self._do("platform unreachable" if down else "platform reachable again",
                 lambda: faults.set(unavailable=down))

    def _receipt_group(self) -> QGroupBox:
        emu = self.emulators.printer
        box, grid = self._group("receipt", emu, "Printer is real or off: look at its paper.")
        self.receipt = QLabel()
        self.receipt.setObjectName("simulator_receipt")
        self.receipt.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.receipt.setMinimumHeight(120)
        self.receipt_image: QImage | None = None
        self.receipt_note = QLabel()
        self.receipt_note.setObjectName("simulator_receipt_note")
        self.receipt_note.setWordWrap(True)
        self.receipt_note.setStyleSheet("color: #b00020; font-weight: bold;")
        self.receipt_note.hide()
        if emu is not None:
            grid.addWidget(self.receipt_note, 0, 0)
            grid.addWidget(self.receipt, 1, 0)
            grid.setRowStretch(1, 1)  # the note sits on the paper, not half-way down
        return box

    # -- the receipt view ------------------------------------------------------------------

    @staticmethod
    def _paper_state(emu: Any) -> tuple[int, int]:
        """(receipts cut, bytes on the uncut page while the printer cannot print)."""
        mech = getattr(emu, "emulator", None)  # the mechanism behind either emulator
        stuck = len(mech.page) if mech is not None and not mech.can_print else 0
        return len(emu.receipts), stuck

    @staticmethod
    def _render(emu: Any, stuck: bool) -> Any:
        if not stuck:
            return emu.last_receipt_image()
        from drivers.printer.render import render_escpos

        mech = emu.emulator  # paper ran out mid-receipt: what made it onto the paper
        return render_escpos(bytes(mech.page), paper_width_mm=mech.paper_width_mm,
                             encoding=mech.encoding)

    def _check_receipts(self) -> None:
        """On the poll timer: a new receipt was cut, or a receipt stopped half-way (paper
        out, cover open) -> render it off the UI thread."""
        emu = self.emulators.printer
        if emu is None or self._rendering:
            return
        state = self._paper_state(emu)
        if state == self._receipts_seen or state == (0, 0):
            return
        self._rendering = True
        stuck = state[1] > 0
        # The renderer diagnostics uses (drivers.printer.render), on the pool: text and QR
        # drawing is CPU work that must not stall the kiosk window in this process.
        self._runner.submit("simulator.receipt", lambda: self._render(emu, stuck),
                            lambda image, error: self._receipt_ready(state, image, error))

    def _receipt_ready(self, state: tuple[int, int], image: Any,
                       error: BaseException | None) -> None:
        self._rendering = False
        self._receipts_seen = state
        self.receipt_partial = state[1] > 0
        self.receipt_note.setText(self.tr("Printing stopped here: the receipt is not cut yet.")
                                  if self.receipt_partial else "")
        self.receipt_note.setVisible(self.receipt_partial)
        if error is not None or image is None:
            self.receipt.setText(f"✗ {error}")
            log.warning("receipt not rendered: %s", error,
                        extra={"event": "simulator.receipt_failed"})
            return
        self.receipt_image = pil_to_qimage(image)
        width = max(200, self.paper.viewport().width() - 24)
        shown = self.receipt_image
        if shown.width() > width:
            shown = shown.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.receipt.setPixmap(QPixmap.fromImage(shown))
        self.receiptShown.emit(state[0])

    # -- language -------------------------------------------------------------------------

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Device simulator"))
        titles = {"idcard": self.tr("ID card reader"), "scanner": self.tr("QR scanner"),
                  "camera": self.tr("Camera"), "printer": self.tr("Receipt printer"),
                  "platform": self.tr("Tax platform (sandbox)"),
                  "receipt": self.tr("Last receipt printed")}
        for box, key in self._titled:
            box.setTitle(titles[key])
        texts = {
            "idcard_remove": self.tr("Remove card"), "idcard_unplug": self.tr("Unplug"),
            "idcard_replug": self.tr("Plug in"), "scanner_typed": self.tr("Scan this"),
            "scanner_garbage": self.tr("Garbage bytes"), "scanner_unplug": self.tr("Unplug"),
            "scanner_replug": self.tr("Plug in"), "camera_show": self.tr("Show"),
            "camera_clear": self.tr("Clear view"), "camera_unplug": self.tr("Unplug"),
            "camera_replug": self.tr("Plug in"), "printer_paper_ok": self.tr("Paper OK"),
            "printer_paper_near_end": self.tr("Paper low"),
            "printer_paper_out": self.tr("Paper out"),
            "printer_cover_open": self.tr("Open cover"),
            "printer_cover_close": self.tr("Close cover"),
            "printer_offline": self.tr("Offline"), "printer_online": self.tr("Online"),
            "printer_runs_out": self.tr("Paper runs out during the next print"),
            "platform_confirm_red": self.tr("Other party confirms the red-letter form"),
        }
        for name, text in texts.items():
            if name in self.buttons:
                self.buttons[name].setText(text)
        if hasattr(self, "typed"):
            self.typed.setPlaceholderText(self.tr("type a code to scan"))
        if hasattr(self, "platform_down"):
            self.platform_down.setText(self.tr("Platform unreachable"))
        if self.emulators.printer is not None and self.receipt.pixmap().isNull():
            self.receipt.setText(self.tr("Nothing printed yet."))
        if not self.status.text():
            self.status.setText(self.tr("Ready."))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

