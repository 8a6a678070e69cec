"""The kiosk session flow, Qt-free: states, the data a session holds, and its ports.

:mod:`kiosk.session` holds the state machine itself; this package holds what it
is made of, so each module stays one idea: :mod:`kiosk.flow.states` (the screen
enum and the session's data), :mod:`kiosk.flow.ports` (what the machine needs
from the outside world: order lookup, issuing, printing, mail, accounts, and a
runner that executes blocking work off the caller's thread), and the session's
concerns as mixins: :mod:`~kiosk.flow.identify`, :mod:`~kiosk.flow.codes`,
:mod:`~kiosk.flow.buyer`, :mod:`~kiosk.flow.issue`, :mod:`~kiosk.flow.overlays`
over :mod:`~kiosk.flow.base`.
"""
