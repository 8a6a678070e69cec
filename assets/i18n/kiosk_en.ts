<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>AlreadyInvoicedPage</name>
    <message>
        <source>Already invoiced</source>
        <translation>Already invoiced</translation>
    </message>
    <message>
        <source>This order already has an invoice</source>
        <translation>This order already has an invoice</translation>
    </message>
    <message>
        <source>An order is invoiced only once. You can get the same invoice again:</source>
        <translation>An order is invoiced only once. You can get the same invoice again:</translation>
    </message>
    <message>
        <source>Print its receipt again, send it by e-mail, or scan the QR code with your phone.</source>
        <translation>Print its receipt again, send it by e-mail, or scan the QR code with your phone.</translation>
    </message>
    <message>
        <source>Print the receipt again</source>
        <translation>Print the receipt again</translation>
    </message>
    <message>
        <source>Invoice number: %1</source>
        <translation>Invoice number: %1</translation>
    </message>
    <message>
        <source>My invoices</source>
        <translation>My invoices</translation>
    </message>
</context>
<context>
    <name>AttractPage</name>
    <message>
        <source>Scan your receipt's QR code to get an invoice</source>
        <translation>Scan your receipt's QR code to get an invoice</translation>
    </message>
    <message>
        <source>Hold the QR code on your receipt under the scanner below</source>
        <translation>Hold the QR code on your receipt under the scanner below</translation>
    </message>
    <message>
        <source>Type the order number</source>
        <translation>Type the order number</translation>
    </message>
    <message>
        <source>Scan with the camera</source>
        <translation>Scan with the camera</translation>
    </message>
    <message>
        <source>Use my ID card</source>
        <translation>Use my ID card</translation>
    </message>
    <message>
        <source>Log in to my account</source>
        <translation>Log in to my account</translation>
    </message>
    <message>
        <source>Business invoicing</source>
        <translation>Business invoicing</translation>
    </message>
    <message>
        <source>How it works</source>
        <translation>How it works</translation>
    </message>
    <message>
        <source>Scan the QR code printed on your receipt. No receipt code? Type the order number instead.</source>
        <translation>Scan the QR code printed on your receipt. No receipt code? Type the order number instead.</translation>
    </message>
</context>
<context>
    <name>BadQrPage</name>
    <message>
        <source>Code not accepted</source>
        <translation>Code not accepted</translation>
    </message>
    <message>
        <source>This code cannot be used here</source>
        <translation>This code cannot be used here</translation>
    </message>
    <message>
        <source>Scan the order QR code on your receipt, or type the order number printed under it.</source>
        <translation>Scan the order QR code on your receipt, or type the order number printed under it.</translation>
    </message>
    <message>
        <source>Type the order number</source>
        <translation>Type the order number</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
</context>
<context>
    <name>BuyerPage</name>
    <message>
        <source>For yourself, keep "Personal" and tap Next. For a company, tap Company and enter its exact name and tax ID (on its business licence), or scan its invoice-title QR code.</source>
        <translation>For yourself, keep "Personal" and tap Next. For a company, tap Company and enter its exact name and tax ID (on its business licence), or scan its invoice-title QR code.</translation>
    </message>
    <message>
        <source>Invoice title (buyer)</source>
        <translation>Invoice title (buyer)</translation>
    </message>
    <message>
        <source>Personal</source>
        <translation>Personal</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Company</translation>
    </message>
    <message>
        <source>Your saved titles:</source>
        <translation>Your saved titles:</translation>
    </message>
    <message>
        <source>Name on the invoice</source>
        <translation>Name on the invoice</translation>
    </message>
    <message>
        <source>Tax ID (unified social credit code)</source>
        <translation>Tax ID (unified social credit code)</translation>
    </message>
    <message>
        <source>It is correct: use it</source>
        <translation>It is correct: use it</translation>
    </message>
    <message>
        <source>Tip: scan a company's invoice-title QR code to fill this in.</source>
        <translation>Tip: scan a company's invoice-title QR code to fill this in.</translation>
    </message>
    <message>
        <source>More: address, phone, bank, e-mail</source>
        <translation>More: address, phone, bank, e-mail</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>Bank</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>Account number</translation>
    </message>
    <message>
        <source>E-mail for the invoice</source>
        <translation>E-mail for the invoice</translation>
    </message>
    <message>
        <source>Print address and bank on the invoice</source>
        <translation>Print address and bank on the invoice</translation>
    </message>
    <message>
        <source>Add a photo of a contract or voucher (optional)</source>
        <translation>Add a photo of a contract or voucher (optional)</translation>
    </message>
    <message>
        <source>● The camera is on: hold the document in front of it and tap "Take the photo".</source>
        <translation>● The camera is on: hold the document in front of it and tap "Take the photo".</translation>
    </message>
    <message>
        <source>Take the photo</source>
        <translation>Take the photo</translation>
    </message>
    <message>
        <source>Photo attached</source>
        <translation>Photo attached</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Tax ID (optional for a person)</source>
        <translation>Tax ID (optional for a person)</translation>
    </message>
