"""The composition root: the ONE place that imports ``ui``, ``kiosk`` and ``drivers`` together.

Layers import one way, ``app -> ui -> kiosk -> drivers`` (enforced by
``tests/unit/test_layers.py``). This package builds everything once, in order,
and hands each object what it needs through its constructor:

config -> logging -> :class:`kiosk.storage.Database` -> services (issuing,
corrections, mail outbox, orders, accounts, catalogue) -> devices
(:class:`drivers.manager.DeviceManager`) -> :class:`kiosk.session.Session` ->
window, diagnostics, simulator, control socket, systemd notifier, periodic pump.

- :mod:`app.core`: the Qt-free half (:func:`app.core.build_core`, :class:`app.core.Core`);
  tests, benchmarks and the CLI commands use it without a display.
- :mod:`app.gui`: the Qt half (:func:`app.gui.build_gui`, :class:`app.gui.Gui`).
- :mod:`app.run`: the ``kiosk run`` subcommand (window, screenshot, out of service).
- :mod:`app.systemd`: the Qt glue around :mod:`kiosk.sdnotify` (READY, watchdog, SIGTERM).
- :mod:`app.diagnostics`: wires the technician's mode into a built :class:`app.gui.Gui`.
- :mod:`app.cli`: the process entry point.

How the command line reaches this package without ``kiosk`` importing it
(the one documented entry-point exception): :func:`kiosk.cli.main` takes extra
subcommand registrars, and :func:`app.cli.main` calls it with ``kiosk run``'s.
The ``kiosk`` console script (pyproject ``[project.scripts]``) names
``app.cli:main``, and ``python -m kiosk`` (``kiosk/__main__.py``, the only
module of ``kiosk`` allowed to import ``app``) hands over to it too. Every
other ``kiosk`` command still works from :func:`kiosk.cli.main` alone.
"""
