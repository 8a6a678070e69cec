<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlreadyInvoicedPage</name>
    <message>
        <source>Already invoiced</source>
        <translation>已开具过发票</translation>
    </message>
    <message>
        <source>This order already has an invoice</source>
        <translation>该订单已开具发票</translation>
    </message>
    <message>
        <source>An order is invoiced only once. You can get the same invoice again:</source>
        <translation>一个订单只能开一次发票。您可以再次获取这张发票：</translation>
    </message>
    <message>
        <source>Print its receipt again, send it by e-mail, or scan the QR code with your phone.</source>
        <translation>重新打印凭条、发送到邮箱，或用手机扫描二维码。</translation>
    </message>
    <message>
        <source>Print the receipt again</source>
        <translation>重新打印凭条</translation>
    </message>
    <message>
        <source>Invoice number: %1</source>
        <translation>发票号码：%1</translation>
    </message>
    <message>
        <source>My invoices</source>
        <translation>我的发票</translation>
    </message>
</context>
<context>
    <name>AttractPage</name>
    <message>
        <source>Scan your receipt's QR code to get an invoice</source>
        <translation>扫描小票二维码开票</translation>
    </message>
    <message>
        <source>Hold the QR code on your receipt under the scanner below</source>
        <translation>请将购物小票上的二维码对准下方扫码口</translation>
    </message>
    <message>
        <source>Type the order number</source>
        <translation>输入订单号</translation>
    </message>
    <message>
        <source>Scan with the camera</source>
        <translation>用摄像头扫码</translation>
    </message>
    <message>
        <source>Use my ID card</source>
        <translation>刷身份证</translation>
    </message>
    <message>
        <source>Log in to my account</source>
        <translation>账户登录</translation>
    </message>
    <message>
        <source>Business invoicing</source>
        <translation>商户开票</translation>
    </message>
    <message>
        <source>How it works</source>
        <translation>使用说明</translation>
    </message>
    <message>
        <source>Scan the QR code printed on your receipt. No receipt code? Type the order number instead.</source>
        <translation>扫描购物小票上的二维码。小票没有二维码？请输入订单号。</translation>
    </message>
</context>
<context>
    <name>BadQrPage</name>
    <message>
        <source>Code not accepted</source>
        <translation>无法识别的二维码</translation>
    </message>
    <message>
        <source>This code cannot be used here</source>
        <translation>此二维码不能在这里使用</translation>
    </message>
    <message>
        <source>Scan the order QR code on your receipt, or type the order number printed under it.</source>
        <translation>请扫描小票上的订单二维码，或输入二维码下方的订单号。</translation>
    </message>
    <message>
        <source>Type the order number</source>
        <translation>输入订单号</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重新扫描</translation>
    </message>
</context>
<context>
    <name>BuyerPage</name>
    <message>
        <source>For yourself, keep "Personal" and tap Next. For a company, tap Company and enter its exact name and tax ID (on its business licence), or scan its invoice-title QR code.</source>
        <translation>个人开票保持“个人”，直接点“下一步”。单位开票请点“单位”，按营业执照准确填写名称和纳税人识别号，或扫描单位的开票信息二维码。</translation>
    </message>
    <message>
        <source>Invoice title (buyer)</source>
        <translation>发票抬头（购买方）</translation>
    </message>
    <message>
        <source>Personal</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Your saved titles:</source>
        <translation>常用抬头：</translation>
    </message>
    <message>
        <source>Name on the invoice</source>
        <translation>发票抬头（名称）</translation>
    </message>
    <message>
        <source>Tax ID (unified social credit code)</source>
        <translation>纳税人识别号（统一社会信用代码）</translation>
    </message>
    <message>
        <source>It is correct: use it</source>
        <translation>核对无误，继续使用</translation>
    </message>
    <message>
        <source>Tip: scan a company's invoice-title QR code to fill this in.</source>
        <translation>提示：扫描单位的开票信息二维码可自动填写。</translation>
    </message>
    <message>
        <source>More: address, phone, bank, e-mail</source>
        <translation>更多：地址、电话、开户行、邮箱</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>开户银行</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>银行账号</translation>
    </message>
    <message>
        <source>E-mail for the invoice</source>
        <translation>接收发票的邮箱</translation>
    </message>
    <message>
        <source>Print address and bank on the invoice</source>
        <translation>在发票上显示地址电话和开户行账号</translation>
    </message>
    <message>
        <source>Add a photo of a contract or voucher (optional)</source>
        <translation>拍照附上合同或凭证（可选）</translation>
    </message>
    <message>
        <source>● The camera is on: hold the document in front of it and tap "Take the photo".</source>
        <translation>● 摄像头已开启：请将单据对准摄像头，然后点“拍照”。</translation>
    </message>
    <message>
        <source>Take the photo</source>
        <translation>拍照</translation>
    </message>
    <message>
        <source>Photo attached</source>
        <translation>已附上照片</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Tax ID (optional for a person)</source>
        <translation>纳税人识别号（个人可不填）</translation>
    </message>