</context>
<context>
    <name>CameraUnavailablePage</name>
    <message>
        <source>Camera unavailable</source>
        <translation>Camera unavailable</translation>
    </message>
    <message>
        <source>The camera is not available</source>
        <translation>The camera is not available</translation>
    </message>
    <message>
        <source>Use the scanner below the screen, or type the order number.</source>
        <translation>Use the scanner below the screen, or type the order number.</translation>
    </message>
    <message>
        <source>Type the order number</source>
        <translation>Type the order number</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>CataloguePage</name>
    <message>
        <source>Search an item, enter a quantity and a unit price (or just the amount), check the rate, and add the line.</source>
        <translation>Search an item, enter a quantity and a unit price (or just the amount), check the rate, and add the line.</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <source>Pick goods or services</source>
        <translation>Pick goods or services</translation>
    </message>
    <message>
        <source>Search by name or tax code</source>
        <translation>Search by name or tax code</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>Unit price</translation>
    </message>
    <message>
        <source>or amount</source>
        <translation>or amount</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>Add line</source>
        <translation>Add line</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continue</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Qty</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>Total: %1</translation>
    </message>
</context>
<context>
    <name>CentreInvoicePage</name>
    <message>
        <source>My invoice</source>
        <translation>My invoice</translation>
    </message>
    <message>
        <source>See the invoice, print its receipt again, send it by e-mail, show the code to download it, or ask to change it.</source>
        <translation>See the invoice, print its receipt again, send it by e-mail, show the code to download it, or ask to change it.</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Qty</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>View the invoice</source>
        <translation>View the invoice</translation>
    </message>
    <message>
        <source>Reprint the receipt</source>
        <translation>Reprint the receipt</translation>
    </message>
    <message>
        <source>Download code</source>
        <translation>Download code</translation>
    </message>
    <message>
        <source>Change this invoice</source>
        <translation>Change this invoice</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>E-mail address</translation>
    </message>
    <message>
        <source>Send by e-mail</source>
        <translation>Send by e-mail</translation>
    </message>
    <message>
        <source>Back to my invoices</source>
        <translation>Back to my invoices</translation>
    </message>
    <message>
        <source>Invoice %1</source>
        <translation>Invoice %1</translation>
    </message>
    <message>
        <source>Sent to %1</source>
        <translation>Sent to %1</translation>
    </message>
</context>
<context>
    <name>CentrePage</name>
    <message>
        <source>Tap again to delete my account and titles</source>
        <translation>Tap again to delete my account and titles</translation>
    </message>
    <message>
        <source>Show fewer requests</source>
        <translation>Show fewer requests</translation>
    </message>
    <message>
        <source>All my requests (%1)</source>
        <translation>All my requests (%1)</translation>
    </message>
    <message>
        <source>My invoices</source>
        <translation>My invoices</translation>
    </message>
    <message>
        <source>Your invoices, newest first. Search by invoice number, order number, date (2026-11-29) or amount (56.00). Open one to see it, send it or change it.</source>
        <translation>Your invoices, newest first. Search by invoice number, order number, date (2026-11-29) or amount (56.00). Open one to see it, send it or change it.</translation>
    </message>
    <message>
        <source>Your invoices and requests</source>
        <translation>Your invoices and requests</translation>
    </message>
    <message>
        <source>Invoice no., order no., date or amount</source>
        <translation>Invoice no., order no., date or amount</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>Show all</translation>
    </message>
    <message>
        <source>Changes in progress: tap to continue</source>
        <translation>Changes in progress: tap to continue</translation>
    </message>
    <message>
        <source>My requests</source>
        <translation>My requests</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continue</translation>
    </message>
    <message>
        <source>&lt; Newer</source>
        <translation>&lt; Newer</translation>
    </message>
    <message>
        <source>Older &gt;</source>
        <translation>Older &gt;</translation>
    </message>
    <message>
        <source>Delete my account and titles</source>
        <translation>Delete my account and titles</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <source>Continue %1</source>
        <translation>Continue %1</translation>
    </message>
