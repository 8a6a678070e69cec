"""ORDERS (scan or type order numbers; several are merged) and CATALOGUE (business flow)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.flow.states import Screen
from kiosk.flow.views import CatalogueView, OrdersView, View
from kiosk.rules.tax import rate_label, rates_in_force
from ui.screens.base import Page, button, label, show_action
from ui.widgets.lines import LinesTable
from ui.widgets.text_input import InputKind, set_input_kind


def input_edit(kind: InputKind = InputKind.TEXT) -> QLineEdit:
    """A text field; ``kind`` picks the on-screen keyboard's layout for it."""
    edit = set_input_kind(QLineEdit(), kind)
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    return edit


class OrdersPage(Page):
    def build(self) -> None:
        from ui.widgets.keypad import ALL_LETTERS, AlphanumericKeypad

        self.head = label("title")
        self.camera_notice = label("warn")
        self.body.addWidget(self.head)
        self.body.addWidget(self.camera_notice)
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        self.body.addLayout(columns)
        self.table = LinesTable(3)
        self.total = label("big")
        self.numbers = label("hint")
        left.addWidget(self.table)
        left.addWidget(self.total)
        left.addWidget(self.numbers)
        # The merged orders, each with its own remove button (a wrongly added receipt).
        self.merged = QVBoxLayout()
        self.merged.setSpacing(8)
        right.addLayout(self.merged)
        self.remove_buttons: dict[str, QPushButton] = {}
        self.camera_toggle = button()
        self.camera_toggle.clicked.connect(self._camera)
        left.addWidget(self.camera_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        self.members = button()  # an enterprise administrator: manage members
        self.members.clicked.connect(lambda: self.session.account.open(Screen.MEMBERS))
        self.members.hide()
        left.addWidget(self.members, 0, Qt.AlignmentFlag.AlignLeft)
        from ui.widgets.camera_view import CameraView

        self.preview = CameraView()
        left.addWidget(self.preview)
        left.addStretch(1)
        # Order numbers carry any letter (D2026..., the README's SO2026...): every key A-Z.
        self.order_no = input_edit(InputKind.CODE)
        self.order_no.setMaxLength(40)
        self.order_no.setProperty("kioskKeyboard", False)
        self.add = button()
        entry = QHBoxLayout()
        entry.addWidget(self.order_no, 1)
        entry.addWidget(self.add)
        right.addLayout(entry)
        self.keypad = AlphanumericKeypad(max_length=40, letters=ALL_LETTERS)
        self.keypad.attach(self.order_no)
        self.keypad.hide()
        right.addWidget(self.keypad)
        self.order_no.installEventFilter(self)
        # A banner (a wrong number) or large text shrinks the page: the keypad's bottom
        # row (Clear, OK) is scrolled back into view whenever the page's view changes size.
        scroll = self.findChild(QScrollArea)
        assert scroll is not None  # the page's body (ui.screens.base.Page)
        self._scroll = scroll
        self._scroll.viewport().installEventFilter(self)
        self._keypad_open = False
        self._shown_orders = 0
        right.addStretch(1)
        self.order_no.returnPressed.connect(self._add)
        self.add.clicked.connect(self._add)
        self.primary.clicked.connect(self.session.orders.next)
        self.my_invoices = button()
        self.my_invoices.clicked.connect(self.session.centre.open)
        self.footer.insertWidget(1, self.my_invoices)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.order_no and event.type() == QEvent.Type.MouseButtonPress:
            self._keypad_open = True  # tapping the field brings up the keypad
            self.keypad.show()
            QTimer.singleShot(0, self.keypad, self._keypad_in_view)
        elif watched is self._scroll.viewport() and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self.keypad, self._keypad_in_view)
        return super().eventFilter(watched, event)

    def _keypad_in_view(self) -> None:
        if self.keypad.isVisible():
            self._scroll.ensureWidgetVisible(self.keypad.key("ok"), 0, 8)

    def _add(self) -> None:
        text = self.order_no.text().strip()
        if text:
            self.order_no.clear()
            self.session.orders.type_order_no(text)

    def _camera(self) -> None:
        if isinstance(self.shown, OrdersView) and self.shown.camera_on:
            self.session.camera_off()
        else:
            self.session.use_camera()

    def help(self) -> str:
        return self.tr("Scan each receipt's QR code, or tap the field and type the order number. Several orders become one invoice. Wrong order? Tap Remove beside it.")

    def title(self) -> str:
        return self.tr("Your orders")

    def texts(self) -> None:
        self._show_head()
        self.table.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Qty"), self.tr("Amount")])
        self.order_no.setPlaceholderText(self.tr("Or type an order number"))
        self.add.setText(self.tr("Add"))
        if isinstance(self.shown, OrdersView):
            self._show_merged(self.shown)
        self.my_invoices.setText(self.tr("My invoices"))
        self.members.setText(self.tr("Enterprise members"))
        self.camera_notice.setText(self.tr("● The camera is on: hold your receipt's QR code "
                                           "in front of it."))
        self.refresh_buttons()

    def _show_head(self) -> None:
        """"Scan more" only once an order is on the list: before, it is the first scan."""
        view = self.shown if isinstance(self.shown, OrdersView) else None
        self.head.setText(self.tr("Scan more receipts to put them on one invoice")
                          if view is not None and view.order_nos
                          else self.tr("Scan the QR code on your receipt, or type its order number"))

    def refresh_buttons(self) -> None:
        view = self.shown if isinstance(self.shown, OrdersView) else None
        camera_on = view is not None and view.camera_on
        self.primary.setText(self.tr("Continue"))
        self.camera_toggle.setText(self.tr("Turn the camera off") if camera_on
                                   else self.tr("Scan with the camera"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, OrdersView)
        old = before if isinstance(before, OrdersView) else None
        self.my_invoices.setVisible(view.my_invoices.visible)
        if old is None or old.rows != view.rows or old.order_nos != view.order_nos:
            rows = [[r.item, r.quantity, r.amount] for r in view.rows]
            self.numbers.setText(self.tr("Orders: %1").replace("%1", ", ".join(view.order_nos)))
            self.numbers.setVisible(bool(rows))
            self.table.set_rows(rows)
            self.table.setVisible(bool(rows))
            self.total.setText(self.tr("Total: %1 (orders: %2)")
                               .replace("%1", view.total).replace("%2", str(len(view.order_nos))))
            self.total.setVisible(bool(rows))
        if old is None or old.orders != view.orders:
            self._show_merged(view)
        if old is None or bool(old.order_nos) != bool(view.order_nos):
            self._show_head()
        if len(view.order_nos) != self._shown_orders:
            self._keypad_open = False  # an order arrived: the keypad makes room for it
            self._shown_orders = len(view.order_nos)
        self.keypad.setVisible(not view.order_nos or self._keypad_open)
        show_action(self.primary, view.next, self.primary_reason, self.lang)
        self.members.setVisible(view.members.visible)
        self.camera_notice.setVisible(view.camera_on)
        self.preview.setVisible(view.camera_on)
        self.refresh_buttons()

    def _show_merged(self, view: OrdersView) -> None:
        """One row per merged order: its number and total, and a remove button."""
        while self.merged.count():
            item = self.merged.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone at once: deleteLater waits for the event loop
                widget.deleteLater()
        self.remove_buttons = {}
        for entry in view.orders:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            what = label()
            what.setText(f"{entry.order_no}  {entry.total}")
            btn = button()
            btn.setText(self.tr("Remove"))
            btn.clicked.connect(lambda _=False, n=entry.order_no: self.session.orders.remove(n))
            line.addWidget(what, 1)
            line.addWidget(btn)
            self.merged.addWidget(row)
            self.remove_buttons[entry.order_no] = btn


class CataloguePage(Page):
    """A business account picks goods or services, with quantity, price or amount, rate."""

    def build(self) -> None:
        self.head = label("title")
        self.search = input_edit()
        self.results = QListWidget()
        self.results.setMinimumHeight(200)
        self.quantity = input_edit(InputKind.NUMBER)
        self.price = input_edit(InputKind.NUMBER)
        self.amount = input_edit(InputKind.NUMBER)
        self.rate = QComboBox()
        self.rate.setMinimumHeight(64)
        self._rates: tuple[str, ...] = ()
        self._fill_rates()
        self.add = button()
        self.table = LinesTable(3)
        self.total = label("big")
        self.body.addWidget(self.head)
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.body.addLayout(columns)
        left.addWidget(self.search)
        left.addWidget(self.results)
        self.qty_label, self.price_label, self.amount_label = label(), label(), label()
        self.rate_label = label()
        form = QGridLayout()
        for row, (lab, field) in enumerate(((self.qty_label, self.quantity),
                                            (self.price_label, self.price),
                                            (self.amount_label, self.amount),
                                            (self.rate_label, self.rate))):
            form.addWidget(lab, row, 0)
            form.addWidget(field, row, 1)
        right.addLayout(form)
        right.addWidget(self.add)
        right.addStretch(1)
        self.body.addWidget(self.table)
        self.body.addWidget(self.total)
        self.search.textChanged.connect(self._search)
        self.results.currentRowChanged.connect(self._picked)
        self.add.clicked.connect(self._add)
        self.primary.clicked.connect(self.session.catalogue.next)
        self._items: list[Any] = []

    def _fill_rates(self) -> None:
        """The rates in force (the back office may push a new table: issue 16)."""
        rates = tuple(str(r.rate) for r in rates_in_force() if not r.mark)
        if rates != self._rates:
            self._rates = rates
            self.rate.clear()
            self.rate.addItems([rate_label(Decimal(r)) for r in rates])

    def _search(self, text: str) -> None:
        self._fill_rates()
        self._items = self.session.catalogue.search(text)
        self.results.clear()
        for item in self._items:
            QListWidgetItem(f"{getattr(item, 'name', item)}   {getattr(item, 'tax_code', '')}",
                            self.results)

    def _picked(self, row: int) -> None:
        if 0 <= row < len(self._items):
            item = self._items[row]
            price = getattr(item, "unit_price", None)
            if price is not None:
                self.price.setText(str(price))
            rate = str(getattr(item, "rate", ""))
            if rate in self._rates:
                self.rate.setCurrentIndex(self._rates.index(rate))

    def _add(self) -> None:
        row = self.results.currentRow()
        if not 0 <= row < len(self._items):
            return
        try:
            qty = Decimal(self.quantity.text() or "1")
            price = Decimal(self.price.text()) if self.price.text().strip() else None
            amount = Decimal(self.amount.text()) if self.amount.text().strip() else None
        except InvalidOperation:
            qty, price, amount = Decimal(0), None, None
        self.session.catalogue.add(self._items[row], qty, unit_price=price, amount=amount,
                                   rate=Decimal(self._rates[self.rate.currentIndex()]))

    def help(self) -> str:
        return self.tr("Search an item, enter a quantity and a unit price (or just the amount), check the rate, and add the line.")

    def title(self) -> str:
        return self.tr("Catalogue")

    def texts(self) -> None:
        self.head.setText(self.tr("Pick goods or services"))
        self.search.setPlaceholderText(self.tr("Search by name or tax code"))
        self.qty_label.setText(self.tr("Quantity"))
        self.price_label.setText(self.tr("Unit price"))
        self.amount_label.setText(self.tr("or amount"))
        self.rate_label.setText(self.tr("Rate"))
        self.add.setText(self.tr("Add line"))
        self.primary.setText(self.tr("Continue"))
        self.table.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Qty"), self.tr("Amount")])

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, CatalogueView)
        self.table.set_rows([[r.item, r.quantity, r.amount] for r in view.rows])
        self.total.setText(self.tr("Total: %1").replace("%1", view.total))
        show_action(self.primary, view.next, self.primary_reason, self.lang)
        if view.frame.screen is Screen.CATALOGUE and not self._items:
            self._search("")