</context>
<context>
    <name>CameraUnavailablePage</name>
    <message>
        <source>Camera unavailable</source>
        <translation>摄像头不可用</translation>
    </message>
    <message>
        <source>The camera is not available</source>
        <translation>摄像头暂时无法使用</translation>
    </message>
    <message>
        <source>Use the scanner below the screen, or type the order number.</source>
        <translation>请使用屏幕下方的扫码口，或输入订单号。</translation>
    </message>
    <message>
        <source>Type the order number</source>
        <translation>输入订单号</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
</context>
<context>
    <name>CataloguePage</name>
    <message>
        <source>Search an item, enter a quantity and a unit price (or just the amount), check the rate, and add the line.</source>
        <translation>搜索商品，输入数量和单价（或直接输入金额），核对税率后添加明细。</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>商品目录</translation>
    </message>
    <message>
        <source>Pick goods or services</source>
        <translation>选择商品或服务</translation>
    </message>
    <message>
        <source>Search by name or tax code</source>
        <translation>按名称或税收分类编码搜索</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>or amount</source>
        <translation>或金额</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>税率</translation>
    </message>
    <message>
        <source>Add line</source>
        <translation>添加明细</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>合计：%1</translation>
    </message>
</context>
<context>
    <name>CentreInvoicePage</name>
    <message>
        <source>My invoice</source>
        <translation>我的发票</translation>
    </message>
    <message>
        <source>See the invoice, print its receipt again, send it by e-mail, show the code to download it, or ask to change it.</source>
        <translation>查看发票、重新打印凭条、发送到邮箱、显示下载二维码，或申请更正。</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>View the invoice</source>
        <translation>查看发票</translation>
    </message>
    <message>
        <source>Reprint the receipt</source>
        <translation>重打凭条</translation>
    </message>
    <message>
        <source>Download code</source>
        <translation>下载二维码</translation>
    </message>
    <message>
        <source>Change this invoice</source>
        <translation>更正此发票</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>邮箱地址</translation>
    </message>
    <message>
        <source>Send by e-mail</source>
        <translation>发送到邮箱</translation>
    </message>
    <message>
        <source>Back to my invoices</source>
        <translation>返回我的发票</translation>
    </message>
    <message>
        <source>Invoice %1</source>
        <translation>发票 %1</translation>
    </message>
    <message>
        <source>Sent to %1</source>
        <translation>已发送至 %1</translation>
    </message>
</context>
<context>
    <name>CentrePage</name>
    <message>
        <source>Tap again to delete my account and titles</source>
        <translation>再点一次，确认删除账户和常用抬头</translation>
    </message>
    <message>
        <source>Show fewer requests</source>
        <translation>收起申请</translation>
    </message>
    <message>
        <source>All my requests (%1)</source>
        <translation>全部申请（%1）</translation>
    </message>
    <message>
        <source>My invoices</source>
        <translation>我的发票</translation>
    </message>
    <message>
        <source>Your invoices, newest first. Search by invoice number, order number, date (2026-11-29) or amount (56.00). Open one to see it, send it or change it.</source>
        <translation>您的发票，最新的在前。可按发票号码、订单号、日期（2026-11-29）或金额（56.00）查找。打开一张即可查看、发送或更正。</translation>
    </message>
    <message>
        <source>Your invoices and requests</source>
        <translation>您的发票和申请</translation>
    </message>
    <message>
        <source>Invoice no., order no., date or amount</source>
        <translation>发票号码、订单号、日期或金额</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>显示全部</translation>
    </message>
    <message>
        <source>Changes in progress: tap to continue</source>
        <translation>进行中的更正：点击继续办理</translation>
    </message>
    <message>
        <source>My requests</source>
        <translation>我的申请</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续办理</translation>
    </message>
    <message>
        <source>&lt; Newer</source>
        <translation>&lt; 较新</translation>
    </message>
    <message>
        <source>Older &gt;</source>
        <translation>较早 &gt;</translation>
    </message>
    <message>
        <source>Delete my account and titles</source>
        <translation>删除我的账户和常用抬头</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>重打凭条</translation>
    </message>
    <message>
        <source>Continue %1</source>
        <translation>继续 %1</translation>
    </message>
