"""Catalogue entries for voice guidance and presence: code -> (zh, en) templates.

Two kinds of entry live here (see :mod:`kiosk.messages`):

- ``voice.screen.<screen>``: the short spoken prompt of each
  :class:`~kiosk.flow.states.Screen` (``kiosk.voice.prompts`` reads them; the
  attract screen's is the greeting presence triggers), plus the review
  read-back template. Prompts are
  written to be heard: short sentences, no figures, nothing personal.
- ``voice.*`` / ``presence.*`` problems: why the kiosk is silent or presence
  is off, shown in diagnostics and logged.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- one prompt per screen ---------------------------------------------------
    "voice.screen.attract": ("您好，请扫描小票上的二维码开具发票。",
                             "Hello. Scan the QR code on your receipt to get an invoice."),
    "voice.screen.terms": ("请阅读隐私说明，同意后继续。",
                           "Please read the privacy notice, and accept it to continue."),
    "voice.screen.identify": ("请选择验证身份的方式。", "Choose how to identify yourself."),
    "voice.screen.idcard_consent": ("读取身份证前，请确认您同意。",
                                    "Please agree before your ID card is read."),
    "voice.screen.idcard_reading": ("请将身份证平放在读卡区。",
                                    "Place your ID card flat on the reader."),
    "voice.screen.login": ("请输入账户和密码。", "Enter your account and password."),
    "voice.screen.orders": ("请核对订单，加错的订单可以移除，然后点击继续。",
                            "Check your orders; remove a wrong one, then continue."),
    "voice.screen.catalogue": ("请选择要开票的商品。", "Choose the items to invoice."),
    "voice.screen.buyer": ("请填写发票抬头，完成后点击下一步。",
                           "Enter the invoice title, then tap next."),
    "voice.screen.options": ("请选择发票种类。", "Choose the kind of invoice."),
    "voice.screen.review": ("请核对开票信息，无误后点击开具发票。",
                            "Check the invoice details, then tap issue."),
    "voice.screen.centre": ("这里是您的发票。点一张发票可以查看、重新打印、发送或修改。",
                            "These are your invoices. Tap one to view, reprint, send or change it."),
    "voice.screen.centre_invoice": ("请选择：查看发票、重新打印凭条、发送邮件或修改发票。",
                                    "View the invoice, reprint the receipt, e-mail it, or change it."),
    "voice.screen.change": ("请选择发票哪里需要修改，然后提交申请。",
                            "Choose what is wrong with the invoice, then ask for the change."),
    "voice.screen.change_status": ("这是您修改申请的进度。", "This is where your change request stands."),
    "voice.screen.register": ("请填写注册信息，然后获取验证码。",
                              "Fill in your details, then ask for a code."),
    "voice.screen.code_login": ("请输入手机号码，获取验证码后登录。",
                                "Enter your mobile number, then log in with the code we send."),
    "voice.screen.forgot_password": ("请输入用户名，我们会发送验证码来重设密码。",
                                     "Enter your user name; we will send a code to reset the password."),
    "voice.screen.members": ("在这里添加企业成员并设置角色。",
                             "Add members of the enterprise and choose their roles here."),
    "voice.screen.issuing": ("正在开具发票，请稍候。", "Issuing your invoice. Please wait."),
    "voice.screen.result": ("发票已开具。请取走凭条，或用手机扫码下载。",
                            "Your invoice is issued. Take the receipt, or scan the code "
                            "with your phone."),
    "voice.screen.platform_queued": ("开票平台暂时连不上，您的申请已保存，请取走凭条。",
                                     "The invoicing platform cannot be reached. Your request "
                                     "is saved: take the slip."),
    "voice.screen.result_unknown": ("开票结果还没有确认，请稍候，或联系工作人员。",
                                    "The result is not confirmed yet. Please wait, or ask "
                                    "the staff."),
    "voice.screen.already_invoiced": ("这笔订单已经开过发票，可以重新打印或发送。",
                                      "This order already has an invoice. You can print or "
                                      "send it again."),
    "voice.screen.bad_qr": ("二维码无法识别，请重新扫描，或输入订单号。",
                            "The code could not be read. Scan it again, or type the order "
                            "number."),
    "voice.screen.rejected": ("开票平台没有受理，请看屏幕上的原因。",
                              "The platform did not accept the request. See the reason on "
                              "the screen."),
    "voice.screen.printer_problem": ("打印机暂时不能用，请用手机扫码，或发送到邮箱。",
                                     "The printer is not available. Scan the code with your "
                                     "phone, or e-mail it."),
    "voice.screen.camera_unavailable": ("摄像头不能用，请使用扫码器，或输入订单号。",
                                        "The camera is not available. Use the scanner, or "
                                        "type the order number."),
    "voice.screen.idle_warning": ("您还需要时间吗？请点击屏幕继续。",
                                  "Do you need more time? Touch the screen to continue."),
    "voice.screen.support": ("需要帮助，请联系大厅工作人员。", "For help, please ask the staff."),
    "voice.screen.tutorial": ("请按屏幕上的步骤操作。", "Follow the steps on the screen."),
    "voice.screen.out_of_service": ("本终端暂停服务，请到其他终端或窗口办理。",
                                    "This kiosk is out of service. Please use another kiosk "
                                    "or the counter."),
    # --- the review read-back -------------------------------------------------------
    "voice.person": ("个人", "Personal"),
    "voice.company": ("单位", "Company"),
    # {buyer}: the buyer's type (个人) or a company's name; {total}: the amount in words.
    "voice.readback": ("{buyer}，价税合计{total}。", "{buyer}. Total including tax: {total}."),
    # --- the speaker controls (ui.widgets.speaker) -------------------------------------
    "voice.ui.repeat": ("再听一遍", "Repeat"),
    "voice.ui.voice_on": ("语音 开", "Voice on"),
    "voice.ui.voice_off": ("语音 关", "Voice off"),
    "voice.ui.volume": ("音量", "Volume"),
    # --- why it is silent ---------------------------------------------------------
    "voice.espeak_missing": ("未安装语音合成程序 espeak-ng",
                             "The speech program espeak-ng is not installed"),
    "voice.sherpa_missing": ("未安装 sherpa-onnx（pip install sherpa-onnx），改用 espeak-ng",
                             "sherpa-onnx is not installed (pip install sherpa-onnx); "
                             "espeak-ng is used instead"),
    "voice.model_missing": ("未配置或找不到语音模型：{path}",
                            "No speech model is configured, or it is not found: {path}"),
    "voice.model_bad": ("语音模型无法加载：{detail}", "The speech model does not load: {detail}"),
    "voice.no_language": ("没有能说{lang}的语音", "No voice speaks {lang}"),
    "voice.render_failed": ("语音合成失败：{detail}", "Speech synthesis failed: {detail}"),
    "voice.no_audio_device": ("没有音频输出设备，语音提示静音",
                              "No audio output device: voice guidance is silent"),
    "voice.audio_error": ("音频播放出错：{detail}", "Audio playback failed: {detail}"),
    "presence.model_missing": ("找不到人脸检测模型：{path}", "The face detection model is missing: {path}"),
    "presence.model_hash": ("人脸检测模型校验失败（SHA-256 为 {actual}，应为 {expected}），拒绝加载",
                            "The face detection model fails its check (SHA-256 {actual}, "
                            "expected {expected}); it is not loaded"),
    "presence.no_camera": ("摄像头不可用，无法感知来人：{detail}",
                           "No camera, so presence is off: {detail}"),
    "presence.model_bad": ("人脸检测模型无法加载：{detail}",
                           "The face detection model does not load: {detail}"),
}
