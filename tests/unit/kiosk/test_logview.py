"""Reading, filtering, following and pruning the JSON logs."""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import os
import queue
import threading
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.logs import JsonFormatter, MaskingFilter
from kiosk.logview import (
    LogFilter,
    ReadStats,
    Tail,
    display_width,
    follow_entries,
    format_row,
    log_files,
    pad,
    parse_time,
    prune_logs,
    read_entries,
)

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def entry(minutes: int, level: str = "INFO", event: str = "app.tick", session: str = "",
          msg: str = "tick", **extra) -> dict:
    ts = (T0 + dt.timedelta(minutes=minutes)).isoformat(timespec="milliseconds")
    return {"ts": ts, "level": level, "logger": "kiosk.test", "event": event, "msg": msg,
            "session": session, **extra}


def write(path: Path, *items: dict | str | bytes) -> None:
    with path.open("ab") as fh:
        for item in items:
            if isinstance(item, dict):
                item = json.dumps(item, ensure_ascii=False)
            if isinstance(item, str):
                item = item.encode("utf-8")
            fh.write(item + b"\n")


@pytest.fixture()
def logdir(tmp_path: Path) -> Path:
    d = tmp_path / "logs"
    d.mkdir()
    write(d / "kiosk.jsonl.2", entry(0, event="app.started"), entry(1, "DEBUG", "device.printer.status"))
    write(d / "kiosk.jsonl.1", entry(10, "WARNING", "device.scanner.offline", "s-aaaa1111"),
          entry(11, "INFO", "session.started", "s-aaaa1111", "会话开始"))
    write(d / "kiosk.jsonl", entry(20, "ERROR", "invoice.failed", "s-bbbb2222", number="2611"),
          entry(21, "INFO", "device", "s-bbbb2222"))
    return d


def events(log_dir: Path, flt: LogFilter | None = None) -> list[str]:
    return [e["event"] for e in read_entries(log_dir, flt)]


def test_files_in_time_order(logdir: Path) -> None:
    (logdir / "kiosk.jsonl.10").write_text("")
    (logdir / "other.txt").write_text("x")
    assert [p.name for p in log_files(logdir)] == [
        "kiosk.jsonl.10", "kiosk.jsonl.2", "kiosk.jsonl.1", "kiosk.jsonl"]
    assert events(logdir) == ["app.started", "device.printer.status", "device.scanner.offline",
                              "session.started", "invoice.failed", "device"]


def test_real_rotating_handler_reads_back_in_order(tmp_path: Path) -> None:
    handler = logging.handlers.RotatingFileHandler(tmp_path / "kiosk.jsonl", maxBytes=400,
                                                   backupCount=50, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("kiosk.test_logview_rotation")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        for i in range(40):
            logger.info("line %d 手机 13812345678", i, extra={"event": "test.line", "i": i})
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert len(log_files(tmp_path)) > 5
    got = list(read_entries(tmp_path))
    assert [e["i"] for e in got] == list(range(40))
    assert "13812345678" not in got[0]["msg"]


def test_filters(logdir: Path) -> None:
    assert events(logdir, LogFilter(min_level=30)) == ["device.scanner.offline", "invoice.failed"]
    assert events(logdir, LogFilter(event="device.*")) == ["device.printer.status",
                                                          "device.scanner.offline"]
    assert events(logdir, LogFilter(event="device")) == ["device"]
    assert events(logdir, LogFilter(session="s-bbbb")) == ["invoice.failed", "device"]
    since = T0 + dt.timedelta(minutes=10)
    until = T0 + dt.timedelta(minutes=20)
    assert events(logdir, LogFilter(since=since, until=until)) == [
        "device.scanner.offline", "session.started", "invoice.failed"]


def test_since_skips_files_last_written_before_it(logdir: Path) -> None:
    old = (T0 - dt.timedelta(days=30)).timestamp()
    os.utime(logdir / "kiosk.jsonl.2", (old, old))
    assert "app.started" not in events(logdir, LogFilter(since=T0 - dt.timedelta(days=1)))


def test_parse_time() -> None:
    now = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
    assert parse_time("2h", now) == now - dt.timedelta(hours=2)
    assert parse_time("3d", now) == now - dt.timedelta(days=3)
    assert parse_time("30m", now) == now - dt.timedelta(minutes=30)
    assert parse_time("1w", now) == now - dt.timedelta(weeks=1)
    assert parse_time("2026-03-01T08:00:00+08:00") == dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)
    local = parse_time("2026-03-01T08:00")
    assert local == dt.datetime(2026, 3, 1, 8, 0).astimezone().astimezone(dt.UTC)
    with pytest.raises(ValueError, match="not a time"):
        parse_time("yesterday")