</context>
<context>
    <name>ChangePage</name>
    <message>
        <source>Change this invoice</source>
        <translation>更正此发票</translation>
    </message>
    <message>
        <source>An issued invoice is never altered: a red invoice cancels it (all or part), then a corrected one is issued when the title was wrong.</source>
        <translation>已开具的发票不会被修改：先开具红字发票冲销（全部或部分），抬头有误时再开具更正后的新发票。</translation>
    </message>
    <message>
        <source>What is wrong?</source>
        <translation>哪里需要更正？</translation>
    </message>
    <message>
        <source>The whole invoice</source>
        <translation>整张发票</translation>
    </message>
    <message>
        <source>Some items</source>
        <translation>部分商品</translation>
    </message>
    <message>
        <source>Type the amount off, with tax, beside each item it applies to; leave the others empty.</source>
        <translation>在需要折让的商品旁输入折让金额（含税），其他商品留空。</translation>
    </message>
    <message>
        <source>Amount off</source>
        <translation>折让金额</translation>
    </message>
    <message>
        <source>New title</source>
        <translation>新抬头</translation>
    </message>
    <message>
        <source>Tax ID (empty for a person)</source>
        <translation>税号（个人可不填）</translation>
    </message>
    <message>
        <source>Ask for the change</source>
        <translation>提交更正</translation>
    </message>
    <message>
        <source>Invoice %1</source>
        <translation>发票 %1</translation>
    </message>
    <message>
        <source>%1 (up to %2)</source>
        <translation>%1（最多 %2）</translation>
    </message>
</context>
<context>
    <name>ChangeStatusPage</name>
    <message>
        <source>Change this invoice</source>
        <translation>更正此发票</translation>
    </message>
    <message>
        <source>Your change</source>
        <translation>您的更正</translation>
    </message>
    <message>
        <source>Print a slip to come back with</source>
        <translation>打印凭条，凭此回来继续</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>刷新状态</translation>
    </message>
    <message>
        <source>My invoices</source>
        <translation>我的发票</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在办理……</translation>
    </message>
    <message>
        <source>Change reference: %1</source>
        <translation>更正编号：%1</translation>
    </message>
    <message>
        <source>Slip printed</source>
        <translation>凭条已打印</translation>
    </message>
</context>
<context>
    <name>CodeLoginPage</name>
    <message>
        <source>Log in with a code</source>
        <translation>验证码登录</translation>
    </message>
    <message>
        <source>Your registered mobile number</source>
        <translation>您注册的手机号</translation>
    </message>
    <message>
        <source>Mobile number</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Send code</source>
        <translation>获取验证码</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>CodeStage</name>
    <message>
        <source>Type the 6-digit code from the message</source>
        <translation>请输入短信中的 6 位验证码</translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation>验证码</translation>
    </message>
    <message>
        <source>Change the details</source>
        <translation>修改信息</translation>
    </message>
    <message>
        <source>Code sent to %1</source>
        <translation>验证码已发送至 %1</translation>
    </message>
</context>
<context>
    <name>FailurePage</name>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Send by e-mail</source>
        <translation>发送到邮箱</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>邮箱地址</translation>
    </message>
</context>
<context>
    <name>ForgotPasswordPage</name>
    <message>
        <source>Forgot password</source>
        <translation>忘记密码</translation>
    </message>
    <message>
        <source>Your user name</source>
        <translation>您的用户名</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Send the code to my e-mail</source>
        <translation>发送验证码到我的邮箱</translation>
    </message>
    <message>
        <source>Send code</source>
        <translation>获取验证码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Set the new password</source>
        <translation>设置新密码</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <source>? Help</source>
        <translation>? 帮助</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>人工帮助</translation>
    </message>
    <message>
        <source>A+ Large text</source>
        <translation>A+ 大字</translation>
    </message>
