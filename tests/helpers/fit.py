"""Is every text on a screen shown whole? Checks from font metrics and geometry, no pixels.

:func:`clipped` lists, for the visible widgets under a root (a page), every text a
person cannot read whole:

- a label whose text (word-wrapped when the label wraps) is wider or taller than the
  label's contents rectangle;
- a button whose text does not fit inside it (its size hint, which holds the
  stylesheet's padding, is bigger than the button);
- a table cell whose text is elided or wrapped past its row, a header section too
  narrow for its title, a row cut off by the table's height (unless the table's own
  scroll bar shows);
- any of those cut by an ancestor (the window's edge, a parent too small), except by
  a scroll area's viewport whose scroll bar is showing (the person can scroll to it);
- two texts drawn over each other (a banner over a field);
- a text cut part-way by a scroll area's edge where another text sits flush against
  that edge (the notice banner under a half-shown button reads as drawn over it, even
  though the two never share a pixel and the area can scroll).

Each finding is one line naming the widget's text, so a failing test says what to fix.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QTableWidget,
    QWidget,
)

SLACK = 1  # px: rounding between font metrics and layout


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton | QLineEdit) else ""
    text = text or (widget.placeholderText() if isinstance(widget, QLineEdit) else "")
    return f"{type(widget).__name__} {text[:60]!r}"


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and widget.isVisible()


def label_fits(lab: QLabel) -> str | None:
    text = lab.text()
    picture = lab.pixmap()
    if picture is not None and not picture.isNull():
        # A picture (a QR code to scan) squeezed below its own size is drawn cut: the
        # printer-problem page's QR lost its top and bottom rows in large text.
        need = picture.deviceIndependentSize().toSize()
        area = lab.contentsRect()
        if need.width() > area.width() + SLACK or need.height() > area.height() + SLACK:
            return (f"picture {lab.objectName() or 'QLabel'} needs {need.width()}x"
                    f"{need.height()} px, has {area.width()}x{area.height()}")
        return None
    if not text:
        return None
    if lab.textFormat() is Qt.TextFormat.RichText or (
            lab.textFormat() is Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)):
        return None  # rich text lays itself out in a document: not measured here
    area = lab.contentsRect()
    m = lab.margin()
    area.adjust(m, m, -m, -m)
    flags = int(lab.alignment().value)
    if lab.wordWrap():
        flags |= int(Qt.TextFlag.TextWordWrap.value)
    need = QFontMetrics(lab.font()).boundingRect(
        QRect(0, 0, area.width(), 100000), flags, text)
    if need.width() > area.width() + SLACK or need.height() > area.height() + SLACK:
        return (f"{_name(lab)} needs {need.width()}x{need.height()} px, "
                f"has {area.width()}x{area.height()}")
    return None


def button_fits(btn: QAbstractButton) -> str | None:
    if not btn.text():
        return None
    hint = btn.sizeHint()
    if hint.width() > btn.width() + SLACK or hint.height() > btn.height() + SLACK:
        return (f"{_name(btn)} needs {hint.width()}x{hint.height()} px, "
                f"has {btn.width()}x{btn.height()}")
    return None


def table_fits(table: QTableWidget) -> list[str]:
    out: list[str] = []
    viewport = table.viewport().rect()
    fm = QFontMetrics(table.font())
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    for row in range(table.rowCount()):
        for col in range(table.columnCount()):
            item = table.item(row, col)
            if item is None or not item.text():
                continue
            rect = table.visualRect(table.model().index(row, col))
            where = f"table cell {item.text()[:40]!r} (row {row + 1})"
            if not viewport.contains(rect):
                if _scrollable(table, True) and rect.left() >= 0 and rect.right() <= viewport.right():
                    continue  # beyond max_rows: the table's own scroll bar shows
                out.append(f"{where} is cut off by the table ({rect} in {viewport})")
                continue
            width = rect.width() - 2 * margin
            if table.wordWrap():
                flags = int(Qt.TextFlag.TextWordWrap.value)
                need = fm.boundingRect(QRect(0, 0, width, 100000), flags, item.text())
            else:
                need = QRect(0, 0, fm.horizontalAdvance(item.text()), fm.height())
            if need.width() > width + SLACK or need.height() > rect.height() + SLACK:
                out.append(f"{where} needs {need.width()}x{need.height()} px, "
                           f"has {width}x{rect.height()}")
    header: QHeaderView = table.horizontalHeader()
    if header.isVisible():
        hfm = QFontMetrics(header.font())
        for col in range(table.columnCount()):
            head = table.horizontalHeaderItem(col)
            if head is None or not head.text():
                continue
            need = hfm.horizontalAdvance(head.text()) + 2 * margin
            if need > header.sectionSize(col) + SLACK:
                out.append(f"table header {head.text()!r} needs {need} px, "
                           f"has {header.sectionSize(col)}")
    return out


def _scrollable(area: QAbstractScrollArea, vertical: bool) -> bool:
    bar = area.verticalScrollBar() if vertical else area.horizontalScrollBar()
    return bar.isVisible() and bar.maximum() > 0


def _window_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def shown_rect(widget: QWidget) -> tuple[QRect, str | None]:
    """The part of ``widget`` on show (window coordinates), and what cuts it, if anything
    does: a parent's edge, except a scroll area's viewport that can scroll to it."""
    window = widget.window()
    rect = _window_rect(widget)
    parent = widget.parentWidget()
    while parent is not None and rect.isValid():
        prect = _window_rect(parent)
        if not prect.contains(rect):
            scroller = parent.parentWidget()
            if isinstance(scroller, QAbstractScrollArea) and scroller.viewport() is parent:
                cut_v = rect.top() < prect.top() or rect.bottom() > prect.bottom()
                cut_h = rect.left() < prect.left() or rect.right() > prect.right()
                if not ((not cut_v or _scrollable(scroller, True))
                        and (not cut_h or _scrollable(scroller, False))):
                    return rect.intersected(prect), (
                        f"{_name(widget)} at {rect} is cut by a scroll area that cannot scroll")
            else:
                return rect.intersected(prect), (
                    f"{_name(widget)} at {rect} is cut by {type(parent).__name__} at {prect}")
            rect = rect.intersected(prect)
        if parent is window:
            break
        parent = parent.parentWidget()
    return rect, None


def _texts(root: QWidget) -> list[QWidget]:
    kinds = (QLabel, QAbstractButton, QLineEdit, QTableWidget)
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and _shown(w, root)
            and not (isinstance(w, QLabel | QAbstractButton) and not w.text()
                     and (not isinstance(w, QLabel) or w.pixmap() is None
                          or w.pixmap().isNull()))]


def overlaps(widgets: list[QWidget]) -> list[str]:
    out: list[str] = []
    rects = [(w, shown_rect(w)[0]) for w in widgets]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1:]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            common = ra.intersected(rb)
            if common.isValid() and common.width() > SLACK and common.height() > SLACK:
                out.append(f"{_name(a)} overlaps {_name(b)} ({common})")
    return out


FLUSH = 4  # px: a text this close to a scroll area's edge sits against it


def cut_against(widgets: list[QWidget]) -> list[str]:
    """Texts cut part-way by a scroll viewport's top or bottom edge while another text
    (outside that viewport) sits flush against the same edge."""
    out: list[str] = []
    for w in widgets:
        rect, full = shown_rect(w)[0], _window_rect(w)
        if not rect.isValid() or rect.height() >= full.height():
            continue  # wholly in view, or wholly scrolled away
        area = next((p.parentWidget() for p in _ancestors(w)
                     if isinstance(p.parentWidget(), QAbstractScrollArea)
                     and p.parentWidget().viewport() is p), None)
        if area is None:
            continue
        view = _window_rect(area.viewport())
        for other in widgets:
            if other is w or area.isAncestorOf(other):
                continue
            o = shown_rect(other)[0]
            if not o.isValid() or o.right() < rect.left() or o.left() > rect.right():
                continue
            below = full.bottom() > view.bottom() and 0 <= o.top() - view.bottom() <= FLUSH
            above = full.top() < view.top() and 0 <= view.top() - o.bottom() <= FLUSH
            if below or above:
                out.append(f"{_name(w)} is cut by the scroll area's edge against {_name(other)}"
                           " (it reads as drawn over it)")
    return out


def _ancestors(widget: QWidget) -> list[QWidget]:
    out: list[QWidget] = []
    parent = widget.parentWidget()
    while parent is not None:
        out.append(parent)
        parent = parent.parentWidget()
    return out


def clipped(root: QWidget) -> list[str]:
    """Every text under ``root`` (visible) that is not shown whole: empty when all fit."""
    found: list[str] = []
    widgets = _texts(root)
    for w in widgets:
        if isinstance(w, QLabel):
            found.append(label_fits(w) or "")
        elif isinstance(w, QAbstractButton):
            found.append(button_fits(w) or "")
        elif isinstance(w, QTableWidget):
            found += table_fits(w)
        found.append(shown_rect(w)[1] or "")
    found += overlaps(widgets)
    found += cut_against(widgets)
    return [f for f in found if f]