</context>
<context>
    <name>ChangePage</name>
    <message>
        <source>Change this invoice</source>
        <translation>Change this invoice</translation>
    </message>
    <message>
        <source>An issued invoice is never altered: a red invoice cancels it (all or part), then a corrected one is issued when the title was wrong.</source>
        <translation>An issued invoice is never altered: a red invoice cancels it (all or part), then a corrected one is issued when the title was wrong.</translation>
    </message>
    <message>
        <source>What is wrong?</source>
        <translation>What is wrong?</translation>
    </message>
    <message>
        <source>The whole invoice</source>
        <translation>The whole invoice</translation>
    </message>
    <message>
        <source>Some items</source>
        <translation>Some items</translation>
    </message>
    <message>
        <source>Type the amount off, with tax, beside each item it applies to; leave the others empty.</source>
        <translation>Type the amount off, with tax, beside each item it applies to; leave the others empty.</translation>
    </message>
    <message>
        <source>Amount off</source>
        <translation>Amount off</translation>
    </message>
    <message>
        <source>New title</source>
        <translation>New title</translation>
    </message>
    <message>
        <source>Tax ID (empty for a person)</source>
        <translation>Tax ID (empty for a person)</translation>
    </message>
    <message>
        <source>Ask for the change</source>
        <translation>Ask for the change</translation>
    </message>
    <message>
        <source>Invoice %1</source>
        <translation>Invoice %1</translation>
    </message>
    <message>
        <source>%1 (up to %2)</source>
        <translation>%1 (up to %2)</translation>
    </message>
</context>
<context>
    <name>ChangeStatusPage</name>
    <message>
        <source>Change this invoice</source>
        <translation>Change this invoice</translation>
    </message>
    <message>
        <source>Your change</source>
        <translation>Your change</translation>
    </message>
    <message>
        <source>Print a slip to come back with</source>
        <translation>Print a slip to come back with</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Check again</translation>
    </message>
    <message>
        <source>My invoices</source>
        <translation>My invoices</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>Change reference: %1</source>
        <translation>Change reference: %1</translation>
    </message>
    <message>
        <source>Slip printed</source>
        <translation>Slip printed</translation>
    </message>
</context>
<context>
    <name>CodeLoginPage</name>
    <message>
        <source>Log in with a code</source>
        <translation>Log in with a code</translation>
    </message>
    <message>
        <source>Your registered mobile number</source>
        <translation>Your registered mobile number</translation>
    </message>
    <message>
        <source>Mobile number</source>
        <translation>Mobile number</translation>
    </message>
    <message>
        <source>Send code</source>
        <translation>Send code</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Log in</translation>
    </message>
</context>
<context>
    <name>CodeStage</name>
    <message>
        <source>Type the 6-digit code from the message</source>
        <translation>Type the 6-digit code from the message</translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation>Verification code</translation>
    </message>
    <message>
        <source>Change the details</source>
        <translation>Change the details</translation>
    </message>
    <message>
        <source>Code sent to %1</source>
        <translation>Code sent to %1</translation>
    </message>
</context>
<context>
    <name>FailurePage</name>
    <message>
        <source>Finish</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>Send by e-mail</source>
        <translation>Send by e-mail</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>E-mail address</translation>
    </message>
</context>
<context>
    <name>ForgotPasswordPage</name>
    <message>
        <source>Forgot password</source>
        <translation>Forgot password</translation>
    </message>
    <message>
        <source>Your user name</source>
        <translation>Your user name</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Send the code to my e-mail</source>
        <translation>Send the code to my e-mail</translation>
    </message>
    <message>
        <source>Send code</source>
        <translation>Send code</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>New password again</translation>
    </message>
    <message>
        <source>Set the new password</source>
        <translation>Set the new password</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <source>? Help</source>
        <translation>? Help</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>Support</translation>
    </message>
    <message>
        <source>A+ Large text</source>
        <translation>A+ Large text</translation>
    </message>