</context>
<context>
    <name>IdcardConsentPage</name>
    <message>
        <source>Consent to read your ID card</source>
        <translation>读取身份证授权</translation>
    </message>
    <message>
        <source>May we read your ID card?</source>
        <translation>是否同意读取您的身份证？</translation>
    </message>
    <message>
        <source>Your ID card holds sensitive personal data. We read only your name and ID number, to fill in the invoice title for you. The photo is not used. Nothing is kept on this kiosk after you finish. You can say no and type your name instead.</source>
        <translation>身份证信息属于敏感个人信息。我们只读取姓名和身份证号码，用于为您填写发票抬头，不使用照片。办理结束后本终端不保留任何信息。您也可以拒绝，改为手工输入姓名。</translation>
    </message>
    <message>
        <source>I agree: read my card</source>
        <translation>同意，读取身份证</translation>
    </message>
    <message>
        <source>No, thanks</source>
        <translation>不同意</translation>
    </message>
</context>
<context>
    <name>IdcardReadingPage</name>
    <message>
        <source>Reading your ID card</source>
        <translation>正在读取身份证</translation>
    </message>
    <message>
        <source>Place your ID card on the reader</source>
        <translation>请将身份证放在读卡区</translation>
    </message>
    <message>
        <source>Keep it still until the next screen appears.</source>
        <translation>请保持不动，直到进入下一个页面。</translation>
    </message>
</context>
<context>
    <name>IdentifyPage</name>
    <message>
        <source>Identify yourself (optional)</source>
        <translation>身份识别（可选）</translation>
    </message>
    <message>
        <source>Who is the invoice for?</source>
        <translation>请选择识别方式</translation>
    </message>
    <message>
        <source>ID card on the reader</source>
        <translation>刷身份证</translation>
    </message>
    <message>
        <source>My personal QR code</source>
        <translation>个人二维码</translation>
    </message>
    <message>
        <source>Account and password</source>
        <translation>账户密码登录</translation>
    </message>
    <message>
        <source>Skip: continue without identifying</source>
        <translation>跳过，直接开票</translation>
    </message>
</context>
<context>
    <name>IdleWarningPage</name>
    <message>
        <source>Are you still there?</source>
        <translation>您还在吗？</translation>
    </message>
    <message>
        <source>Need more time?</source>
        <translation>需要更多时间吗？</translation>
    </message>
    <message>
        <source>Yes, I need more time</source>
        <translation>是的，继续办理</translation>
    </message>
    <message>
        <source>No, start over</source>
        <translation>不用了，重新开始</translation>
    </message>
    <message>
        <source>Everything you entered is cleared in %1 s</source>
        <translation>%1 秒后将清除您输入的全部信息</translation>
    </message>
</context>
<context>
    <name>IssuingPage</name>
    <message>
        <source>Issuing</source>
        <translation>正在开票</translation>
    </message>
    <message>
        <source>Issuing your invoice…</source>
        <translation>正在为您开具发票…</translation>
    </message>
    <message>
        <source>This takes a few seconds. Please do not leave.</source>
        <translation>需要几秒钟，请稍候，不要离开。</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Log in to your account</source>
        <translation>登录您的账户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Log in with a phone code</source>
        <translation>手机验证码登录</translation>
    </message>
    <message>
        <source>Forgot password</source>
        <translation>忘记密码</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>注册</translation>
    </message>
