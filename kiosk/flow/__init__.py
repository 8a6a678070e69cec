"""The kiosk's walk-in flow, Qt-free: a small core composed with step controllers.

:mod:`kiosk.session` puts it together; this package holds the parts, one idea each:

- :mod:`~kiosk.flow.states`: the screens and the data one walk-in holds;
- :mod:`~kiosk.flow.transitions`: the transition table (printed in ``docs/flow.md``);
- :mod:`~kiosk.flow.core`: the current screen, listeners, logged and checked moves, wipe;
- :mod:`~kiosk.flow.ports`: the typed ports the composition root fills, and the runner;
- the step controllers: :mod:`~kiosk.flow.identify`, :mod:`~kiosk.flow.orders`,
  :mod:`~kiosk.flow.buyer`, :mod:`~kiosk.flow.catalogue`, :mod:`~kiosk.flow.issue`,
  :mod:`~kiosk.flow.overlays`;
- :mod:`~kiosk.flow.checks` and :mod:`~kiosk.flow.request`: what is validated before a
  request leaves the screen, and the request itself;
- :mod:`~kiosk.flow.views`: the frozen view model of each screen;
- :mod:`~kiosk.flow.words`: codes and port errors to words (:mod:`kiosk.messages`);
- :mod:`~kiosk.flow.adapters`: adapters from partner services to the ports.
"""