</context>
<context>
    <name>IdcardConsentPage</name>
    <message>
        <source>Consent to read your ID card</source>
        <translation>Consent to read your ID card</translation>
    </message>
    <message>
        <source>May we read your ID card?</source>
        <translation>May we read your ID card?</translation>
    </message>
    <message>
        <source>Your ID card holds sensitive personal data. We read only your name and ID number, to fill in the invoice title for you. The photo is not used. Nothing is kept on this kiosk after you finish. You can say no and type your name instead.</source>
        <translation>Your ID card holds sensitive personal data. We read only your name and ID number, to fill in the invoice title for you. The photo is not used. Nothing is kept on this kiosk after you finish. You can say no and type your name instead.</translation>
    </message>
    <message>
        <source>I agree: read my card</source>
        <translation>I agree: read my card</translation>
    </message>
    <message>
        <source>No, thanks</source>
        <translation>No, thanks</translation>
    </message>
</context>
<context>
    <name>IdcardReadingPage</name>
    <message>
        <source>Reading your ID card</source>
        <translation>Reading your ID card</translation>
    </message>
    <message>
        <source>Place your ID card on the reader</source>
        <translation>Place your ID card on the reader</translation>
    </message>
    <message>
        <source>Keep it still until the next screen appears.</source>
        <translation>Keep it still until the next screen appears.</translation>
    </message>
</context>
<context>
    <name>IdentifyPage</name>
    <message>
        <source>Identify yourself (optional)</source>
        <translation>Identify yourself (optional)</translation>
    </message>
    <message>
        <source>Who is the invoice for?</source>
        <translation>Who is the invoice for?</translation>
    </message>
    <message>
        <source>ID card on the reader</source>
        <translation>ID card on the reader</translation>
    </message>
    <message>
        <source>My personal QR code</source>
        <translation>My personal QR code</translation>
    </message>
    <message>
        <source>Account and password</source>
        <translation>Account and password</translation>
    </message>
    <message>
        <source>Skip: continue without identifying</source>
        <translation>Skip: continue without identifying</translation>
    </message>
</context>
<context>
    <name>IdleWarningPage</name>
    <message>
        <source>Are you still there?</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <source>Need more time?</source>
        <translation>Need more time?</translation>
    </message>
    <message>
        <source>Yes, I need more time</source>
        <translation>Yes, I need more time</translation>
    </message>
    <message>
        <source>No, start over</source>
        <translation>No, start over</translation>
    </message>
    <message>
        <source>Everything you entered is cleared in %1 s</source>
        <translation>Everything you entered is cleared in %1 s</translation>
    </message>
</context>
<context>
    <name>IssuingPage</name>
    <message>
        <source>Issuing</source>
        <translation>Issuing</translation>
    </message>
    <message>
        <source>Issuing your invoice…</source>
        <translation>Issuing your invoice…</translation>
    </message>
    <message>
        <source>This takes a few seconds. Please do not leave.</source>
        <translation>This takes a few seconds. Please do not leave.</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <source>Log in</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>Log in to your account</source>
        <translation>Log in to your account</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Log in with a phone code</source>
        <translation>Log in with a phone code</translation>
    </message>
    <message>
        <source>Forgot password</source>
        <translation>Forgot password</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Register</translation>
    </message>
