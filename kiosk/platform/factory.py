"""Build the configured issuing gateway from :class:`~kiosk.config.Config` (composition root).

``platform.backend = "sandbox"``: the embedded :class:`SandboxPlatform` in-process on
``config.data_path / config.platform.sandbox.db_file``. ``"remote"``: a
:class:`RemoteGateway` to ``platform.remote.base_url`` (which may be a
``kiosk sandbox serve`` on another machine or port). ``"nuonuo"``: a
:class:`~kiosk.platform.nuonuo.NuonuoGateway` configured by ``[platform.nuonuo]``,
its token, ledger and downloaded documents in the data folder. ``"baiwang"``: a
:class:`~kiosk.platform.baiwang.BaiwangGateway` configured by ``[platform.baiwang]``.
"""

from __future__ import annotations

from decimal import Decimal

from kiosk.config import Config, SellerConfig, read_secret_file
from kiosk.documents.renderer import DocumentRenderer
from kiosk.model import Seller
from kiosk.platform.baiwang import BaiwangGateway
from kiosk.platform.baiwang_client import BaiwangClient
from kiosk.platform.gateway import IssuingGateway
from kiosk.platform.nuonuo import NuonuoGateway
from kiosk.platform.nuonuo_client import NuonuoClient
from kiosk.platform.nuonuo_token import TokenStore
from kiosk.platform.remote import RemoteGateway
from kiosk.platform.sandbox import SandboxPlatform


def seller_from_config(cfg: SellerConfig) -> Seller:
    return Seller(name=cfg.name, tax_id=cfg.tax_id, address=cfg.address, phone=cfg.phone,
                  bank=cfg.bank, account=cfg.account)


def build_sandbox(config: Config, *, renderer: DocumentRenderer | None = None) -> SandboxPlatform:
    """The sandbox platform the config describes (also what ``kiosk sandbox serve`` serves)."""
    sb = config.platform.sandbox
    return SandboxPlatform(
        config.data_path / sb.db_file,
        seller_from_config(config.seller),
        monthly_quota=Decimal(sb.monthly_quota),
        region_code=config.seller.region_code,
        channel=sb.channel,
        download_base_url=config.platform.download_base_url,
        renderer=renderer,
    )


def build_nuonuo(config: Config) -> NuonuoGateway:
    """The Nuonuo gateway ``[platform.nuonuo]`` describes; ConfigError if its secret is unusable."""
    nn = config.platform.nuonuo
    secret = read_secret_file(config, nn.app_secret_file)
    tax_number = nn.tax_number or config.seller.tax_id
    client = NuonuoClient(nn.gateway_url, nn.token_url, nn.app_key, secret, tax_number,
                          TokenStore(config.data_path, nn.app_key), timeout_s=nn.timeout_s)
    return NuonuoGateway(client, seller_from_config(config.seller), config.data_path,
                         clerk=nn.clerk or config.seller.drawer,
                         extension_number=nn.extension_number, poll_seconds=nn.poll_seconds,
                         session_recheck_s=nn.session_recheck_s)


def build_baiwang(config: Config) -> BaiwangGateway:
    """The Baiwang gateway ``[platform.baiwang]`` describes; ConfigError if a secret is unusable."""
    bw = config.platform.baiwang
    client = BaiwangClient(bw.base_url, bw.app_key, read_secret_file(config, bw.app_secret_file),
                           bw.username, read_secret_file(config, bw.password_file), bw.salt,
                           bw.tax_number or config.seller.tax_id,
                           TokenStore(config.data_path, bw.app_key, provider="baiwang",
                                      refresh_margin_s=300.0, local_limit=1000),
                           timeout_s=bw.timeout_s)
    return BaiwangGateway(client, seller_from_config(config.seller), config.data_path,
                          drawer=bw.drawer or config.seller.drawer,
                          session_recheck_s=bw.session_recheck_s)


def build_gateway(config: Config, *, renderer: DocumentRenderer | None = None) -> IssuingGateway:
    """The issuing gateway for this kiosk: sandbox in-process, remote over HTTP, Nuonuo or
    Baiwang (selected by ``[platform] backend``)."""
    if config.platform.backend == "nuonuo":
        return build_nuonuo(config)
    if config.platform.backend == "baiwang":
        return build_baiwang(config)
    if config.platform.backend == "remote":
        r = config.platform.remote
        return RemoteGateway(r.base_url, r.app_key, r.app_secret, r.timeout_s, r.retries)
    return build_sandbox(config, renderer=renderer)
