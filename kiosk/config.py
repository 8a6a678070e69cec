"""Kiosk configuration: ``kiosk.toml`` loaded with ``tomllib`` into a frozen schema.

Every section is a frozen dataclass with defaults, so an empty file is a
working emulated kiosk. Loading checks each key against the schema: an unknown
key, a wrong type or a value out of range raises :class:`ConfigError` with one
message naming the file, the key and what is expected. No traceback ever
reaches a user.

Where the file comes from: ``--config PATH``, else ``$KIOSK_CONFIG``, else the
embedded default ``kiosk.toml`` at the repository root (installed beside the
package). ``$KIOSK_DATA_DIR`` overrides ``storage.data_dir``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import secrets
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.camera.formats import DEFAULT_FORMATS, FORMATS_PATTERN
from drivers.printer.encoding import ENCODINGS
from drivers.printer.paper import PAPER_WIDTHS_MM

# The embedded default sits at the repository root (an editable install and a
# source checkout both see it there).
DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent.parent / "kiosk.toml"


class ConfigError(Exception):
    """A configuration file is wrong; ``str(err)`` is the one-line message."""


def _choice(*values: str) -> dict[str, Any]:
    return {"choices": values}


def _range(lo: float, hi: float) -> dict[str, Any]:
    return {"range": (lo, hi)}


# Printed or shown text: the one text rule (kiosk.rules.text) applies.
_TEXT: dict[str, Any] = {"text": True}


@dataclass(frozen=True)
class KioskConfig:
    """What this installation is."""

    # A demonstration kiosk: the shipped, public demo secrets (technician PIN,
    # receipt-QR key, platform app secret) are allowed. On a real terminal
    # (systemd/install.sh writes false) any of them is an error.
    demo: bool = True


@dataclass(frozen=True)
class SellerConfig:
    """The seller the kiosk issues for (销售方)."""

    name: str = field(default="北京示例科技有限公司", metadata=_TEXT)
    tax_id: str = field(default="91110108MA01ABCD5T", metadata=_TEXT)
    address: str = field(default="北京市海淀区中关村大街1号", metadata=_TEXT)
    phone: str = field(default="010-62345678", metadata=_TEXT)
    bank: str = field(default="中国工商银行北京中关村支行", metadata=_TEXT)
    account: str = field(default="0200001234567890123", metadata=_TEXT)
    # ASCII digits only: they become part of every invoice number ([0-9], not \d,
    # which also matches Arabic-Indic and full-width digits).
    region_code: str = field(default="11", metadata={"pattern": r"^[0-9]{2}$"})
    drawer: str = field(default="自助终端", metadata=_TEXT)  # 开票人


@dataclass(frozen=True)
class SandboxConfig:
    """The embedded sandbox platform."""

    db_file: str = "sandbox.db"  # relative to storage.data_dir
    monthly_quota: str = field(default="1000000.00", metadata={"decimal": True})
    channel: str = field(default="2", metadata={"pattern": r"^[0-9]$"})
    serve_downloads: bool = True  # `kiosk run` serves invoice downloads at download_base_url


@dataclass(frozen=True)
class RemoteConfig:
    """A remote platform reached over HTTP (``kiosk sandbox serve`` speaks it too)."""

    base_url: str = "http://127.0.0.1:8470"
    app_key: str = "kiosk-demo"
    app_secret: str = field(default="change-me-demo-secret", metadata={"secret": True})
    timeout_s: float = field(default=10.0, metadata=_range(0.1, 300))
    retries: int = field(default=2, metadata=_range(0, 10))


@dataclass(frozen=True)
class NuonuoConfig:
    """The Nuonuo open platform (诺诺开放平台, 诺税通 SaaS): see docs/nuonuo.md."""

    gateway_url: str = field(default="https://sdk.nuonuo.com/open/v1/services",
                             metadata={"pattern": r"^https?://[^\s?#]+/open/v1/services/?$"})
    token_url: str = field(default="https://open.nuonuo.com/accessToken",
                           metadata={"pattern": r"^https?://[^\s?#]+$"})
    app_key: str = ""
    # A file holding only the app secret (mode 0600); relative to the config file's folder.
    app_secret_file: str = field(default="", metadata={"secret_file": True})
    tax_number: str = ""  # the tax number the app is authorised for (userTax); "" = seller.tax_id
    clerk: str = ""  # 开票员 registered for 数电 issuing; "" = seller.drawer
    extension_number: str = ""  # 分机号, "" = the default one
    poll_seconds: float = field(default=2.0, metadata=_range(0, 60))
    timeout_s: float = field(default=10.0, metadata=_range(0.1, 300))
    # After the clerk's bureau session lapsed (out of service), seconds before the kiosk
    # tries issuing again: Nuonuo has no call that says the session is back.
    session_recheck_s: float = field(default=300.0, metadata=_range(10, 86400))


@dataclass(frozen=True)
class BaiwangConfig:
    """The Baiwang open platform (百望云): see docs/baiwang.md."""

    base_url: str = field(default="https://openapi.baiwang.com",
                          metadata={"pattern": r"^https?://[^\s?#]+$"})
    app_key: str = ""
    # Files holding only the appSecret / the API user's password (mode 0600), relative to the
    # config file's folder.
    app_secret_file: str = field(default="", metadata={"secret_file": True})
    username: str = ""  # the API user Baiwang created for this seller
    password_file: str = field(default="", metadata={"secret_file": True})
    salt: str = ""  # the user's salt from the Baiwang console (hashed with the password)
    tax_number: str = ""  # taxNo the app is authorised for; "" = seller.tax_id
    drawer: str = ""  # 开票人; "" = seller.drawer
    timeout_s: float = field(default=10.0, metadata=_range(0.1, 300))
    session_recheck_s: float = field(default=300.0, metadata=_range(10, 86400))


@dataclass(frozen=True)
class PlatformConfig:
    backend: str = field(default="sandbox",
                         metadata=_choice("sandbox", "remote", "nuonuo", "baiwang"))
    # Base URL a phone uses to fetch an issued invoice's PDF/XML (the QR codes carry it).
    download_base_url: str = "http://127.0.0.1:8470"
    sandbox: SandboxConfig = field(default_factory=SandboxConfig)
    remote: RemoteConfig = field(default_factory=RemoteConfig)
    nuonuo: NuonuoConfig = field(default_factory=NuonuoConfig)
    baiwang: BaiwangConfig = field(default_factory=BaiwangConfig)


@dataclass(frozen=True)
class OrdersConfig:
    # HMAC key shared with the point of sale that prints receipt QR codes.
    qr_secret: str = field(default="demo-order-qr-secret", metadata={"secret": True})
    seed_demo: bool = True  # seed demo orders on first start with an empty database


@dataclass(frozen=True)
class PrinterConfig:
    backend: str = field(
        default="emulated", metadata=_choice("emulated", "serial", "usb", "network", "none")
    )
    url: str = ""  # serial: a pyserial URL or device path, e.g. /dev/kiosk-printer
    baudrate: int = field(default=115200, metadata=_range(1200, 4_000_000))
    usb_vendor_id: int = field(default=0, metadata=_range(0, 0xFFFF))
    usb_product_id: int = field(default=0, metadata=_range(0, 0xFFFF))
    host: str = ""  # network printers (port 9100)
    port: int = field(default=9100, metadata=_range(1, 65535))
    encoding: str = field(default="GB18030", metadata=_choice(*ENCODINGS))
    paper_width_mm: int = field(default=80, metadata={"choices": PAPER_WIDTHS_MM})
    qr_mode: str = field(default="native", metadata=_choice("native", "image"))
    status_timeout_s: float = field(default=1.0, metadata=_range(0.05, 30))


@dataclass(frozen=True)
class ScannerConfig:
    backend: str = field(default="emulated", metadata=_choice("emulated", "serial", "wedge", "none"))
    url: str = ""  # serial scanner: device path or pyserial URL
    baudrate: int = field(default=9600, metadata=_range(1200, 4_000_000))
    prefix: str = ""  # characters the scanner sends before each code
    # Line terminator the scanner sends after each code; never empty (codes would never end).
    suffix: str = field(default="\r\n", metadata={"nonempty": True})
    wedge_max_interval_ms: int = field(default=30, metadata=_range(1, 1000))


@dataclass(frozen=True)
class IdCardConfig:
    backend: str = field(default="emulated", metadata=_choice("emulated", "serial", "none"))
    url: str = ""  # device path or pyserial URL
    baudrate: int = field(default=115200, metadata=_range(1200, 4_000_000))


@dataclass(frozen=True)
class CameraConfig:
    backend: str = field(default="emulated", metadata=_choice("emulated", "opencv", "none"))
    source: str = "0"  # OpenCV device index, file path or stream URL
    decoder: str = field(default="zxing", metadata=_choice("zxing", "pyzbar"))
    # Symbol formats to search, comma-separated (drivers.camera.formats.FORMATS).
    formats: str = field(default=DEFAULT_FORMATS, metadata={"pattern": FORMATS_PATTERN})
    width: int = field(default=1280, metadata=_range(160, 7680))
    height: int = field(default=720, metadata=_range(120, 4320))
    preview_fps: int = field(default=10, metadata=_range(1, 60))


@dataclass(frozen=True)
class DevicesConfig:
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    idcard: IdCardConfig = field(default_factory=IdCardConfig)
    camera: CameraConfig = field(default_factory=CameraConfig)


@dataclass(frozen=True)
class StorageConfig:
    # Where the database, logs, maildir and documents live. Relative paths are
    # taken from the config file's folder; "~" is expanded.
    data_dir: str = "~/.local/share/fapiao-kiosk"
    # Daily automatic backups of kiosk.db (SQLite's online backup API), kept in
    # this folder (relative to data_dir); the newest backup_keep are kept, 0 = off.
    backup_dir: str = "backups"
    backup_keep: int = field(default=7, metadata=_range(0, 3650))


@dataclass(frozen=True)
class UiConfig:
    language: str = field(default="zh_CN", metadata=_choice("zh_CN", "en"))
    idle_timeout_s: int = field(default=90, metadata=_range(10, 3600))
    idle_countdown_s: int = field(default=15, metadata=_range(3, 120))
    large_text: bool = False
    kiosk_mode: bool = True  # full screen, frameless, no desktop escape
    support_phone: str = field(default="010-12366", metadata=_TEXT)
    support_text: str = field(default="请联系大厅工作人员", metadata=_TEXT)
    # The same words for the English screens (support_text stayed Chinese in English).
    support_text_en: str = field(default="Please ask the staff in the hall", metadata=_TEXT)


@dataclass(frozen=True)
class AdminConfig:
    # scrypt hash of the technician PIN: make one with `kiosk config hash-pin`.
    # The default is the hash of 246810 - change it on every real terminal.
    pin_hash: str = field(
        default="scrypt$16384$8$1$6b696f736b2d64656d6f2d73616c74$"
        "9be19be97892d1fb6fe9f62cc1da7c7eee81828b33b21e5a7866a4d73a3e832f",
        metadata={"secret": True, "pattern": r"^scrypt\$\d+\$\d+\$\d+\$[0-9a-f]+\$[0-9a-f]+$"},
    )
    max_attempts: int = field(default=5, metadata=_range(1, 100))
    lockout_s: int = field(default=300, metadata=_range(1, 86400))


@dataclass(frozen=True)
class MailConfig:
    backend: str = field(default="maildir", metadata=_choice("maildir", "smtp"))
    host: str = "localhost"
    port: int = field(default=587, metadata=_range(1, 65535))
    security: str = field(default="starttls", metadata=_choice("none", "starttls", "tls"))
    username: str = ""
    password: str = field(default="", metadata={"secret": True})
    sender: str = "kiosk@example.invalid"
    timeout_s: float = field(default=20.0, metadata=_range(0.5, 300))


@dataclass(frozen=True)
class AccountsConfig:
    """Verification codes (kiosk.accounts.codes): lifetime, tries and throttling."""

    code_ttl_s: int = field(default=300, metadata=_range(60, 3600))
    code_max_tries: int = field(default=5, metadata=_range(1, 20))
    code_resend_s: int = field(default=60, metadata=_range(10, 3600))
    code_daily_limit: int = field(default=10, metadata=_range(1, 100))


@dataclass(frozen=True)
class SmsConfig:
    """How codes reach a phone (kiosk.messaging): the ``sms/`` folder or Aliyun Dysms."""

    backend: str = field(default="folder", metadata=_choice("folder", "aliyun"))
    endpoint: str = "https://dysmsapi.aliyuncs.com/"
    access_key_id: str = ""
    access_key_secret: str = field(default="", metadata={"secret": True})
    sign_name: str = ""
    template_code: str = ""
    region_id: str = "cn-hangzhou"
    timeout_s: float = field(default=10.0, metadata=_range(0.5, 120))


@dataclass(frozen=True)
class LoggingConfig:
    level: str = field(default="INFO", metadata=_choice("DEBUG", "INFO", "WARNING", "ERROR"))
    max_bytes: int = field(default=5_000_000, metadata=_range(10_000, 1_000_000_000))
    backups: int = field(default=40, metadata=_range(1, 1000))
    retention_days: int = field(default=190, metadata=_range(1, 3650))


@dataclass(frozen=True)
class VoiceConfig:
    """Spoken guidance (kiosk.voice): each screen's prompt and the review read-back."""

    enabled: bool = False  # spoken at start of each walk-in; people can switch it on or off
    volume: int = field(default=80, metadata=_range(0, 100))  # percent
    engine: str = field(default="espeak-ng", metadata=_choice("espeak-ng", "sherpa-onnx"))
    model_path: str = ""  # sherpa-onnx: the operator's Mandarin VITS model folder


