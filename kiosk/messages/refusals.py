"""Catalogue entries for the platform's refusal codes: ``refusal.<CODE>`` -> (zh, en).

A platform refuses with a stable code and, usually, its own words. When its words
are missing (a remote platform that sends only the code), these say what the code
means, so a person never reads a raw code such as ``QUOTA_EXCEEDED``. Every code
:mod:`kiosk.platform` raises has an entry (tests/unit/kiosk/test_refusal_words.py).
Each entry is one reason, without a closing stop: :func:`kiosk.outcomes.rejected`
puts it into the ``issuing.rejected`` sentence.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "refusal.PLATFORM_ERROR": ("开票平台出错", "the issuing platform had an error"),
    "refusal.REJECTED": ("开票平台拒绝了这张发票", "the issuing platform refused this invoice"),
    "refusal.UNAVAILABLE": ("开票平台暂时无法连接", "the issuing platform cannot be reached"),
    "refusal.OPERATOR_ACTION_NEEDED": ("开票员须先在电子税务局登录或认证",
                                       "the clerk must first sign in to the e-tax bureau"),
    "refusal.TIMEOUT": ("开票平台未及时应答", "the issuing platform did not answer in time"),
    "refusal.ORDER_ALREADY_INVOICED": ("该订单已开具发票", "this order has already been invoiced"),
    "refusal.QUOTA_EXCEEDED": ("本月开票额度不足", "this month's invoicing quota is used up"),
    "refusal.RED_FORM_STATE": ("红字确认单的状态不允许此操作",
                               "the red-letter form is not in a state that allows this"),
    "refusal.NOT_FOUND": ("未找到对应的记录", "no such record"),
    "refusal.BAD_ANSWER": ("开票平台的应答无法识别", "the issuing platform's answer could not be read"),
    "refusal.INTERNAL": ("开票平台内部出错", "the issuing platform had an internal error"),
    "refusal.ORDER_NOS_MISSING": ("申请未列明订单号", "the request names no order"),
    "refusal.ORDER_NOS_DUPLICATE": ("订单号重复", "an order is named twice"),
    "refusal.RED_FILED_BY": ("红字确认单须由销方或购方录入",
                             "a red-letter form is filed by the seller or the buyer"),
    "refusal.RED_OF_RED": ("红字发票不能再红冲", "a red invoice cannot be credited"),
    "refusal.RED_FORM_OPEN": ("这张发票已有一张未完成的红字确认单",
                              "this invoice already has an open red-letter form"),
    "refusal.RED_NOTHING_LEFT": ("这张发票已全部红冲", "this invoice is already fully credited"),
    "refusal.RED_LINE_ZERO": ("红冲的一行金额为零", "a line to credit has no amount"),
    "refusal.RED_EXCEEDS_ORIGINAL": ("红冲的数量或金额超过原发票可冲余额",
                                     "a line credits more than the invoice has left"),
    "refusal.RED_LINE_NOT_IN_ORIGINAL": ("红冲的一行不在原发票中",
                                         "a line to credit is not on the invoice"),
    "refusal.ORDER_PENDING": ("该订单正在另一开票申请中，结果未定",
                              "this order is in another request whose outcome is not known yet"),
    "refusal.REQUEST_ID_INVALID": ("开票请求号无效", "the request number is not valid"),
    "refusal.RED_NO_LINES": ("部分红冲须至少选择一行", "a partial credit needs at least one line"),
    "refusal.REQUEST_IN_FLIGHT": ("该订单有未完成的开票申请",
                                  "an earlier request for this order is not resolved yet"),
    "refusal.SUPERSEDED": ("已被新的开票申请取代", "a newer request took its place"),
    # A code no entry knows (a new platform rule): words, never the code alone.
    "refusal.other": ("开票平台拒绝了这张发票", "the issuing platform refused this invoice"),
}