</context>
<context>
    <name>MembersPage</name>
    <message>
        <source>New role for %1:</source>
        <translation>New role for %1:</translation>
    </message>
    <message>
        <source>Remove %1 from the enterprise? They will no longer see its invoices.</source>
        <translation>Remove %1 from the enterprise? They will no longer see its invoices.</translation>
    </message>
    <message>
        <source>Cancel the invitation of %1?</source>
        <translation>Cancel the invitation of %1?</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Cancel the invitation</source>
        <translation>Cancel the invitation</translation>
    </message>
    <message>
        <source>Enterprise members</source>
        <translation>Enterprise members</translation>
    </message>
    <message>
        <source>An administrator manages members and sees all invoices; an issuer issues and sees the invoices; a viewer sees and reprints but cannot issue. The new member must already have an account.</source>
        <translation>An administrator manages members and sees all invoices; an issuer issues and sees the invoices; a viewer sees and reprints but cannot issue. The new member must already have an account.</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>Issuer</translation>
    </message>
    <message>
        <source>Viewer</source>
        <translation>Viewer</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>No members yet: add the first one below.</source>
        <translation>No members yet: add the first one below.</translation>
    </message>
    <message>
        <source>Add a member</source>
        <translation>Add a member</translation>
    </message>
    <message>
        <source>The member's user name</source>
        <translation>The member's user name</translation>
    </message>
    <message>
        <source>Keep as it is</source>
        <translation>Keep as it is</translation>
    </message>
    <message>
        <source>active</source>
        <translation>active</translation>
    </message>
    <message>
        <source>invited, waiting for the code</source>
        <translation>invited, waiting for the code</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>Change role</translation>
    </message>
    <message>
        <source>Resend the code</source>
        <translation>Resend the code</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>Add and send the code</source>
        <translation>Add and send the code</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <source>An ordinary invoice suits most needs. A special VAT invoice is for a company that deducts input tax. Electronic invoices arrive at once.</source>
        <translation>An ordinary invoice suits most needs. A special VAT invoice is for a company that deducts input tax. Electronic invoices arrive at once.</translation>
    </message>
    <message>
        <source>Invoice options</source>
        <translation>Invoice options</translation>
    </message>
    <message>
        <source>Type of invoice</source>
        <translation>Type of invoice</translation>
    </message>
    <message>
        <source>Ordinary invoice</source>
        <translation>Ordinary invoice</translation>
    </message>
    <message>
        <source>Special VAT invoice</source>
        <translation>Special VAT invoice</translation>
    </message>
    <message>
        <source>A special VAT invoice lets a company deduct input tax; it needs a tax ID.</source>
        <translation>A special VAT invoice lets a company deduct input tax; it needs a tax ID.</translation>
    </message>
    <message>
        <source>How you receive it</source>
        <translation>How you receive it</translation>
    </message>
    <message>
        <source>Electronic (QR code, e-mail)</source>
        <translation>Electronic (QR code, e-mail)</translation>
    </message>
    <message>
        <source>Paper invoice</source>
        <translation>Paper invoice</translation>
    </message>
    <message>
        <source>Pick up at the counter</source>
        <translation>Pick up at the counter</translation>
    </message>
    <message>
        <source>Send by post</source>
        <translation>Send by post</translation>
    </message>
    <message>
        <source>Mailing address</source>
        <translation>Mailing address</translation>
    </message>
    <message>
        <source>A paper invoice is printed on tax stock by staff; this kiosk records your request.</source>
        <translation>A paper invoice is printed on tax stock by staff; this kiosk records your request.</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>OrdersPage</name>
    <message>
        <source>Scan each receipt's QR code, or tap the field and type the order number. Several orders become one invoice. Wrong order? Tap Remove beside it.</source>
        <translation>Scan each receipt's QR code, or tap the field and type the order number. Several orders become one invoice. Wrong order? Tap Remove beside it.</translation>
    </message>
    <message>
        <source>Your orders</source>
        <translation>Your orders</translation>
    </message>
    <message>
        <source>Scan more receipts to put them on one invoice</source>
        <translation>Scan more receipts to put them on one invoice</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Qty</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Or type an order number</source>
        <translation>Or type an order number</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Enterprise members</source>
        <translation>Enterprise members</translation>
    </message>
    <message>
        <source>Scan the QR code on your receipt, or type its order number</source>
        <translation>Scan the QR code on your receipt, or type its order number</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>● The camera is on: hold your receipt's QR code in front of it.</source>
        <translation>● The camera is on: hold your receipt's QR code in front of it.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continue</translation>
    </message>
    <message>
        <source>Turn the camera off</source>
        <translation>Turn the camera off</translation>
    </message>
    <message>
        <source>Scan with the camera</source>
        <translation>Scan with the camera</translation>
    </message>
    <message>
        <source>Orders: %1</source>
        <translation>Orders: %1</translation>
    </message>
    <message>
        <source>Total: %1 (orders: %2)</source>
        <translation>Total: %1 (orders: %2)</translation>
    </message>
    <message>
        <source>My invoices</source>
        <translation>My invoices</translation>
    </message>
