"""Catalogue entries for the account screens (registration, codes, members): code -> (zh, en).

Refusals from :mod:`kiosk.accounts` carry their own words (``message_zh``/``message_en``);
these are the flow's own sentences around them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "flow.account.code_sent": ("验证码已发送至 {to}，5 分钟内有效",
                               "A code was sent to {to}; it is valid for 5 minutes"),
    "flow.account.login_code_sent": ("如该号码已注册，验证码已发送至 {to}",
                                     "If this number is registered, a code was sent to {to}"),
    "flow.account.registered": ("注册成功，欢迎使用", "Registered: welcome"),
    "flow.account.password_changed": ("密码已重置，请用新密码登录",
                                      "Password changed: log in with the new one"),
    "flow.account.member_invited": ("已邀请 {member}，请新成员输入发送到 {to} 的验证码",
                                    "{member} is invited: the new member types the code sent "
                                    "to {to}"),
    "flow.account.member_confirmed": ("{member} 已加入企业，角色：{role}",
                                      "{member} joined the enterprise as {role}"),
    "flow.account.member_role_changed": ("{member} 的角色已改为：{role}",
                                         "{member} is now {role}"),
    "flow.account.member_removed": ("{member} 已移出企业", "{member} was removed from the "
                                    "enterprise"),
    "flow.account.invitation_cancelled": ("已取消对 {member} 的邀请",
                                          "The invitation of {member} is cancelled"),
    "flow.account.no_service": ("本终端未开通账户服务", "Accounts are not available on this kiosk"),
    "flow.account.passwords_differ": ("两次输入的密码不一致", "The two passwords differ"),
    "flow.account.code_failed": ("验证码未能发送，请稍后再试或联系工作人员",
                                 "The code could not be sent; try again later or ask the staff"),
    "flow.account.code_missing": ("请输入 6 位验证码", "Enter the 6-digit code"),
}
