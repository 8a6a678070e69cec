"""The back-office page in a real browser: Debian's chromium (headless) driven by Selenium.

An operator opens the page, sees the kiosks, searches an order number with the
form, follows a kiosk's link to its audit entries.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import FleetConfig
from kiosk.fleet.publisher import FleetPublisher
from kiosk.fleet.web import BackOffice
from tests.helpers.fleet import IssuingKiosk, invoice_number
from tests.unit.kiosk.fleet.test_central import WAIT_S, stored, with_central

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="chromium/chromium-driver missing: scripts/setup.sh --test installs them")


@pytest.fixture
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _wait_gone(driver: object, element: object) -> None:
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT_S).until(expected_conditions.staleness_of(element))  # type: ignore[arg-type]


def test_operator_finds_an_order_and_a_kiosks_audit_in_the_browser(
        tmp_path: Path, fleet_config: FleetConfig, browser: object) -> None:
    from selenium.webdriver.common.by import By

    kiosk = IssuingKiosk(tmp_path / "kiosk.db")
    kiosk.issue(3)
    pub = FleetPublisher(kiosk.path, fleet_config)
    pub.start()
    try:
        assert pub.wait_published(6, WAIT_S)

        async def body(cs: list[object]) -> None:
            await cs[0].wait_until(lambda: stored(cs) >= 6, WAIT_S)  # type: ignore[attr-defined]
        with_central(fleet_config, body)  # type: ignore[arg-type]
    finally:
        pub.stop()
    office = BackOffice(fleet_config)
    office.start()
    driver: object = browser
    try:
        driver.get(f"{office.url}/?day=2026-03-15")  # type: ignore[attr-defined]
        kiosks = driver.find_element(By.CSS_SELECTOR, "table.kiosks")  # type: ignore[attr-defined]
        assert "k1" in kiosks.text and "OK" in kiosks.text
        rows = driver.find_elements(By.CSS_SELECTOR, "table.invoices tr")  # type: ignore[attr-defined]
        assert len(rows) == 4  # header + 3 invoices
        box = driver.find_element(By.NAME, "q")  # type: ignore[attr-defined]
        box.send_keys("SO00000002")
        # A click starts a navigation and may return before the new page is there: the old
        # rows were read in the fresh-clone run on a loaded machine. Wait for the old page to go.
        old_page = driver.find_element(By.TAG_NAME, "html")  # type: ignore[attr-defined]
        driver.find_element(By.CSS_SELECTOR, "form button").click()  # type: ignore[attr-defined]
        _wait_gone(driver, old_page)
        rows = driver.find_elements(By.CSS_SELECTOR, "table.invoices tr")  # type: ignore[attr-defined]
        assert len(rows) == 2 and invoice_number(2) in rows[1].text
        old_page = driver.find_element(By.TAG_NAME, "html")  # type: ignore[attr-defined]
        driver.find_element(By.LINK_TEXT, "k1").click()  # type: ignore[attr-defined]
        _wait_gone(driver, old_page)
        audit = driver.find_element(By.CSS_SELECTOR, "table.audit")  # type: ignore[attr-defined]
        assert audit.text.count("invoice.issued") == 3
    finally:
        office.stop()
