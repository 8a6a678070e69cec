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
    "issuing.out_of_service": (  # under the heading 本终端暂停服务; the reason follows
        "您的开票申请未开具，请稍后再来或到其他终端、窗口办理",
        "Your invoice was not issued: please come back later or use another kiosk or counter"),
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
    # The reason is the platform's own words, else refusal.<code> (kiosk.messages.refusals):
    # {rule} (the code) is for logs and tests, never shown.
    "issuing.rejected": ("未能开具发票：{reason_zh}。请修改后重试，或联系工作人员",
                         "No invoice was issued: {reason_en}. Correct it and try again, or ask staff"),
    # ... when no change of the title can help (a quota, an order already invoiced):
    "issuing.rejected_staff": ("未能开具发票：{reason_zh}。请联系工作人员",
                               "No invoice was issued: {reason_en}. Please ask staff"),
    "issuing.order_taken": ("订单已开具发票（{rule}）", "The orders were already invoiced ({rule})"),
    "mail.not_sent": ("邮件暂未发出，终端会稍后重试；也可以扫描二维码下载",
                      "The e-mail has not gone out yet; the kiosk retries later. "
                      "Scan the QR instead"),
    # --- Nuonuo (诺诺开放平台): token, credentials, operator session ---
    "platform.nuonuo.token_missing": (
        "诺诺平台未收到有效的访问令牌（{provider_code}）：请检查 [platform.nuonuo] 的 app_key 与密钥文件",
        "Nuonuo received no valid access token ({provider_code}): check app_key and the secret "
        "file in [platform.nuonuo]"),
    "platform.nuonuo.token_invalid": (
        "诺诺平台访问令牌无效或已过期（{provider_code}），已重新获取一次仍失败：请在诺诺开放平台核对应用状态",
        "The Nuonuo access token is invalid or expired ({provider_code}) and one fresh token did "
        "not help: check the application's state on the Nuonuo open platform"),
    "platform.nuonuo.token_limit": (
        "诺诺平台访问令牌获取次数已达上限（30天内50次，{provider_code}）：开票暂停，请联系诺诺或等待次数恢复",
        "The Nuonuo token limit is reached (50 in 30 days, {provider_code}): issuing is paused; "
        "contact Nuonuo or wait until the window frees a call"),
    "platform.nuonuo.token_limit_local": (
        "本终端30天内已获取{count}次诺诺访问令牌，为免触发平台上限不再获取：请检查是否有多个进程未共用数据目录",
        "This kiosk fetched {count} Nuonuo tokens in 30 days and stops before the platform's "
        "limit: check that every kiosk process shares one data folder"),
    "platform.nuonuo.app_refused": (
        "诺诺平台拒绝了本应用（{provider_code}：{describe}）：请在诺诺开放平台确认应用已审核并已授权本企业税号",
        "Nuonuo refused this application ({provider_code}: {describe}): confirm on the Nuonuo "
        "open platform that the app is approved and authorised for this tax number"),
    "platform.nuonuo.bad_signature": (
        "诺诺平台签名校验失败（{provider_code}）：密钥文件内容与 app_key 不符，或本机时钟不准",
        "Nuonuo rejected the signature ({provider_code}): the secret file does not match "
        "app_key, or this machine's clock is wrong"),
    "platform.nuonuo.token_refused": (
        "诺诺平台未发放访问令牌（{provider_code}：{describe}）",
        "Nuonuo issued no access token ({provider_code}: {describe})"),
    "platform.nuonuo.token_unreadable": (
        "诺诺平台的令牌应答无法识别",
        "Nuonuo's token answer could not be read"),
    "platform.nuonuo.operator_session": (
        "暂停服务：开票员的电子税务局登录或人脸认证已失效（{describe}）。请开票员登录诺诺/电子税务局完成认证后恢复",
        "Out of service: the clerk's e-tax-bureau login or face verification has lapsed "
        "({describe}). The clerk must sign in to Nuonuo / the bureau and verify, then issuing resumes"),
    "platform.nuonuo.refused": (
        "诺诺平台拒绝开票（{provider_code}：{describe}）",
        "Nuonuo refused the invoice ({provider_code}: {describe})"),
    "platform.nuonuo.failed": (
        "诺诺平台开票失败（状态{status}：{describe}）",
        "Nuonuo failed to issue the invoice (status {status}: {describe})"),
    "platform.nuonuo.pending": (
        "诺诺平台已受理，发票尚未开具完成（{describe}），稍后自动查询",
        "Nuonuo accepted the request but the invoice is not finished yet ({describe}); it is "
        "queried again later"),
    "platform.nuonuo.unknown": (
        "诺诺平台未给出明确结果（{provider_code}：{describe}），订单号保留，稍后查询",
        "Nuonuo gave no definite answer ({provider_code}: {describe}); the order number is kept "
        "and queried later"),
    "platform.nuonuo.amount_mismatch": (
        "诺诺平台返回的金额与本机计算不一致（发票{number}：平台{theirs}，本机{ours}）",
        "Nuonuo's amounts differ from the kiosk's (invoice {number}: platform {theirs}, kiosk {ours})"),
    "platform.nuonuo.no_quota_api": (
        "诺诺平台不提供授信额度查询，请在电子税务局查看",
        "Nuonuo offers no quota query; see the e-tax bureau"),
    "platform.nuonuo.no_documents": (
        "诺诺平台尚未提供发票{number}的版式文件",
        "Nuonuo has not provided the documents of invoice {number} yet"),
    "platform.nuonuo.bad_answer": (
        "诺诺平台的应答无法识别（{describe}）",
        "Nuonuo's answer could not be read ({describe})"),
    "platform.baiwang.token_refused": (
        "百望云未发放访问令牌（{provider_code}：{describe}）：请核对 app_key、密钥、用户名、密码与盐值",
        "Baiwang issued no access token ({provider_code}: {describe}): check app_key, the "
        "secret, the user name, the password and the salt"),
    "platform.baiwang.auth_refused": (
        "百望云拒绝了本应用的请求（{provider_code}：{describe}）：密钥文件与 app_key 不符、令牌无效或本机时钟不准",
        "Baiwang refused the request ({provider_code}: {describe}): the secret does not match "
        "app_key, the token is invalid or this machine's clock is wrong"),
    "platform.baiwang.operator_session": (
        "暂停服务：开票员的电子税务局登录或人脸认证已失效（{describe}）。请开票员在百望云/电子税务局完成登录认证后恢复",
        "Out of service: the clerk's e-tax-bureau login or face verification has lapsed "
        "({describe}). The clerk must sign in to Baiwang / the bureau and verify, then issuing "
        "resumes"),
    "platform.baiwang.refused": (
        "百望云拒绝开票（{provider_code}：{describe}）",
        "Baiwang refused the invoice ({provider_code}: {describe})"),
    "platform.baiwang.unknown": (
        "百望云未给出明确结果（{provider_code}：{describe}），流水号保留，稍后查询",
        "Baiwang gave no definite answer ({provider_code}: {describe}); the serial number is "
        "kept and queried later"),
    "platform.baiwang.bad_answer": (
        "百望云的应答无法识别（{describe}）",
        "Baiwang's answer could not be read ({describe})"),
    "platform.baiwang.no_documents": (
        "百望云尚未提供发票{number}的版式文件",
        "Baiwang has not provided the documents of invoice {number} yet"),
    "platform.baiwang.not_built": (
        "本终端的百望云接入未实现此功能（{what}），请在百望云平台办理",
        "The kiosk's Baiwang adapter does not do this ({what}); use the Baiwang platform"),
    "platform.nuonuo.red_action_elsewhere": (
        "红字确认单的确认、拒绝由对方在电子税务局办理，撤销请在诺税通中办理",
        "A red-letter form is confirmed or rejected by the other party in the e-tax bureau, "
        "and withdrawn in Nuonuo's 诺税通"),
    "platform.nuonuo.secret_unreadable": (
        "无法读取诺诺应用密钥文件 {path}",
        "Cannot read the Nuonuo app secret file {path}"),
}