</context>
<context>
    <name>MembersPage</name>
    <message>
        <source>New role for %1:</source>
        <translation>%1 的新角色：</translation>
    </message>
    <message>
        <source>Remove %1 from the enterprise? They will no longer see its invoices.</source>
        <translation>将 %1 移出企业？移出后将不能再查看企业的发票。</translation>
    </message>
    <message>
        <source>Cancel the invitation of %1?</source>
        <translation>取消对 %1 的邀请？</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移出</translation>
    </message>
    <message>
        <source>Cancel the invitation</source>
        <translation>取消邀请</translation>
    </message>
    <message>
        <source>Enterprise members</source>
        <translation>企业成员</translation>
    </message>
    <message>
        <source>An administrator manages members and sees all invoices; an issuer issues and sees the invoices; a viewer sees and reprints but cannot issue. The new member must already have an account.</source>
        <translation>管理员管理成员并查看全部发票；开票员可开票并查看发票；查看员可查看和重打，不能开票。新成员须已有账户。</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>开票员</translation>
    </message>
    <message>
        <source>Viewer</source>
        <translation>查看员</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>No members yet: add the first one below.</source>
        <translation>还没有成员：请在下方添加第一位成员。</translation>
    </message>
    <message>
        <source>Add a member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <source>The member's user name</source>
        <translation>成员的用户名</translation>
    </message>
    <message>
        <source>Keep as it is</source>
        <translation>保持不变</translation>
    </message>
    <message>
        <source>active</source>
        <translation>已生效</translation>
    </message>
    <message>
        <source>invited, waiting for the code</source>
        <translation>已邀请，等待验证码</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <source>Resend the code</source>
        <translation>重发验证码</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Add and send the code</source>
        <translation>添加并发送验证码</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <source>An ordinary invoice suits most needs. A special VAT invoice is for a company that deducts input tax. Electronic invoices arrive at once.</source>
        <translation>一般选择普通发票即可。增值税专用发票供需要抵扣进项税的单位使用。电子发票立即送达。</translation>
    </message>
    <message>
        <source>Invoice options</source>
        <translation>发票选项</translation>
    </message>
    <message>
        <source>Type of invoice</source>
        <translation>发票种类</translation>
    </message>
    <message>
        <source>Ordinary invoice</source>
        <translation>普通发票</translation>
    </message>
    <message>
        <source>Special VAT invoice</source>
        <translation>增值税专用发票</translation>
    </message>
    <message>
        <source>A special VAT invoice lets a company deduct input tax; it needs a tax ID.</source>
        <translation>专用发票可用于单位抵扣进项税，须有纳税人识别号。</translation>
    </message>
    <message>
        <source>How you receive it</source>
        <translation>领取方式</translation>
    </message>
    <message>
        <source>Electronic (QR code, e-mail)</source>
        <translation>电子发票（二维码、邮箱）</translation>
    </message>
    <message>
        <source>Paper invoice</source>
        <translation>纸质发票</translation>
    </message>
    <message>
        <source>Pick up at the counter</source>
        <translation>到柜台领取</translation>
    </message>
    <message>
        <source>Send by post</source>
        <translation>邮寄</translation>
    </message>
    <message>
        <source>Mailing address</source>
        <translation>邮寄地址</translation>
    </message>
    <message>
        <source>A paper invoice is printed on tax stock by staff; this kiosk records your request.</source>
        <translation>纸质发票由工作人员用税务发票纸打印，本终端只登记您的申请。</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
</context>
<context>
    <name>OrdersPage</name>
    <message>
        <source>Scan each receipt's QR code, or tap the field and type the order number. Several orders become one invoice. Wrong order? Tap Remove beside it.</source>
        <translation>扫描每张小票的二维码，或点击输入框输入订单号。多个订单合并开一张发票。加错了订单？点击它旁边的“移除”。</translation>
    </message>
    <message>
        <source>Your orders</source>
        <translation>您的订单</translation>
    </message>
    <message>
        <source>Scan more receipts to put them on one invoice</source>
        <translation>继续扫描其他小票，可合并开一张发票</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Or type an order number</source>
        <translation>或输入订单号</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Enterprise members</source>
        <translation>企业成员</translation>
    </message>
    <message>
        <source>Scan the QR code on your receipt, or type its order number</source>
        <translation>请扫描小票上的二维码，或输入订单号</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>● The camera is on: hold your receipt's QR code in front of it.</source>
        <translation>● 摄像头已开启：请将小票二维码对准摄像头。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Turn the camera off</source>
        <translation>关闭摄像头</translation>
    </message>
    <message>
        <source>Scan with the camera</source>
        <translation>用摄像头扫码</translation>
    </message>
    <message>
        <source>Orders: %1</source>
        <translation>订单：%1</translation>
    </message>
    <message>
        <source>Total: %1 (orders: %2)</source>
        <translation>合计：%1（%2 个订单）</translation>
    </message>
    <message>
        <source>My invoices</source>
        <translation>我的发票</translation>
    </message>
