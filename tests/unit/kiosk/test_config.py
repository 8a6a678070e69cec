"""Config loading: the embedded default is valid, each kind of error has its message."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

from kiosk.config import (
    DEFAULT_CONFIG_PATH,
    Config,
    ConfigError,
    config_from_dict,
    hash_pin,
    load_config,
    resolve_path,
    verify_pin,
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "k.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_embedded_default_is_valid_and_emulated() -> None:
    cfg = load_config(DEFAULT_CONFIG_PATH)
    assert cfg.platform.backend == "sandbox"
    assert {cfg.devices.printer.backend, cfg.devices.scanner.backend,
            cfg.devices.idcard.backend, cfg.devices.camera.backend} == {"emulated"}
    assert cfg.source == str(DEFAULT_CONFIG_PATH)


def test_every_schema_key_is_in_the_embedded_default() -> None:
    """The shipped file documents every key (a key added to the schema must be explained)."""
    import dataclasses
    import tomllib

    data = tomllib.loads(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))

    def walk(obj: object, node: dict, where: str) -> None:
        for f in dataclasses.fields(obj):  # type: ignore[arg-type]
            if f.metadata.get("internal"):
                continue
            assert f.name in node, f"{where}{f.name} missing from kiosk.toml"
            value = getattr(obj, f.name)
            if dataclasses.is_dataclass(value):
                walk(value, node[f.name], f"{where}{f.name}.")

    walk(Config(), data, "")


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, ""))
    assert cfg.devices.printer.encoding == "GB18030"
    assert cfg.ui.language == "zh_CN"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[ui\nlanguage='en'", "TOML syntax error"),
        ("[ui]\nlanguag = 'en'", "unknown key 'ui.languag'"),
        # A quoted key may hold a newline: shown escaped, the error stays one line (the
        # fuzz test found it echoed raw).
        ('[ui]\n"a\\nb" = 1', "unknown key 'ui.a\\nb'"),
        ("[devices.printer]\nbaudrate = 'fast'", "key 'devices.printer.baudrate' expects an integer"),
        ("[ui]\nlarge_text = 1", "key 'ui.large_text' expects true or false"),
        ("[devices.printer]\nencoding = 'latin1'", "expects one of 'GB18030', 'GBK', 'Big5', 'UTF-8'"),
        ("[devices.printer]\npaper_width_mm = 72", "key 'devices.printer.paper_width_mm' expects one of 58, 80"),
        ("[ui]\nidle_timeout_s = 1", "key 'ui.idle_timeout_s' expects a value from 10 to 3600"),
        ("[platform.sandbox]\nmonthly_quota = 'lots'", "non-negative decimal"),
        ("[seller]\nregion_code = 'BJ'", "key 'seller.region_code' has an unexpected form"),
        ("devices = 3", "[devices] must be a table"),
        ("[admin]\npin_hash = '1234'", "key 'admin.pin_hash' has an unexpected form"),
        ("[devices.camera]\nformats = 'qr,barcode'", "key 'devices.camera.formats' has an unexpected"),
    ],
)
def test_each_kind_of_error_names_file_key_and_expectation(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message
    assert expected in message
    assert "\n" not in message.strip() or "TOML" in message


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"[seller]\nname = '\xb1\xb1'\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(bad)


def test_camera_formats_default_to_qr_and_take_a_list(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "")).devices.camera.formats == "qr"
    cfg = load_config(write(tmp_path, "[devices.camera]\nformats = 'qr, code128'"))
    assert cfg.devices.camera.formats == "qr, code128"


def test_integers_are_accepted_for_float_keys(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, "[platform.remote]\ntimeout_s = 3"))
    assert cfg.platform.remote.timeout_s == 3.0


def test_config_and_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[storage]\ndata_dir = 'rel/data'")
    monkeypatch.setenv("KIOSK_CONFIG", str(path))
    monkeypatch.delenv("KIOSK_DATA_DIR")
    assert resolve_path() == path
    assert load_config().data_path == tmp_path / "rel" / "data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "override"))
    assert load_config().data_path == tmp_path / "override"
    assert resolve_path(tmp_path / "x.toml") == tmp_path / "x.toml"


def test_frozen_and_redacted() -> None:
    cfg = config_from_dict({"mail": {"password": "hunter2"}})
    with pytest.raises(AttributeError):
        cfg.ui = None  # type: ignore[misc]
    red = cfg.redacted()
    assert red["mail"]["password"] == "***"
    assert red["platform"]["remote"]["app_secret"] == "***"
    assert red["admin"]["pin_hash"] == "***"
    assert red["seller"]["name"] == cfg.seller.name


def test_pin_hash_round_trip() -> None:
    stored = hash_pin("135790", n=1024)
    assert verify_pin("135790", stored)
    assert not verify_pin("135791", stored)
    assert not verify_pin("135790", "garbage")


def test_shipped_demo_pin_matches_its_hash() -> None:
    assert verify_pin("246810", Config().admin.pin_hash)


def test_shipped_seller_tax_id_passes_its_checks() -> None:
    from kiosk.rules import is_valid_credit_code

    assert is_valid_credit_code(load_config(DEFAULT_CONFIG_PATH).seller.tax_id)
    assert is_valid_credit_code(Config().seller.tax_id)


def test_voice_and_presence_defaults_are_the_documented_ones() -> None:
    """kiosk.toml documents [voice] and [presence] with exactly the schema's defaults."""
    from kiosk.config import PresenceConfig, VoiceConfig

    data = tomllib.loads(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    for name, cls in (("voice", VoiceConfig), ("presence", PresenceConfig)):
        assert data[name] == dataclasses.asdict(cls()), f"[{name}] in kiosk.toml != schema"
    cfg = load_config(DEFAULT_CONFIG_PATH)
    assert not cfg.voice.enabled and cfg.voice.engine == "espeak-ng"
    assert 3 <= cfg.presence.fps <= 5


@pytest.mark.parametrize(("section", "key", "value", "expect"), [
    ("voice", "engine", "festival", "expects one of 'espeak-ng', 'sherpa-onnx'"),
    ("voice", "volume", 101, "expects a value from 0 to 100"),
    ("presence", "fps", 10, "expects a value from 3 to 5"),
    ("presence", "face_store", True, "unknown key 'presence.face_store'"),
])
def test_voice_and_presence_are_checked(section: str, key: str, value: object,
                                        expect: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(expect)):
        config_from_dict({section: {key: value}})