</context>
<context>
    <name>OutOfServicePage</name>
    <message>
        <source>Out of service</source>
        <translation>Out of service</translation>
    </message>
    <message>
        <source>This kiosk is out of service</source>
        <translation>This kiosk is out of service</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>Self-service invoicing</source>
        <translation>Self-service invoicing</translation>
    </message>
    <message>
        <source>Follow the steps on the screen. Staff can help you at any time.</source>
        <translation>Follow the steps on the screen. Staff can help you at any time.</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; Back</translation>
    </message>
</context>
<context>
    <name>PrinterProblemPage</name>
    <message>
        <source>Printer problem</source>
        <translation>Printer problem</translation>
    </message>
    <message>
        <source>The receipt could not be printed</source>
        <translation>The receipt could not be printed</translation>
    </message>
    <message>
        <source>Your invoice IS issued. Get it another way:</source>
        <translation>Your invoice IS issued. Get it another way:</translation>
    </message>
    <message>
        <source>Scan the QR code with your phone, or send it by e-mail. Staff have been told about the printer.</source>
        <translation>Scan the QR code with your phone, or send it by e-mail. Staff have been told about the printer.</translation>
    </message>
    <message>
        <source>Try printing again</source>
        <translation>Try printing again</translation>
    </message>
</context>
<context>
    <name>QueuedPage</name>
    <message>
        <source>Request queued</source>
        <translation>Request queued</translation>
    </message>
    <message>
        <source>The tax platform cannot be reached right now</source>
        <translation>The tax platform cannot be reached right now</translation>
    </message>
    <message>
        <source>Your request is saved and the kiosk keeps trying; this screen shows your invoice as soon as it is issued. Or leave now and scan your claim slip at any of our kiosks later. You will never get two invoices.</source>
        <translation>Your request is saved and the kiosk keeps trying; this screen shows your invoice as soon as it is issued. Or leave now and scan your claim slip at any of our kiosks later. You will never get two invoices.</translation>
    </message>
    <message>
        <source>E-mail me the invoice when it is issued:</source>
        <translation>E-mail me the invoice when it is issued:</translation>
    </message>
    <message>
        <source>E-mail me</source>
        <translation>E-mail me</translation>
    </message>
    <message>
        <source>The code on your claim slip. No slip? Take a photo of this code.</source>
        <translation>The code on your claim slip. No slip? Take a photo of this code.</translation>
    </message>
    <message>
        <source>The invoice will be e-mailed to %1 as soon as it is issued.</source>
        <translation>The invoice will be e-mailed to %1 as soon as it is issued.</translation>
    </message>
    <message>
        <source>Claim reference: %1</source>
        <translation>Claim reference: %1</translation>
    </message>
</context>
<context>
    <name>RegisterPage</name>
    <message>
        <source>Enterprise name</source>
        <translation>Enterprise name</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Your name</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>A password needs at least 8 characters and must not be easy to guess. We send a 6-digit code to your mobile (or e-mail) to confirm it is yours.</source>
        <translation>A password needs at least 8 characters and must not be easy to guess. We send a 6-digit code to your mobile (or e-mail) to confirm it is yours.</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>Password again</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Contact person</translation>
    </message>
    <message>
        <source>Mobile number</source>
        <translation>Mobile number</translation>
    </message>
    <message>
        <source>E-mail (optional)</source>
        <translation>E-mail (optional)</translation>
    </message>
    <message>
        <source>Send the code by e-mail instead</source>
        <translation>Send the code by e-mail instead</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>Send code</source>
        <translation>Send code</translation>
    </message>
