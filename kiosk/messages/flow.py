"""Catalogue entries for the flow area: code -> (zh, en) templates (see :mod:`kiosk.messages`).

Every sentence the walk-in flow shows of its own (not carried by a service's
error) is here, keyed by a ``flow.*`` code; :func:`kiosk.flow.words.say` turns
a code into a :class:`~kiosk.messages.Text`.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # orders and codes
    "flow.order_not_found": ("未找到该订单号，请核对小票上的订单号",
                             "No order with this number; check the receipt"),
    "flow.order_duplicate": ("该订单已添加", "This order is already in the list"),
    "flow.too_many_orders": ("一张发票最多合并 {max} 个订单", "At most {max} orders per invoice"),
    "flow.no_orders": ("请先扫描或输入订单", "Scan or type an order first"),
    "flow.no_lines": ("请先添加商品或服务", "Add a line first"),
    "flow.receipt_held": ("凭条的其余部分还在打印机里：装好纸、合上打印机盖后会自动打出，"
                          "无需重新打印",
                          "The rest of your receipt is waiting in the printer: it comes out "
                          "once paper is loaded and the cover closed; no need to print again"),
    "flow.receipt_came_out": ("凭条已接着打出，请取走；如没有拿到，可点“重新打印凭条”",
                              "Your receipt has come out; if you did not get it, tap "
                              "\"Print the receipt again\""),
    "flow.code_unreadable": ("扫码内容无法识别，请重新扫描，或输入小票上的订单号",
                             "The code could not be read: scan it again or type the order number"),
    "flow.code_not_read": ("二维码无法识别", "The code could not be read"),
    "flow.code_foreign": ("这不是本店的订单二维码，请扫描购物小票上的订单二维码",
                          "This is not one of our order codes; scan the order QR code on your "
                          "receipt"),
    "flow.title_code_read": ("已识别开票抬头二维码", "Title code read"),
    "flow.title_offer_open": ("请先选择使用哪个抬头", "First choose which title to use"),
    "flow.title_then_receipt": ("已读取抬头：{name}。请扫描小票二维码",
                                "Title read: {name}. Now scan your receipt's QR code"),
    # identification
    "flow.personal_qr_hint": ("请将个人二维码对准扫码口", "Hold your personal QR code to the scanner"),
    "flow.idcard_failed": ("未能读取身份证，请拿起后重新放稳在读卡区",
                           "The ID card could not be read: lift it and place it flat again"),
    "flow.no_accounts": ("本终端未开通账户登录", "Account login is not available on this terminal"),
    "flow.login_failed": ("用户名或密码错误", "Wrong user name or password"),
    # buyer and options
    "flow.name_needed": ("请填写发票抬头（名称）", "Enter the buyer's name (invoice title)"),
    "flow.tax_id_needed": ("单位抬头需要纳税人识别号", "A company title needs a tax ID"),
    "flow.confirm_tax_id": ("请确认纳税人识别号无误后再继续", "Confirm the tax ID before you continue"),
    "flow.bad_email": ("邮箱地址格式不正确", "That e-mail address is not valid"),
    "flow.special_company_only": ("专用发票仅开给有纳税人识别号的单位",
                                  "A special invoice is only for a company with a tax ID"),
    "flow.special_person": ("个人只能开具普通发票，不能开具增值税专用发票",
                            "A natural person can only receive an ordinary invoice, not a special "
                            "one"),
    "flow.special_exempt": ("订单中有免税商品，免税项目不能开具增值税专用发票",
                            "The order has exempt (免税) items: exempt sales cannot go on a special "
                            "invoice"),
    "flow.address_needed": ("请填写邮寄地址，或选择到柜台领取", "Enter a mailing address, or pick it up"),
    "flow.name_too_long": ("名称最多 {limit} 字节（{chars} 个汉字），现在是 {length} 字节",
                           "The name: at most {limit} bytes ({chars} Chinese characters); "
                           "this is {length}"),
    "flow.address_phone_too_long": ("地址和电话合计最多 {limit} 字节（{chars} 个汉字），现在是 {length} 字节",
                                    "Address and phone together: at most {limit} bytes ({chars} "
                                    "Chinese characters); this is {length}"),
    "flow.bank_account_too_long": ("开户银行和账号合计最多 {limit} 字节（{chars} 个汉字），现在是 {length} 字节",
                                   "Bank and account together: at most {limit} bytes ({chars} "
                                   "Chinese characters); this is {length}"),
    "flow.camera_unavailable": ("摄像头不可用，请使用扫码器或手工输入订单号",
                                "The camera is not available; use the scanner or type the order "
                                "number"),
    # catalogue
    "flow.not_business": ("商品目录仅供企业账户使用", "The catalogue is for business accounts only"),
    "flow.bad_line": ("数量、单价或金额不正确", "Quantity, unit price or amount is not valid"),
    # issuing and delivery
    "flow.result_unknown": ("开票结果未知：系统正在向平台核实，请勿重复开票",
                            "The result is unknown: the kiosk is checking with the platform; do "
                            "not issue again"),
    "flow.no_printer": ("打印机不可用：请用手机扫描二维码下载发票，或发送到邮箱",
                        "The printer is not available: scan the QR code with your phone or e-mail "
                        "it"),
    "flow.mail_failed": ("邮件发送失败，请扫描二维码下载", "The e-mail failed; scan the QR code instead"),
    "flow.busy_mailing": ("正在发送邮件，请稍候", "The e-mail is being sent: please wait"),
    "flow.busy_printing": ("正在打印凭条，请稍候", "The receipt is printing: please wait"),
    "flow.mailed_to": ("发票已发送到邮箱 {address}", "The invoice has been e-mailed to {address}"),
    "flow.mailing_now": ("正在把发票发送到邮箱…", "E-mailing the invoice…"),
    "flow.scanner_down": ("扫码器暂时不能使用", "The scanner is not working right now"),
    "flow.scanner_down_camera": ("请点“用摄像头扫码”，或输入小票上的订单号",
                                 "Tap \"Scan with the camera\", or type the order number "
                                 "printed on your receipt"),
    "flow.scanner_down_keypad": ("请点“输入订单号”，输入小票上的订单号",
                                 "Tap \"Type the order number\" and type the number printed on "
                                 "your receipt"),
    "flow.no_invoice_yet": ("还没有开具发票", "No invoice has been issued yet"),
    # the platform unreachable: the queued screen, the claim slip, a slip scanned again
    "flow.mail_when_issued_failed": ("未能保存邮箱，请稍后凭凭条再试",
                                     "The address could not be saved; try again later with the "
                                     "slip"),
    "flow.claim_checking": ("正在查询凭条对应的发票…", "Looking up the invoice of this slip…"),
    "flow.claim_still_queued": ("发票还没有开具：开票平台仍无法连接，终端会自动重试。请稍后再扫描"
                                "凭条，或留下邮箱，开具后发送给您",
                                "The invoice is not issued yet: the platform still cannot be "
                                "reached and the kiosk keeps trying. Scan the slip again later, or "
                                "leave an e-mail address and it will be sent to you"),
    "flow.claim_elsewhere": ("发票还没有开具：接收申请的终端会自动重试。请稍后再扫描凭条",
                             "The invoice is not issued yet: the kiosk that took your request "
                             "keeps trying. Scan the slip again later"),
    "flow.claim_cannot_check": ("现在无法向开票平台查询，请稍后再扫描凭条",
                                "The platform cannot be asked right now; scan the slip again "
                                "later"),
    "flow.slip.title": ("开票申请凭条", "Invoice claim slip"),
    "flow.slip.not_invoice": ("本凭条不是发票", "This slip is not an invoice"),
    "flow.slip.saved": ("开票平台暂时无法连接，您的申请已保存，终端将自动重试，不会重复开票。",
                        "The tax platform could not be reached. Your request is saved and the "
                        "kiosk keeps trying; you will never get two invoices."),
    "flow.slip.reference": ("凭条编号：", "Reference: "),
    "flow.slip.orders": ("订单：", "Orders: "),
    "flow.slip.total": ("价税合计：", "Total: "),
    "flow.slip.scan": ("稍后在本店任一自助开票终端扫描此二维码领取发票，或凭此凭条联系工作人员。",
                       "Later, scan this QR code at any self-service invoicing kiosk of this "
                       "shop to get your invoice, or show this slip to staff."),
}