def test_malformed_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    write(tmp_path / "kiosk.jsonl.1", entry(0), "not json", b"\xff\xfe\x00garbage", "[1, 2]")
    write(tmp_path / "kiosk.jsonl", '{"level": "INFO", "msg": "no ts"}', '{"ts": "bad"}', "",
          '{"ts": "2026-03-01T08:00:00', entry(5))
    stats = ReadStats()
    got = list(read_entries(tmp_path, None, stats))
    assert len(got) == 2
    assert stats.malformed == 6
    assert stats.malformed_by_file == {"kiosk.jsonl.1": 3, "kiosk.jsonl": 3}
    assert stats.shown == 2


def test_display_width_and_pad() -> None:
    assert display_width("abc") == 3
    assert display_width("会话开始") == 8
    assert display_width("ＡＢ") == 4
    assert pad("会话", 6) == "会话  "
    assert display_width(pad("会话开始会话开始", 7, truncate=True)) == 7
    assert pad("会话开始会话开始", 7, truncate=True).endswith("…")


def test_table_rows_align_with_cjk() -> None:
    rows = [format_row(entry(0, msg="会话开始", k="v")), format_row(entry(0, msg="start", k="v"))]
    cols = [display_width(r[: r.index("k=v")]) for r in rows]
    assert cols[0] == cols[1]


def test_table_row_escapes_control_characters() -> None:
    row = format_row(entry(0, msg="bad\x1b[31mred\x07", code="\x00x"))
    assert "\x1b" not in row and "\x07" not in row and "\x00" not in row
    assert "\\x1b[31mred" in row