@dataclass(frozen=True)
class PresenceConfig:
    """Presence from the camera on the attract screen (kiosk.presence); identifies no one."""

    enabled: bool = False
    fps: int = field(default=4, metadata=_range(3, 5))
    frames_to_wake: int = field(default=3, metadata=_range(1, 30))
    seconds_to_rest: float = field(default=8.0, metadata=_range(1, 600))


@dataclass(frozen=True)
class FleetCentralConfig:
    """The central service (``kiosk central serve``): PostgreSQL, consumer, back-office page."""

    database_url: str = field(
        default="postgresql://kiosk@127.0.0.1:5432/kiosk_fleet", metadata={"secret": True}
    )
    consumer: str = field(default="central", metadata={"pattern": r"^[A-Za-z0-9_-]{1,64}$"})
    batch: int = field(default=200, metadata=_range(1, 10_000))
    ack_wait_s: float = field(default=30.0, metadata=_range(1, 3600))
    http_host: str = "127.0.0.1"
    http_port: int = field(default=8480, metadata=_range(0, 65535))


@dataclass(frozen=True)
class FleetConfig:
    """Many kiosks, one back office (docs/fleet.md). Off by default: a kiosk is an island."""

    enabled: bool = False
    # This terminal's name in the fleet; "" = the host name. Letters, digits, - and _.
    kiosk_id: str = field(default="", metadata={"pattern": r"^[A-Za-z0-9_-]{0,64}$"})
    nats_url: str = "nats://127.0.0.1:4222"
    stream: str = field(default="KIOSK_FLEET", metadata={"pattern": r"^[A-Za-z0-9_-]{1,64}$"})
    subject_prefix: str = field(default="fleet", metadata={"pattern": r"^[A-Za-z0-9_-]{1,32}$"})
    updates_bucket: str = field(
        default="kiosk_updates", metadata={"pattern": r"^[A-Za-z0-9_-]{1,64}$"}
    )
    retry_s: float = field(default=5.0, metadata=_range(0.1, 3600))
    heartbeat_s: float = field(default=30.0, metadata=_range(1, 3600))
    # Days the stream keeps a record for the central service (0 = no age limit).
    stream_max_age_days: float = field(default=30.0, metadata=_range(0, 3650))
    metrics_port: int = field(default=0, metadata=_range(0, 65535))  # 0 = no HTTP endpoint
    metrics_textfile: str = ""  # node exporter textfile collector path, "" = none
    central: FleetCentralConfig = field(default_factory=FleetCentralConfig)