</context>
<context>
    <name>OutOfServicePage</name>
    <message>
        <source>Out of service</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <source>This kiosk is out of service</source>
        <translation>本终端暂停服务</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>Self-service invoicing</source>
        <translation>自助开票</translation>
    </message>
    <message>
        <source>Follow the steps on the screen. Staff can help you at any time.</source>
        <translation>请按屏幕提示操作，如有需要可随时请工作人员协助。</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; 返回</translation>
    </message>
</context>
<context>
    <name>PrinterProblemPage</name>
    <message>
        <source>Printer problem</source>
        <translation>打印机故障</translation>
    </message>
    <message>
        <source>The receipt could not be printed</source>
        <translation>凭条未能打印</translation>
    </message>
    <message>
        <source>Your invoice IS issued. Get it another way:</source>
        <translation>您的发票已经开具成功，请通过其他方式获取：</translation>
    </message>
    <message>
        <source>Scan the QR code with your phone, or send it by e-mail. Staff have been told about the printer.</source>
        <translation>用手机扫描二维码，或发送到邮箱。已通知工作人员处理打印机。</translation>
    </message>
    <message>
        <source>Try printing again</source>
        <translation>重新打印</translation>
    </message>
</context>
<context>
    <name>QueuedPage</name>
    <message>
        <source>Request queued</source>
        <translation>申请已保存</translation>
    </message>
    <message>
        <source>The tax platform cannot be reached right now</source>
        <translation>暂时无法连接开票平台</translation>
    </message>
    <message>
        <source>Your request is saved and the kiosk keeps trying; this screen shows your invoice as soon as it is issued. Or leave now and scan your claim slip at any of our kiosks later. You will never get two invoices.</source>
        <translation>您的申请已保存，终端会自动重试，发票一开具，本屏幕就会显示。您也可以先离开，稍后在本店任一自助开票终端扫描申请凭条。不会重复开票。</translation>
    </message>
    <message>
        <source>E-mail me the invoice when it is issued:</source>
        <translation>发票开具后发送到我的邮箱：</translation>
    </message>
    <message>
        <source>E-mail me</source>
        <translation>发送到邮箱</translation>
    </message>
    <message>
        <source>The code on your claim slip. No slip? Take a photo of this code.</source>
        <translation>这是申请凭条上的二维码。没有拿到凭条？请用手机拍下此码。</translation>
    </message>
    <message>
        <source>The invoice will be e-mailed to %1 as soon as it is issued.</source>
        <translation>发票开具后将发送到 %1。</translation>
    </message>
    <message>
        <source>Claim reference: %1</source>
        <translation>凭条编号：%1</translation>
    </message>
</context>
<context>
    <name>RegisterPage</name>
    <message>
        <source>Enterprise name</source>
        <translation>企业名称</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>A password needs at least 8 characters and must not be easy to guess. We send a 6-digit code to your mobile (or e-mail) to confirm it is yours.</source>
        <translation>密码至少 8 位，且不能容易被猜到。我们会向您的手机（或邮箱）发送 6 位验证码，确认是您本人。</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Mobile number</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>E-mail (optional)</source>
        <translation>邮箱（选填）</translation>
    </message>
    <message>
        <source>Send the code by e-mail instead</source>
        <translation>改为发送到邮箱</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Send code</source>
        <translation>获取验证码</translation>
    </message>
