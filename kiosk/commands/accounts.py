"""``kiosk accounts``: operators create, list, disable accounts and reset passwords.

    echo 'violet-harbour-7-lantern' | kiosk accounts create acme --kind enterprise \\
        --name 示例科技有限公司 --tax-id 91350200776049653A --phone 13800000001
    echo '...' | kiosk accounts create wang --kind person --phone 13800000002 \\
        --enterprise acme --role issuer
    kiosk accounts list [--json]
    kiosk accounts disable wang
    echo 'new password' | kiosk accounts reset-password wang

Passwords are read from standard input (the first line), never from the
command line (it would show in ``ps`` and the shell history), and must pass the
password policy (:mod:`kiosk.accounts.passwords`). An operator's account is
active at once (no verification code); every change is in the audit trail with
the actor ``operator``. Phone numbers and e-mail addresses are listed masked.
Exit codes: 0 done, 1 refused (one line on stderr says why).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk.accounts import AccountError, AccountKind, AccountsService, MemberError, Role
from kiosk.cli import CommandError
from kiosk.commands.orders import DB_FILE_NAME
from kiosk.masking import mask_email, mask_phone


def register(sub: Any) -> None:
    parser = sub.add_parser("accounts", help="create, list and disable kiosk accounts")
    asub = parser.add_subparsers(dest="accounts_command", metavar="ACTION", required=True)
    create = asub.add_parser("create", help="create an account (password on standard input)")
    create.add_argument("username")
    create.add_argument("--kind", required=True,
                        choices=[AccountKind.PERSON.value, AccountKind.ENTERPRISE.value])
    create.add_argument("--name", default="", help="the person's or enterprise's name")
    create.add_argument("--tax-id", default="", help="an enterprise's unified social credit code")
    create.add_argument("--phone", default="", help="mobile number (11 digits)")
    create.add_argument("--email", default="")
    create.add_argument("--enterprise", default="", metavar="ENTERPRISE_USERNAME",
                        help="make the new person a member of this enterprise account")
    create.add_argument("--role", choices=[r.value for r in Role],
                        help="the member's role (with --enterprise)")
    create.set_defaults(func=create_cmd)
    lst = asub.add_parser("list", help="list the accounts with their enterprise and role")
    lst.add_argument("--json", action="store_true", help="one JSON object per account")
    lst.set_defaults(func=list_cmd)
    disable = asub.add_parser("disable", help="stop an account from logging in or acting")
    disable.add_argument("username")
    disable.set_defaults(func=disable_cmd)
    reset = asub.add_parser("reset-password",
                            help="set a new password (read from standard input)")
    reset.add_argument("username")
    reset.set_defaults(func=reset_cmd)


def _service(config: Any) -> tuple[Any, AccountsService]:
    from pathlib import Path

    from kiosk import storage
    from kiosk.services import build_services

    db = storage.open_database(Path(config.data_path) / DB_FILE_NAME)
    return db, build_services(config, db).accounts


def read_password() -> str:
    """The first line of standard input, without its line ending."""
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise CommandError("give the password on standard input (one line)")
    return password


def _refused(err: AccountError | MemberError) -> CommandError:
    return CommandError(f"refused: {err.message_en}")


def create_cmd(args: argparse.Namespace, ctx: Any) -> int:
    if bool(args.enterprise) != bool(args.role):
        raise CommandError("--enterprise and --role go together")
    password = read_password()
    db, service = _service(ctx.config)
    try:
        account = service.create_account(
            args.username, password, args.kind, name=args.name, tax_id=args.tax_id,
            phone=args.phone, email=args.email, enterprise=args.enterprise,
            role=args.role)
        member = service.membership(account.username)
    except (AccountError, MemberError) as err:
        raise _refused(err) from None
    finally:
        db.close()
    role = f" ({member.role.value} of {member.enterprise})" if member and args.enterprise else ""
    ctx.out(f"created {account.kind.value} account {account.username}{role}")
    return 0


def _row(account: Any, member: Any) -> dict[str, Any]:
    return {
        "username": account.username, "kind": account.kind.value,
        "name": account.display_name, "status": account.status.value,
        "phone": mask_phone(account.phone) if account.phone else "",
        "email": mask_email(account.email) if account.email else "",
        "tax_id": account.tax_id,
        "enterprise": member.enterprise if member else None,
        "role": member.role.value if member else None,
        "member_status": member.status.value if member else None,
        "created_at": account.created_at,
    }


def list_cmd(args: argparse.Namespace, ctx: Any) -> int:
    db, service = _service(ctx.config)
    try:
        rows = [_row(a, m) for a, m in service.accounts()]
    finally:
        db.close()
    if args.json:
        ctx.out(json.dumps(rows, ensure_ascii=False))
        return 0
    for r in rows:
        role = f"{r['role']}@{r['enterprise']}" if r["enterprise"] else "-"
        ctx.out(f"{r['username']:<16} {r['kind']:<10} {r['status']:<8} {role:<24} "
                f"{r['phone'] or '-':<12} {r['email'] or '-':<24} {r['name']}")
    if not rows:
        ctx.out("no accounts")
    return 0


def disable_cmd(args: argparse.Namespace, ctx: Any) -> int:
    db, service = _service(ctx.config)
    try:
        account = service.disable(args.username)
    except AccountError as err:
        raise _refused(err) from None
    finally:
        db.close()
    ctx.out(f"disabled {account.username}")
    return 0


def reset_cmd(args: argparse.Namespace, ctx: Any) -> int:
    password = read_password()
    db, service = _service(ctx.config)
    try:
        account = service.set_password(args.username, password)
    except AccountError as err:
        raise _refused(err) from None
    finally:
        db.close()
    ctx.out(f"password of {account.username} reset")
    return 0
