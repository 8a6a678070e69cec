"""Catalogue entries for the platform area: code -> (zh, en) templates (see :mod:`kiosk.messages`).

Issuing outcomes (:mod:`kiosk.outcomes`) and mail (``mail.*``). A message of
several sentences is put together with :func:`kiosk.messages.join`, so each
entry is one thought and no sentence ends in a doubled full stop.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "issuing.issued": ("发票已开具，发票号码 {number}", "Invoice {number} has been issued"),
    "issuing.mail_follows": ("发票文件将发送到您填写的邮箱",
                             "The invoice files will be e-mailed to the address you gave"),
    "issuing.red_issued": ("红字发票已开具，发票号码 {number}（冲销蓝字发票 {original}）",
                           "Red invoice {number} has been issued (crediting {original})"),
    "issuing.queued": (
        "开票平台暂时无法连接。您的开票申请已保存，平台恢复后将自动开具，"
        "无需重复申请；开具后可凭订单号在本机查询、打印，填写了邮箱的将发送到邮箱",
        "The issuing platform cannot be reached. Your request is saved and will be "
        "issued automatically when it is back; do not apply again. Afterwards, look "
        "it up here by order number, or find it in your e-mail if you gave one"),
    "issuing.unknown": (
        "开票平台未及时应答，结果暂未确定。系统会先向平台查询，确认未开具才会用同一"
        "请求号重新提交，不会重复开票。请稍后凭订单号在本机查询",
        "The platform did not answer in time, so the outcome is not known yet. The "
        "kiosk asks the platform first and re-sends under the same request number "
        "only if nothing was issued, so no second invoice can result. Look it up "
        "here by order number in a few minutes"),
    "issuing.blocked": (
        "该订单已有一笔开票申请正在处理（结果待确认），为避免重复开票，请稍后凭订单号查询",
        "An earlier request for this order is still being resolved; to avoid a "
        "second invoice, look it up by order number in a few minutes"),
    "issuing.already_invoiced": ("该订单已开具发票（发票号码 {number}），不会重复开具",
                                 "This order has already been invoiced (invoice {number}); "
                                 "it is not issued twice"),
    # The platform's own reason (its words, zh/en) is the sentence before this one.
    "issuing.rejected": ("未能开具发票（{rule}），请修改后重试，或联系工作人员",
                         "No invoice was issued ({rule}). Correct it and try again, or ask staff"),
    "issuing.rejected_prefix": ("未能开具发票", "No invoice was issued"),
    "issuing.correct_and_retry": ("请修改后重试，或联系工作人员",
                                  "Correct it and try again, or ask staff"),
    "issuing.order_taken": ("订单已开具发票（{rule}）", "The orders were already invoiced ({rule})"),
    "mail.not_sent": ("邮件暂未发出，终端会稍后重试；也可以扫描二维码下载",
                      "The e-mail has not gone out yet; the kiosk retries later. "
                      "Scan the QR instead"),
}