@dataclass(frozen=True)
class Config:
    kiosk: KioskConfig = field(default_factory=KioskConfig)
    seller: SellerConfig = field(default_factory=SellerConfig)
    platform: PlatformConfig = field(default_factory=PlatformConfig)
    orders: OrdersConfig = field(default_factory=OrdersConfig)
    devices: DevicesConfig = field(default_factory=DevicesConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    admin: AdminConfig = field(default_factory=AdminConfig)
    mail: MailConfig = field(default_factory=MailConfig)
    sms: SmsConfig = field(default_factory=SmsConfig)
    accounts: AccountsConfig = field(default_factory=AccountsConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    voice: VoiceConfig = field(default_factory=VoiceConfig)
    presence: PresenceConfig = field(default_factory=PresenceConfig)
    fleet: FleetConfig = field(default_factory=FleetConfig)
    # Not keys of the file: where it came from, and the resolved data folder.
    source: str = field(default="<defaults>", metadata={"internal": True})
    base_dir: Path = field(default=Path("."), metadata={"internal": True})  # the file's folder
    data_path: Path = field(default=Path("."), metadata={"internal": True})

    def redacted(self) -> dict[str, Any]:
        """The effective configuration as a dict, secrets replaced by ``***``."""
        redacted: dict[str, Any] = _redact(self)
        return redacted

    def as_data(self) -> dict[str, Any]:
        """The effective configuration as the file's data (secrets kept): what a remote
        override merges over."""
        data: dict[str, Any] = _redact(self, keep_secrets=True)
        return data


def _redact(obj: Any, keep_secrets: bool = False) -> Any:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        if f.metadata.get("internal"):
            continue
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            out[f.name] = _redact(value, keep_secrets)
        elif isinstance(value, tuple):
            out[f.name] = list(value)
        elif f.metadata.get("secret") and value and not keep_secrets:
            out[f.name] = "***"
        else:
            out[f.name] = value
    return out


_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def _build(cls: type, data: Any, where: str, file: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: [{where}] must be a table, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{where}.{key}" if where else key
        if key not in fields:
            known = ", ".join(sorted(fields))
            # The key is the file's own text: a newline or control in it is shown escaped,
            # so the error stays the one line the journal and `config check` print.
            shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in dotted)
            raise ConfigError(f"{file}: unknown key '{shown}' (known keys here: {known})")
        f = fields[key]
        typ = hints[key]
        if isinstance(typ, type) and dataclasses.is_dataclass(typ):
            kwargs[key] = _build(typ, value, dotted, file)
            continue
        kwargs[key] = _check_value(f, typ, value, dotted, file)
    return cls(**kwargs)


def _check_value(f: dataclasses.Field[Any], typ: Any, value: Any, key: str, file: str) -> Any:
    if isinstance(typ, types.UnionType):  # not used by the schema today
        typ = typing.get_args(typ)[0]
    ok = isinstance(value, typ) and not (typ is int and isinstance(value, bool))
    if typ is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ConfigError(
            f"{file}: key '{key}' expects {_TYPE_NAMES.get(typ, typ.__name__)}, "
            f"got {value!r} ({type(value).__name__})"
        )
    meta = f.metadata
    if meta.get("nonempty") and not value:
        raise ConfigError(f"{file}: key '{key}' must not be empty")
    if meta.get("text"):
        from kiosk.rules.text import describe_chars, forbidden_chars

        bad = forbidden_chars(value)
        if bad:
            raise ConfigError(f"{file}: key '{key}' holds control or invisible characters "
                              f"({describe_chars(bad)})")
    if "choices" in meta and value not in meta["choices"]:
        choices = ", ".join(repr(c) for c in meta["choices"])
        raise ConfigError(f"{file}: key '{key}' expects one of {choices}, got {value!r}")
    if "range" in meta:
        lo, hi = meta["range"]
        if not lo <= value <= hi:
            raise ConfigError(f"{file}: key '{key}' expects a value from {lo} to {hi}, got {value!r}")
    if "pattern" in meta:
        import re

        if not re.fullmatch(meta["pattern"], value):
            raise ConfigError(
                f"{file}: key '{key}' has an unexpected form {ascii(value)} "
                f"(expected {meta['pattern']})"
            )
    if meta.get("decimal"):
        from decimal import Decimal, InvalidOperation

        try:
            number = Decimal(value)
            # Infinity, NaN and huge exponents parse as Decimals but are no amount of money.
            if not number.is_finite() or number < 0 or number.adjusted() > 15:
                raise InvalidOperation
        except InvalidOperation:
            raise ConfigError(
                f"{file}: key '{key}' expects a non-negative decimal string like \"1000.00\", "
                f"got {ascii(value)}"
            ) from None
    return value


def resolve_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The config file to use: explicit, else ``$KIOSK_CONFIG``, else the default."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KIOSK_CONFIG")
    if env:
        return Path(env)
    return DEFAULT_CONFIG_PATH


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Load and validate a config file; raises :class:`ConfigError` with one clear message."""
    file = resolve_path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such configuration file") from None
    except OSError as err:
        raise ConfigError(f"{file}: cannot read it ({err.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise ConfigError(f"{file}: not UTF-8 text (byte {err.start})") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{file}: TOML syntax error: {err}") from None
    return config_from_dict(data, source=str(file), base_dir=file.resolve().parent)


def config_from_dict(
    data: dict[str, Any], source: str = "<dict>", base_dir: Path | None = None
) -> Config:
    """Build a validated :class:`Config` from parsed TOML data (tests use this too)."""
    cfg: Config = _build(Config, data, "", source)
    data_dir = os.environ.get("KIOSK_DATA_DIR") or cfg.storage.data_dir
    data_path = Path(data_dir).expanduser()
    if not data_path.is_absolute():
        data_path = (base_dir or Path.cwd()) / data_path
    return dataclasses.replace(cfg, source=source, data_path=data_path,
                               base_dir=base_dir or Path.cwd())


def secret_file_path(config: Config, name: str) -> Path:
    """A secret file named in the config: ``~`` expanded, relative to the config file's folder."""
    path = Path(name).expanduser()
    return path if path.is_absolute() else config.base_dir / path


def read_secret_file(config: Config, name: str) -> str:
    """The secret in ``name`` (one line, surrounding whitespace dropped); ConfigError if unusable."""
    path = secret_file_path(config, name)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as err:
        raise ConfigError(f"{config.source}: cannot read the secret file {path} "
                          f"({err.strerror})") from None
    if not text or "\n" in text:
        raise ConfigError(f"{config.source}: the secret file {path} must hold one non-empty line")
    return text


def secret_file_problems(config: Config) -> list[str]:
    """What ``kiosk config check`` refuses about secret files: missing, empty, or readable by others."""
    problems: list[str] = []
    nn = config.platform.nuonuo
    if config.platform.backend == "nuonuo":
        if not nn.app_key:
            problems.append(f"{config.source}: backend \"nuonuo\" needs platform.nuonuo.app_key")
        if not nn.app_secret_file:
            problems.append(f"{config.source}: backend \"nuonuo\" needs "
                            "platform.nuonuo.app_secret_file")
    bw = config.platform.baiwang
    if config.platform.backend == "baiwang":
        for key in ("app_key", "app_secret_file", "username", "password_file"):
            if not getattr(bw, key):
                problems.append(f"{config.source}: backend \"baiwang\" needs "
                                f"platform.baiwang.{key}")
    for key, name in (("platform.nuonuo.app_secret_file", nn.app_secret_file),
                      ("platform.baiwang.app_secret_file", bw.app_secret_file),
                      ("platform.baiwang.password_file", bw.password_file)):
        if name:
            problems += _secret_file_problems(config, key, name)
    return problems


def _secret_file_problems(config: Config, key: str, name: str) -> list[str]:
    path = secret_file_path(config, name)
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return [f"{config.source}: {key} {path}: {err.strerror}"]
    if mode & 0o077:
        return [f"{config.source}: {key} {path} is readable by others (mode {mode & 0o777:o}); "
                f"run: chmod 600 {path}"]
    try:
        read_secret_file(config, name)
    except ConfigError as err:
        return [str(err)]
    return []


# --- the admin PIN -----------------------------------------------------------
# hashlib.scrypt is the standard library's memory-hard KDF; no dependency needed.


def hash_pin(pin: str, *, n: int = 16384, r: int = 8, p: int = 1, salt: bytes | None = None) -> str:
    """Hash a PIN or password as ``scrypt$n$r$p$salt_hex$hash_hex``."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Check a PIN against a ``scrypt$...`` hash in constant time."""
    try:
        _, n, r, p, salt_hex, hash_hex = stored.split("$")
        digest = hashlib.scrypt(
            pin.encode("utf-8"), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p),
            dklen=len(hash_hex) // 2,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), hash_hex)