</context>
<context>
    <name>RejectedPage</name>
    <message>
        <source>Not accepted</source>
        <translation>未被受理</translation>
    </message>
    <message>
        <source>The platform did not accept this invoice</source>
        <translation>开票平台未受理本次开票</translation>
    </message>
    <message>
        <source>Nothing was issued. The reason is shown below.</source>
        <translation>未开具任何发票，原因见下方。</translation>
    </message>
    <message>
        <source>A new title cannot change this: please ask staff.</source>
        <translation>修改抬头也无法解决，请联系工作人员。</translation>
    </message>
    <message>
        <source>Correct the title and try again, or ask staff.</source>
        <translation>请修改抬头后重试，或联系工作人员。</translation>
    </message>
    <message>
        <source>Correct the title</source>
        <translation>修改抬头</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <source>Your invoice</source>
        <translation>您的发票</translation>
    </message>
    <message>
        <source>Your invoice has been issued</source>
        <translation>发票开具成功</translation>
    </message>
    <message>
        <source>Scan with your phone to download the PDF and XML</source>
        <translation>用手机扫码下载 PDF 和 XML 文件</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>邮箱地址</translation>
    </message>
    <message>
        <source>Send by e-mail</source>
        <translation>发送到邮箱</translation>
    </message>
    <message>
        <source>Sending accepts our privacy notice: the address is used only for this invoice.</source>
        <translation>发送即表示同意隐私说明：邮箱仅用于发送本张发票。</translation>
    </message>
    <message>
        <source>Read the full privacy notice</source>
        <translation>阅读完整隐私说明</translation>
    </message>
    <message>
        <source>Print the receipt again</source>
        <translation>重新打印凭条</translation>
    </message>
    <message>
        <source>My invoices</source>
        <translation>我的发票</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Invoice number: %1</source>
        <translation>发票号码：%1</translation>
    </message>
    <message>
        <source>Printing your receipt…</source>
        <translation>正在打印凭条…</translation>
    </message>
    <message>
        <source>Receipt printed: take it from the slot below.</source>
        <translation>凭条已打印，请从下方出纸口取走。</translation>
    </message>
    <message>
        <source>No receipt printed: use the QR code or e-mail.</source>
        <translation>未打印凭条，请使用二维码或邮箱获取。</translation>
    </message>
    <message>
        <source>Sending the e-mail…</source>
        <translation>正在发送邮件…</translation>
    </message>
    <message>
        <source>E-mail sent.</source>
        <translation>邮件已发送。</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Check the name and tax ID letter by letter: an issued invoice cannot be changed, only cancelled by a red-letter invoice. Then tap Confirm and issue.</source>
        <translation>请逐字核对名称和纳税人识别号：发票开具后不能修改，只能开具红字发票冲销。核对无误后点“确认开票”。</translation>
    </message>
    <message>
        <source>Check and confirm</source>
        <translation>核对并确认</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>税率</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>税额</translation>
    </message>
    <message>
        <source>Change title</source>
        <translation>修改抬头</translation>
    </message>
    <message>
        <source>Kind, paper or electronic</source>
        <translation>发票种类 / 纸质或电子</translation>
    </message>
    <message>
        <source>Change items</source>
        <translation>修改明细</translation>
    </message>
    <message>
        <source>Your saved titles:</source>
        <translation>您保存的抬头：</translation>
    </message>
    <message>
        <source>You scanned a title code. Replace the title on this invoice?</source>
        <translation>您扫描了抬头二维码。要替换本张发票的抬头吗？</translation>
    </message>
    <message>
        <source>Use the scanned title</source>
        <translation>使用扫描的抬头</translation>
    </message>
    <message>
        <source>Keep the current title</source>
        <translation>保留当前抬头</translation>
    </message>
    <message>
        <source>Confirm and issue</source>
        <translation>确认开票</translation>
    </message>
    <message>
        <source>Now: %1</source>
        <translation>当前：%1</translation>
    </message>
    <message>
        <source>Scanned: %1</source>
        <translation>扫描：%1</translation>
    </message>
    <message>
        <source>Tax ID: %1</source>
        <translation>纳税人识别号：%1</translation>
    </message>
    <message>
        <source>No tax ID (personal)</source>
        <translation>无纳税人识别号（个人）</translation>
    </message>
    <message>
        <source>Net %1 + tax %2 = total %3</source>
        <translation>金额 %1 + 税额 %2 = 价税合计 %3</translation>
    </message>
    <message>
        <source>In words: %1</source>
        <translation>大写：%1</translation>
    </message>
    <message>
        <source>Special VAT invoice</source>
        <translation>增值税专用发票</translation>
    </message>
    <message>
        <source>Ordinary invoice</source>
        <translation>普通发票</translation>
    </message>
    <message>
        <source>Electronic</source>
        <translation>电子发票</translation>
    </message>
    <message>
        <source>Paper, by post</source>
        <translation>纸质发票，邮寄</translation>
    </message>
    <message>
        <source>Paper, pick up at the counter</source>
        <translation>纸质发票，柜台领取</translation>
    </message>
    <message>
        <source>%1 · %2 · Issue date: %3 (today)</source>
        <translation>%1 · %2 · 开票日期：%3（今天）</translation>
    </message>
    <message>
        <source>%1, tax ID %2</source>
        <translation>%1，税号 %2</translation>
    </message>
