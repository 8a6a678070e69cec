"""The business catalogue: a business account picks items instead of scanning orders."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import TYPE_CHECKING

from kiosk.flow.core import FlowCore, intent
from kiosk.flow.ports import CataloguePorts
from kiosk.flow.states import Screen
from kiosk.flow.transitions import Intent
from kiosk.flow.words import say, text_of

if TYPE_CHECKING:
    from kiosk.catalogue import CatalogueItem


class CatalogueStep:
    """Search, add and remove catalogue lines; on to the buyer."""

    def __init__(self, core: FlowCore, ports: CataloguePorts) -> None:
        self.core = core
        self.ports = ports

    def search(self, text: str) -> list[CatalogueItem]:
        search = self.ports.catalogue_search
        return [] if search is None else list(search(text))

    def add(self, item: CatalogueItem, quantity: Decimal | None = None, *,
            unit_price: Decimal | None = None, amount: Decimal | None = None,
            rate: Decimal | None = None) -> None:
        """Add a catalogue item: quantity with a unit price or an amount (price-inclusive);
        ``rate`` overrides the item's rate (not for exempt / not-taxable items)."""
        from kiosk.catalogue import line_for

        core = self.core
        core.touch()
        identity = core.data.identity
        if identity is None or not identity.business:
            core.notice(say("flow.not_business"))
            return
        try:
            line = line_for(item, quantity, unit_price, amount)
        except ValueError as err:
            core.notice(text_of(err, say("flow.bad_line")))
            return
        if rate is not None and not line.rate_mark and rate != line.rate:
            line = dataclasses.replace(line, rate=rate)
        core.data.catalogue_lines.append(line)
        core.data.notice = None
        core.log("catalogue_added", "catalogue line added", tax_code=line.tax_code,
                 amount=str(line.amount), lines=len(core.data.catalogue_lines))
        core.changed()

    def remove(self, index: int) -> None:
        self.core.touch()
        del self.core.data.catalogue_lines[index]
        self.core.changed()

    @intent(Intent.CATALOGUE_NEXT)
    def next(self) -> None:
        core = self.core
        core.touch()
        if core.screen is not Screen.CATALOGUE:
            return
        if not core.data.catalogue_lines:
            core.notice(say("flow.no_orders"))
            return
        core.data.terms_accepted = True
        core.data.notice = None
        core.go(Screen.BUYER)