</context>
<context>
    <name>RejectedPage</name>
    <message>
        <source>Not accepted</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <source>The platform did not accept this invoice</source>
        <translation>The platform did not accept this invoice</translation>
    </message>
    <message>
        <source>Nothing was issued. The reason is shown below.</source>
        <translation>Nothing was issued. The reason is shown below.</translation>
    </message>
    <message>
        <source>A new title cannot change this: please ask staff.</source>
        <translation>A new title cannot change this: please ask staff.</translation>
    </message>
    <message>
        <source>Correct the title and try again, or ask staff.</source>
        <translation>Correct the title and try again, or ask staff.</translation>
    </message>
    <message>
        <source>Correct the title</source>
        <translation>Correct the title</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <source>Your invoice</source>
        <translation>Your invoice</translation>
    </message>
    <message>
        <source>Your invoice has been issued</source>
        <translation>Your invoice has been issued</translation>
    </message>
    <message>
        <source>Scan with your phone to download the PDF and XML</source>
        <translation>Scan with your phone to download the PDF and XML</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>E-mail address</translation>
    </message>
    <message>
        <source>Send by e-mail</source>
        <translation>Send by e-mail</translation>
    </message>
    <message>
        <source>Sending accepts our privacy notice: the address is used only for this invoice.</source>
        <translation>Sending accepts our privacy notice: the address is used only for this invoice.</translation>
    </message>
    <message>
        <source>Read the full privacy notice</source>
        <translation>Read the full privacy notice</translation>
    </message>
    <message>
        <source>Print the receipt again</source>
        <translation>Print the receipt again</translation>
    </message>
    <message>
        <source>My invoices</source>
        <translation>My invoices</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>Invoice number: %1</source>
        <translation>Invoice number: %1</translation>
    </message>
    <message>
        <source>Printing your receipt…</source>
        <translation>Printing your receipt…</translation>
    </message>
    <message>
        <source>Receipt printed: take it from the slot below.</source>
        <translation>Receipt printed: take it from the slot below.</translation>
    </message>
    <message>
        <source>No receipt printed: use the QR code or e-mail.</source>
        <translation>No receipt printed: use the QR code or e-mail.</translation>
    </message>
    <message>
        <source>Sending the e-mail…</source>
        <translation>Sending the e-mail…</translation>
    </message>
    <message>
        <source>E-mail sent.</source>
        <translation>E-mail sent.</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Check the name and tax ID letter by letter: an issued invoice cannot be changed, only cancelled by a red-letter invoice. Then tap Confirm and issue.</source>
        <translation>Check the name and tax ID letter by letter: an issued invoice cannot be changed, only cancelled by a red-letter invoice. Then tap Confirm and issue.</translation>
    </message>
    <message>
        <source>Check and confirm</source>
        <translation>Check and confirm</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Qty</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>Net</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>Tax</translation>
    </message>
    <message>
        <source>Change title</source>
        <translation>Change title</translation>
    </message>
    <message>
        <source>Kind, paper or electronic</source>
        <translation>Kind, paper or electronic</translation>
    </message>
    <message>
        <source>Change items</source>
        <translation>Change items</translation>
    </message>
    <message>
        <source>Your saved titles:</source>
        <translation>Your saved titles:</translation>
    </message>
    <message>
        <source>You scanned a title code. Replace the title on this invoice?</source>
        <translation>You scanned a title code. Replace the title on this invoice?</translation>
    </message>
    <message>
        <source>Use the scanned title</source>
        <translation>Use the scanned title</translation>
    </message>
    <message>
        <source>Keep the current title</source>
        <translation>Keep the current title</translation>
    </message>
    <message>
        <source>Confirm and issue</source>
        <translation>Confirm and issue</translation>
    </message>
    <message>
        <source>Now: %1</source>
        <translation>Now: %1</translation>
    </message>
    <message>
        <source>Scanned: %1</source>
        <translation>Scanned: %1</translation>
    </message>
    <message>
        <source>Tax ID: %1</source>
        <translation>Tax ID: %1</translation>
    </message>
    <message>
        <source>No tax ID (personal)</source>
        <translation>No tax ID (personal)</translation>
    </message>
    <message>
        <source>Net %1 + tax %2 = total %3</source>
        <translation>Net %1 + tax %2 = total %3</translation>
    </message>
    <message>
        <source>In words: %1</source>
        <translation>In words: %1</translation>
    </message>
    <message>
        <source>Special VAT invoice</source>
        <translation>Special VAT invoice</translation>
    </message>
    <message>
        <source>Ordinary invoice</source>
        <translation>Ordinary invoice</translation>
    </message>
    <message>
        <source>Electronic</source>
        <translation>Electronic</translation>
    </message>
    <message>
        <source>Paper, by post</source>
        <translation>Paper, by post</translation>
    </message>
    <message>
        <source>Paper, pick up at the counter</source>
        <translation>Paper, pick up at the counter</translation>
    </message>
    <message>
        <source>%1 · %2 · Issue date: %3 (today)</source>
        <translation>%1 · %2 · Issue date: %3 (today)</translation>
    </message>
    <message>
        <source>%1, tax ID %2</source>
        <translation>%1, tax ID %2</translation>
    </message>