def test_tail_survives_rotation_and_partial_lines(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.jsonl"
    tail = Tail(path)
    assert tail.poll() == []  # no file yet
    path.write_bytes(b'{"a": 1}\n{"a": 2')
    assert tail.poll() == [b'{"a": 1}']
    with path.open("ab") as fh:
        fh.write(b'}\n{"a": 3}\n')
    assert tail.poll() == [b'{"a": 2}', b'{"a": 3}']
    with path.open("ab") as fh:
        fh.write(b'{"a": 4}\n')
    path.rename(tmp_path / "kiosk.jsonl.1")  # rotation, as RotatingFileHandler does
    path.write_bytes(b'{"a": 5}\n')
    assert tail.poll() == [b'{"a": 4}', b'{"a": 5}']
    path.write_bytes(b'{"a":6}\n')  # truncated in place (shorter than what was read)
    assert tail.poll() == [b'{"a":6}']
    tail.close()


def test_follow_entries_with_a_real_handler(tmp_path: Path) -> None:
    handler = logging.handlers.RotatingFileHandler(tmp_path / "kiosk.jsonl", maxBytes=300,
                                                   backupCount=50, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("kiosk.test_logview_follow")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    logger.info("before", extra={"event": "test.old", "i": -1})
    out: queue.Queue = queue.Queue()
    stop = threading.Event()

    def reader() -> None:
        for e in follow_entries(tmp_path, LogFilter(event="test.*"), stop=stop, poll_s=0.01):
            out.put(e)

    th = threading.Thread(target=reader)
    th.start()
    try:
        assert out.get(timeout=10)["i"] == -1
        for i in range(30):  # several rotations while following
            logger.info("noise", extra={"event": "other.noise"})
            logger.info("line %d", i, extra={"event": "test.line", "i": i})
            assert out.get(timeout=10)["i"] == i
        assert len(log_files(tmp_path)) > 3
    finally:
        stop.set()
        th.join(timeout=10)
        logger.removeHandler(handler)
        handler.close()
    assert not th.is_alive()
    assert out.empty()


def test_tail_reads_files_rotated_between_polls(tmp_path: Path) -> None:
    handler = logging.handlers.RotatingFileHandler(tmp_path / "kiosk.jsonl", maxBytes=200,
                                                   backupCount=50, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("kiosk.test_logview_multi")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        logger.info("first", extra={"event": "t", "i": 0})
        tail = Tail(tmp_path / "kiosk.jsonl")
        got = [json.loads(x)["i"] for x in tail.poll()]
        for i in range(1, 20):  # many rotations before the next poll
            logger.info("line", extra={"event": "t", "i": i})
        assert len(log_files(tmp_path)) > 5
        got += [json.loads(x)["i"] for x in tail.poll()]
        tail.close()
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert got == list(range(20))


def test_follow_last_n(logdir: Path) -> None:
    stop = threading.Event()
    stop.set()  # history, one last poll, then return
    got = [e["event"] for e in follow_entries(logdir, stop=stop, last=2, poll_s=0)]
    assert got == ["invoice.failed", "device"]


def _age(path: Path, days: float, now: dt.datetime) -> None:
    t = (now - dt.timedelta(days=days)).timestamp()
    os.utime(path, (t, t))


def test_prune_by_age(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    for n, days in [(1, 1), (2, 100), (3, 200), (4, 400)]:
        (tmp_path / f"kiosk.jsonl.{n}").write_bytes(b"x" * 10)
        _age(tmp_path / f"kiosk.jsonl.{n}", days, now)
    (tmp_path / "kiosk.jsonl").write_bytes(b"y")
    _age(tmp_path / "kiosk.jsonl", 1000, now)  # the current file is never pruned
    (tmp_path / "unrelated.log").write_bytes(b"z")
    _age(tmp_path / "unrelated.log", 1000, now)
    deleted = prune_logs(tmp_path, retention_days=190, now=now)
    assert sorted(p.name for p in deleted) == ["kiosk.jsonl.3", "kiosk.jsonl.4"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kiosk.jsonl", "kiosk.jsonl.1", "kiosk.jsonl.2", "unrelated.log"]


def test_prune_by_total_size_removes_oldest_first(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    for n in range(1, 6):
        (tmp_path / f"kiosk.jsonl.{n}").write_bytes(b"x" * 100)
        _age(tmp_path / f"kiosk.jsonl.{n}", n, now)
    (tmp_path / "kiosk.jsonl").write_bytes(b"y" * 100)
    deleted = prune_logs(tmp_path, retention_days=190, max_total_bytes=350, now=now)
    assert [p.name for p in deleted] == ["kiosk.jsonl.5", "kiosk.jsonl.4", "kiosk.jsonl.3"]
    assert prune_logs(tmp_path, retention_days=190, max_total_bytes=350, now=now) == []


def test_prune_missing_dir(tmp_path: Path) -> None:
    assert prune_logs(tmp_path / "nope", retention_days=1, max_total_bytes=1) == []


@pytest.fixture()
def cli_config(tmp_path: Path, logdir: Path, monkeypatch) -> str:
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[storage]\ndata_dir = "{tmp_path}"\n', encoding="utf-8")
    return str(cfg)


def test_cli_table_and_json(cli_config: str, capsys) -> None:
    assert main(["--config", cli_config, "logs", "--level", "warning", "--json"]) == 0
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [e["event"] for e in out] == ["device.scanner.offline", "invoice.failed"]
    assert main(["--config", cli_config, "logs", "--event", "session.*", "--utc"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("TIME")
    assert lines[1].startswith("2026-03-01 08:11:00.000  INFO")
    assert "会话开始" in lines[1] and len(lines) == 2
    assert main(["--config", cli_config, "logs", "-n", "1", "--json"]) == 0
    assert [json.loads(x)["event"] for x in capsys.readouterr().out.splitlines()] == ["device"]


def test_cli_reports_malformed_and_bad_args(cli_config: str, logdir: Path, capsys) -> None:
    write(logdir / "kiosk.jsonl", "garbage")
    assert main(["--config", cli_config, "logs", "--json"]) == 0
    assert "skipped 1 malformed line(s) (1 in kiosk.jsonl)" in capsys.readouterr().err
    assert main(["--config", cli_config, "logs", "--since", "soon"]) == 2
    assert "not a time" in capsys.readouterr().err
    assert main(["--config", cli_config, "logs", "--level", "loud"]) == 2
    assert "unknown level" in capsys.readouterr().err
