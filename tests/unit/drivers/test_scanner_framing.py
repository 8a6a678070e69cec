"""Line framing of serial scanners and the keyboard-wedge timing classifier (pure)."""

from __future__ import annotations

import pytest

from drivers.scanner import LineFramer, Rejected, WedgeDetector


def test_crlf_lines_split_in_any_chunking() -> None:
    data = b"ORDER-1\r\nORDER-2\r\n"
    for cut in range(len(data) + 1):
        framer = LineFramer()
        assert framer.feed(data[:cut]) + framer.feed(data[cut:]) == ["ORDER-1", "ORDER-2"]


@pytest.mark.parametrize("suffix", ["\r", "\n", "\r\n", "#END#"])
def test_configurable_suffix(suffix: str) -> None:
    framer = LineFramer(suffix=suffix)
    assert framer.feed(f"A1{suffix}二维码{suffix}".encode()) == ["A1", "二维码"]


def test_stray_cr_lf_from_a_one_char_suffix_is_ignored() -> None:
    framer = LineFramer(suffix="\r")
    assert framer.feed(b"X1\r\nX2\r\n") == ["X1", "X2"]


def test_prefix_is_required_and_removed() -> None:
    framer = LineFramer(prefix="]Q1", suffix="\n")
    items = framer.feed(b"]Q1CODE\nNOPREFIX\n")
    assert items[0] == "CODE"
    assert isinstance(items[1], Rejected) and items[1].reason == "missing_prefix"


def test_non_utf8_is_rejected_and_the_next_line_still_read() -> None:
    framer = LineFramer()
    items = framer.feed(b"\xff\xfe\x80\r\nGOOD\r\n")
    assert isinstance(items[0], Rejected) and items[0].reason == "not_utf8"
    assert items[0].raw == b"\xff\xfe\x80"
    assert items[1] == "GOOD"


def test_control_characters_are_rejected() -> None:
    framer = LineFramer()
    (item,) = framer.feed(b"AB\x1b@CD\r\n")
    assert isinstance(item, Rejected) and item.reason == "control_chars"


def test_over_long_line_is_reported_once_and_dropped() -> None:
    framer = LineFramer(max_length=4096)
    items: list[object] = []
    for _ in range(10):
        items += framer.feed(b"9" * 1000)  # 10,000 bytes without a terminator
    items += framer.feed(b"\r\nNEXT\r\n")
    assert len(items) == 2
    assert isinstance(items[0], Rejected) and items[0].reason == "too_long"
    assert items[1] == "NEXT"


def test_line_of_exactly_the_limit_passes_one_more_is_rejected() -> None:
    framer = LineFramer(max_length=4096)
    assert framer.feed(b"7" * 4096 + b"\r\n") == ["7" * 4096]
    (item,) = framer.feed(b"7" * 4097 + b"\r\n")
    assert isinstance(item, Rejected) and item.reason == "too_long"


def test_empty_suffix_is_refused() -> None:
    with pytest.raises(ValueError, match="suffix"):
        LineFramer(suffix="")


# -- the wedge timing classifier ---------------------------------------------------


def feed_all(det: WedgeDetector, text: str, start: float, step: float):
    outs = []
    t = start
    for ch in text:
        outs.append(det.feed(ch, t))
        t += step
    return outs, t


def test_fast_burst_ending_in_enter_is_a_scan() -> None:
    det = WedgeDetector(min_length=4, max_interval_ms=30)
    outs, _ = feed_all(det, "ORD-12345\r", 1000.0, 5.0)
    assert all(o.held and not o.passthrough for o in outs[:-1])
    assert outs[-1].code == "ORD-12345"
    assert outs[-1].passthrough == ""
    assert det.pending == ""


def test_slow_typing_is_passed_through_in_order() -> None:
    det = WedgeDetector(min_length=4, max_interval_ms=30)
    outs, t = feed_all(det, "abcd", 0.0, 150.0)
    passed = "".join(o.passthrough for o in outs) + det.expire(t + 200)
    assert passed == "abcd"
    assert all(o.code is None for o in outs)


def test_short_fast_burst_with_enter_is_typing() -> None:
    det = WedgeDetector(min_length=4, max_interval_ms=30)
    outs, _ = feed_all(det, "ab\r", 0.0, 5.0)
    assert outs[-1].code is None
    assert outs[-1].passthrough == "ab\r"


def test_a_pause_inside_a_burst_makes_it_typing() -> None:
    det = WedgeDetector(min_length=4, max_interval_ms=30)
    first, t = feed_all(det, "ABCD", 0.0, 5.0)
    second, _ = feed_all(det, "EF\r", t + 100, 5.0)
    assert second[0].passthrough == "ABCD"  # released by the slow key
    assert second[-1].code is None and second[-1].passthrough == "EF\r"


def test_typing_then_a_scan() -> None:
    det = WedgeDetector(min_length=4, max_interval_ms=30)
    typed, t = feed_all(det, "hi", 0.0, 200.0)
    scan, _ = feed_all(det, "QR0001\n", t + 200, 3.0)
    assert "".join(o.passthrough for o in typed + scan) == "hi"
    assert scan[-1].code == "QR0001"


def test_expire_only_after_the_interval() -> None:
    det = WedgeDetector(min_length=4, max_interval_ms=30)
    det.feed("x", 100.0)
    assert det.deadline_ms == 130.0
    assert det.expire(120.0) == ""
    assert det.expire(131.0) == "x"
    assert det.deadline_ms is None
