"""The password policy for registration and resets: zxcvbn's strength estimate.

zxcvbn (PyPI ``zxcvbn``, the Python port of Dropbox's estimator, 4.5.0 of
2025-02) ships its frequency lists inside the package, so it works offline,
and knows the common passwords, keyboard walks, dates, l33t substitutions and
repeats a hand-written rule set would miss. A password is refused when:

* it is shorter than :data:`MIN_LENGTH` or longer than :data:`MAX_LENGTH`
  (zxcvbn's cost grows with length; scrypt's input need not be long), or
* zxcvbn scores it below :data:`MIN_SCORE` (0..4; 3 = "safely unguessable:
  moderate protection from offline slow-hash attacks"), with the user's own
  username, name, phone and e-mail as dictionary words (``user_inputs``).

The message says what to do, in zh and en; the password itself is never logged.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.accounts.store import AccountError

MIN_LENGTH = 8
MAX_LENGTH = 64
MIN_SCORE = 3


class WeakPassword(AccountError):
    """The password policy refused a password; ``score`` is zxcvbn's (-1: length)."""

    def __init__(self, message_zh: str, message_en: str, score: int) -> None:
        super().__init__(message_zh, message_en)
        self.score = score


def check_password(password: str, user_inputs: Iterable[str] = ()) -> int:
    """zxcvbn's score (>= :data:`MIN_SCORE`) or raise :class:`WeakPassword`."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少 {MIN_LENGTH} 位。",
                           f"A password has at least {MIN_LENGTH} characters.", -1)
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"密码最多 {MAX_LENGTH} 位。",
                           f"A password has at most {MAX_LENGTH} characters.", -1)
    # Imported here: its frequency lists cost start-up time the kiosk does not need
    # until someone registers or resets a password.
    from zxcvbn import zxcvbn

    inputs = [w for w in (s.strip() for s in user_inputs) if w]
    result = zxcvbn(password, user_inputs=inputs)
    score = int(result["score"])
    if score < MIN_SCORE:
        raise WeakPassword(
            "密码太容易被猜到（常见密码、键盘连续键、日期或您的姓名、手机号）。"
            "请用更长的、不相关的几个词或字母数字符号的组合。",
            "That password is too easy to guess (a common password, a keyboard run, a date "
            "or your own name or number). Use a longer mix of unrelated words, digits and signs.",
            score,
        )
    return score
