"""Build the configured issuing gateway from :class:`~kiosk.config.Config` (composition root).

``platform.backend = "sandbox"``: the embedded :class:`SandboxPlatform` in-process on
``config.data_path / config.platform.sandbox.db_file``. ``"remote"``: a
:class:`RemoteGateway` to ``platform.remote.base_url`` (which may be a
``kiosk sandbox serve`` on another machine or port).
"""

from __future__ import annotations

from decimal import Decimal

from kiosk.config import Config, SellerConfig
from kiosk.model import Seller
from kiosk.platform.gateway import IssuingGateway
from kiosk.platform.remote import RemoteGateway
from kiosk.platform.sandbox import SandboxPlatform


def seller_from_config(cfg: SellerConfig) -> Seller:
    return Seller(name=cfg.name, tax_id=cfg.tax_id, address=cfg.address, phone=cfg.phone,
                  bank=cfg.bank, account=cfg.account)


def build_sandbox(config: Config) -> SandboxPlatform:
    """The sandbox platform the config describes (also what ``kiosk sandbox serve`` serves)."""
    sb = config.platform.sandbox
    return SandboxPlatform(
        config.data_path / sb.db_file,
        seller_from_config(config.seller),
        monthly_quota=Decimal(sb.monthly_quota),
        region_code=config.seller.region_code,
        channel=sb.channel,
        download_base_url=config.platform.download_base_url,
    )


def build_gateway(config: Config) -> IssuingGateway:
    """The issuing gateway for this kiosk: sandbox in-process, or remote over HTTP."""
    if config.platform.backend == "remote":
        r = config.platform.remote
        return RemoteGateway(r.base_url, r.app_key, r.app_secret, r.timeout_s, r.retries)
    return build_sandbox(config)