</context>
<context>
    <name>SupportPage</name>
    <message>
        <source>Support</source>
        <translation>Support</translation>
    </message>
    <message>
        <source>Need help? Call us or ask staff nearby</source>
        <translation>Need help? Call us or ask staff nearby</translation>
    </message>
    <message>
        <source>Phone: %1</source>
        <translation>Phone: %1</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>TermsPage</name>
    <message>
        <source>Terms and privacy</source>
        <translation>Terms and privacy</translation>
    </message>
    <message>
        <source>Before we start: your data</source>
        <translation>Before we start: your data</translation>
    </message>
    <message>
        <source>What we collect: the order numbers you scan, the invoice title you enter (name, tax ID, optional address, phone, bank account, e-mail) and, only with a separate consent, the name and number on your ID card.

Why: to issue the VAT e-invoice you ask for and to deliver it to you.

How long: the screen forgets everything as soon as you finish or walk away. The issued invoice is kept by the seller and the tax platform as the law requires (5 years); the kiosk's logs (6 months) never hold your ID number, phone or e-mail in full.

The camera is only used when you choose it, and a notice shows while it is on.</source>
        <translation>What we collect: the order numbers you scan, the invoice title you enter (name, tax ID, optional address, phone, bank account, e-mail) and, only with a separate consent, the name and number on your ID card.

Why: to issue the VAT e-invoice you ask for and to deliver it to you.

How long: the screen forgets everything as soon as you finish or walk away. The issued invoice is kept by the seller and the tax platform as the law requires (5 years); the kiosk's logs (6 months) never hold your ID number, phone or e-mail in full.

The camera is only used when you choose it, and a notice shows while it is on.</translation>
    </message>
    <message>
        <source>Accept and continue</source>
        <translation>Accept and continue</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Decline</translation>
    </message>
</context>
<context>
    <name>TutorialPage</name>
    <message>
        <source>1. Scan</source>
        <translation>1. Scan</translation>
    </message>
    <message>
        <source>Hold the QR code on your receipt under the scanner. Several receipts can go on one invoice.</source>
        <translation>Hold the QR code on your receipt under the scanner. Several receipts can go on one invoice.</translation>
    </message>
    <message>
        <source>2. Title</source>
        <translation>2. Title</translation>
    </message>
    <message>
        <source>Personal invoices need nothing more. For a company, enter its name and tax ID or scan its title code.</source>
        <translation>Personal invoices need nothing more. For a company, enter its name and tax ID or scan its title code.</translation>
    </message>
    <message>
        <source>3. Confirm</source>
        <translation>3. Confirm</translation>
    </message>
    <message>
        <source>Check the amounts, tap Confirm, and take your receipt with the download QR code.</source>
        <translation>Check the amounts, tap Confirm, and take your receipt with the download QR code.</translation>
    </message>
    <message>
        <source>How it works</source>
        <translation>How it works</translation>
    </message>
    <message>
        <source>Got it</source>
        <translation>Got it</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>UnknownPage</name>
    <message>
        <source>Result not known yet</source>
        <translation>Result not known yet</translation>
    </message>
    <message>
        <source>We do not know yet whether the invoice was issued</source>
        <translation>We do not know yet whether the invoice was issued</translation>
    </message>
    <message>
        <source>The platform did not answer in time.</source>
        <translation>The platform did not answer in time.</translation>
    </message>
    <message>
        <source>Do not start again with a new request: tap "Check again". The kiosk asks the platform about THIS request first, so you cannot get two invoices.</source>
        <translation>Do not start again with a new request: tap "Check again". The kiosk asks the platform about THIS request first, so you cannot get two invoices.</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Check again</translation>
    </message>
</context>
<context>
    <name>_Keypad</name>
    <message>
        <source>Backspace</source>
        <translation>Backspace</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
</TS>