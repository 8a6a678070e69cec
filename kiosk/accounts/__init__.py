"""Local kiosk accounts: people, sellers and enterprises with members.

* :mod:`~kiosk.accounts.store`: accounts, scrypt passwords, lockout, remembered titles;
* :mod:`~kiosk.accounts.members`: enterprise memberships, roles and the permission check;
* :mod:`~kiosk.accounts.passwords`: the password policy (zxcvbn);
* :mod:`~kiosk.accounts.codes`: verification codes (hashed, throttled);
* :mod:`~kiosk.accounts.service`: :class:`AccountsService`, what the flow and the CLI use;
* :mod:`~kiosk.accounts.schema`: the tables (migration set ``accounts``).
"""

from __future__ import annotations

from kiosk.accounts.codes import CodeError, CodePolicy, CodePurpose
from kiosk.accounts.members import (
    Action,
    MemberError,
    Membership,
    MemberStatus,
    PermissionDenied,
    Role,
)
from kiosk.accounts.passwords import WeakPassword, check_password
from kiosk.accounts.schema import migrations
from kiosk.accounts.service import AccountsService, CodeSent, normalise_mobile
from kiosk.accounts.store import (
    DEMO_ACCOUNTS,
    LOCK_MINUTES,
    MAX_FAILURES,
    MAX_USERNAME_LENGTH,
    MIN_PASSWORD_LENGTH,
    TITLES_KEPT,
    Account,
    AccountError,
    AccountKind,
    AccountStatus,
    AccountStore,
    AuthError,
    mask_username,
    normalise_username,
    seed_demo_accounts,
)

__all__ = [
    "DEMO_ACCOUNTS", "LOCK_MINUTES", "MAX_FAILURES", "MAX_USERNAME_LENGTH",
    "MIN_PASSWORD_LENGTH", "TITLES_KEPT", "Account", "AccountError", "AccountKind",
    "AccountStatus", "AccountStore", "AccountsService", "Action", "AuthError", "CodeError",
    "CodePolicy", "CodePurpose", "CodeSent", "MemberError", "MemberStatus", "Membership",
    "PermissionDenied", "Role", "WeakPassword", "check_password", "mask_username", "migrations",
    "normalise_mobile", "normalise_username", "seed_demo_accounts",
]