</context>
<context>
    <name>SupportPage</name>
    <message>
        <source>Support</source>
        <translation>人工帮助</translation>
    </message>
    <message>
        <source>Need help? Call us or ask staff nearby</source>
        <translation>需要帮助？请致电或询问附近的工作人员</translation>
    </message>
    <message>
        <source>Phone: %1</source>
        <translation>电话：%1</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>TermsPage</name>
    <message>
        <source>Terms and privacy</source>
        <translation>服务条款与隐私</translation>
    </message>
    <message>
        <source>Before we start: your data</source>
        <translation>开始之前：关于您的信息</translation>
    </message>
    <message>
        <source>What we collect: the order numbers you scan, the invoice title you enter (name, tax ID, optional address, phone, bank account, e-mail) and, only with a separate consent, the name and number on your ID card.

Why: to issue the VAT e-invoice you ask for and to deliver it to you.

How long: the screen forgets everything as soon as you finish or walk away. The issued invoice is kept by the seller and the tax platform as the law requires (5 years); the kiosk's logs (6 months) never hold your ID number, phone or e-mail in full.

The camera is only used when you choose it, and a notice shows while it is on.</source>
        <translation>收集哪些信息：您扫描的订单号、您填写的发票抬头（名称、纳税人识别号，以及可选的地址、电话、银行账户、邮箱）；仅在您另行同意后，读取身份证上的姓名和号码。

用途：为您开具并送达您申请的增值税电子发票。

保存多久：您办理完成或离开后，屏幕上的信息立即清除。已开具的发票由销售方和税务平台依法保存（5 年）；终端日志（保存 6 个月）不会完整记录您的身份证号、电话或邮箱。

摄像头只在您选择使用时开启，开启期间屏幕上会有提示。</translation>
    </message>
    <message>
        <source>Accept and continue</source>
        <translation>同意并继续</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>不同意</translation>
    </message>
</context>
<context>
    <name>TutorialPage</name>
    <message>
        <source>1. Scan</source>
        <translation>第一步：扫码</translation>
    </message>
    <message>
        <source>Hold the QR code on your receipt under the scanner. Several receipts can go on one invoice.</source>
        <translation>将小票上的二维码对准扫码口。多张小票可以合并开一张发票。</translation>
    </message>
    <message>
        <source>2. Title</source>
        <translation>第二步：抬头</translation>
    </message>
    <message>
        <source>Personal invoices need nothing more. For a company, enter its name and tax ID or scan its title code.</source>
        <translation>个人发票无需填写。单位发票请填写名称和纳税人识别号，或扫描单位的开票信息二维码。</translation>
    </message>
    <message>
        <source>3. Confirm</source>
        <translation>第三步：确认</translation>
    </message>
    <message>
        <source>Check the amounts, tap Confirm, and take your receipt with the download QR code.</source>
        <translation>核对金额，点“确认开票”，取走带有下载二维码的凭条。</translation>
    </message>
    <message>
        <source>How it works</source>
        <translation>使用说明</translation>
    </message>
    <message>
        <source>Got it</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>UnknownPage</name>
    <message>
        <source>Result not known yet</source>
        <translation>结果待确认</translation>
    </message>
    <message>
        <source>We do not know yet whether the invoice was issued</source>
        <translation>暂时无法确认发票是否已开具</translation>
    </message>
    <message>
        <source>The platform did not answer in time.</source>
        <translation>开票平台没有及时应答。</translation>
    </message>
    <message>
        <source>Do not start again with a new request: tap "Check again". The kiosk asks the platform about THIS request first, so you cannot get two invoices.</source>
        <translation>请不要重新发起申请，请点“再次查询”。终端会先向平台查询本次申请，不会重复开票。</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>再次查询</translation>
    </message>
</context>
<context>
    <name>_Keypad</name>
    <message>
        <source>Backspace</source>
        <translation>退格</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
</context>
</TS>