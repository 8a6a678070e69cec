"""The personal centre, Qt-free: who may see which invoices (:mod:`~kiosk.centre.scope`),
the list of them (:mod:`~kiosk.centre.store`, its own migration set ``centre``), the
guided "change this invoice" flow persisted step by step (:mod:`~kiosk.centre.changes`)
and the facade the session's port is (:mod:`~kiosk.centre.service`).
"""
