"""Catalogue entries for the personal centre and "change this invoice" (issue 12)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # the list
    "centre.empty": ("没有找到发票", "No invoices found"),
    "centre.nothing_to_show": ("请先登录、读取身份证或扫描小票，才能查看您的发票",
                               "Log in, read your ID card or scan a receipt to see your invoices"),
    "centre.not_yours": ("这张发票不在您可查看的范围内", "This invoice is not one you may see"),
    "centre.state.issued": ("已开具", "issued"),
    "centre.state.partly_credited": ("已部分冲红", "partly credited"),
    "centre.state.credited": ("已全额冲红", "fully credited"),
    "centre.state.red": ("红字发票", "red invoice"),
    "centre.red_of": ("冲红原发票 {number}", "credits invoice {number}"),
    "centre.reds": ("红字发票 {numbers}", "red invoices {numbers}"),
    "centre.paper_counter": ("纸质发票：到柜台领取", "Paper invoice: collect at the counter"),
    "centre.paper_post": ("纸质发票：邮寄至 {address}", "Paper invoice: by post to {address}"),
    "centre.reprinted": ("凭条已重新打印", "The receipt was printed again"),
    "centre.mailed": ("已发送至 {to}", "Sent to {to}"),
    "centre.no_pdf": ("发票文件暂不可显示，请稍后再试或扫描二维码下载",
                      "The invoice cannot be shown yet; try later or scan the QR code"),
    "centre.forgotten": ("您的账户和常用抬头已删除；发票记录依法保留，已与您解除关联",
                         "Your account and remembered titles are deleted; the invoice records "
                         "are kept as the law requires, no longer linked to you"),
    "centre.cannot_change": ("红字发票不能更正", "A red invoice cannot be changed"),
    # what is wrong
    "centre.what.title": ("抬头或税号有误", "Wrong title or tax ID"),
    "centre.what.returned": ("退货", "Goods returned"),
    "centre.what.stopped": ("服务中止", "Service stopped"),
    "centre.what.allowance": ("销售折让", "Allowance (an amount off)"),
    "centre.choose_what": ("请选择需要更正的原因", "Choose what is wrong"),
    "centre.change_not_blue": ("只能更正已开具的蓝字发票", "Only an issued blue invoice can be changed"),
    "centre.change_credited": ("这张发票已全额冲红", "This invoice is already fully credited"),
    "centre.change_open": ("这张发票已有进行中的更正，请继续办理该更正",
                           "This invoice has a change in progress: continue that one"),
    "centre.change_needs_buyer": ("请填写新的抬头", "Enter the new title"),
    "centre.change_title_full": ("抬头更正须全额冲红", "A title correction credits the whole invoice"),
    "centre.change_no_orders": ("本终端找不到该发票的订单，无法重开，请联系工作人员",
                                "The orders of this invoice are not on this kiosk: it cannot be "
                                "issued again here; ask the staff"),
    "centre.change_needs_amount": ("请输入折让金额", "Enter the amount of the allowance"),
    "centre.change_bad_lines": ("所选数量或金额超出原发票", "The quantities or amount exceed the invoice"),
    "centre.change_nothing": ("请选择要冲红的商品和数量", "Choose the lines and quantities to credit"),
    # the state, in plain words
    "centre.change.filing": ("正在提交红字确认单……", "Filing the red-letter confirmation form…"),
    "centre.change.waiting": (
        "已提交红字确认单，正在等待对方确认（最长 72 小时）。请保留凭条，确认后凭更正编号 {reference} "
        "回到本终端继续办理。",
        "The red-letter form is filed and waits for the other party to confirm (up to 72 "
        "hours). Keep the slip; once confirmed, come back with reference {reference} to "
        "continue."),
    "centre.change.ready": ("确认单已生效，正在开具红字发票……",
                            "The form is confirmed: issuing the red invoice…"),
    "centre.change.red_issued": ("红字发票 {red} 已开具，正在开具更正后的发票……",
                                 "Red invoice {red} is issued; issuing the corrected invoice…"),
    "centre.change.done": ("更正完成：红字发票 {red}。", "Done: red invoice {red}."),
    "centre.change.done_blue": ("更正完成：红字发票 {red}，新发票 {blue}。",
                                "Done: red invoice {red}, new invoice {blue}."),
    "centre.change.refused": ("更正未能完成：{why}", "The change could not be completed: {why}"),
    "centre.form_void": ("确认单已被拒绝、撤销或超过 72 小时未确认",
                         "the form was rejected, withdrawn or not confirmed within 72 hours"),
    "centre.form_refused": ("平台未受理红字确认单", "the platform refused the red-letter form"),
    "centre.red_refused": ("平台未开具红字发票", "the platform refused the red invoice"),
    "centre.blue_refused": ("平台未开具新发票", "the platform refused the new invoice"),
    "centre.platform_unreachable": (
        "暂时无法连接税务平台，已保存进度，稍后点“刷新”或回来继续，不会重复开票",
        "The tax platform cannot be reached now; your progress is saved: tap Check again "
        "later or come back, nothing is issued twice"),
    # the come-back slip of a change left waiting (kiosk.documents.receipt.change_ops)
    "centre.slip.title": ("发票更正凭条", "Invoice change slip"),
    "centre.slip.not_invoice": ("本凭条不是发票", "This slip is not an invoice"),
    "centre.slip.waiting": ("已提交红字确认单，正在等待对方确认（最长 72 小时）。",
                            "The red-letter form is filed and waits for the other party to "
                            "confirm (up to 72 hours)."),
    "centre.slip.reference": ("更正编号：", "Change reference: "),
    "centre.slip.original": ("原发票号码：", "Invoice changed: "),
    "centre.slip.come_back": ("确认后回到本终端，登录或读取身份证，在“我的发票”中继续办理，或扫描此二维码。",
                              "Once confirmed, come back to this kiosk, identify yourself and "
                              "continue under My invoices, or scan this code."),
    # "my requests": every change and paper invoice request, with one of four states
    "centre.request_state.open": ("办理中", "in progress"),
    "centre.request_state.waiting": ("等待对方确认", "waiting for the other party"),
    "centre.request_state.done": ("已完成", "done"),
    "centre.request_state.failed": ("未完成", "failed"),
    "centre.request.change": ("更正发票 {number}（{what}）", "Change of invoice {number} ({what})"),
    "centre.request.change_waiting": ("对方最长 72 小时内确认，确认后凭 {reference} 继续办理",
                                      "The other party has up to 72 hours to confirm; then "
                                      "continue with {reference}"),
    "centre.request.paper_counter": ("纸质发票，到柜台领取", "Paper invoice, to collect at the "
                                     "counter"),
    "centre.request.paper_post": ("纸质发票，邮寄至 {address}", "Paper invoice, by post to "
                                  "{address}"),
    "centre.request.paper_open": ("正在开具 {total} 元的发票", "The invoice of {total} is being "
                                  "issued"),
    "centre.request.paper_done": ("发票 {number} 已开具", "Invoice {number} is issued"),
    "centre.request.paper_failed": ("平台未开具该发票，请联系工作人员",
                                    "The platform did not issue it: please ask the staff"),
}
