"""Self-service VAT e-invoice (数电票) kiosk: the application layer.

Config, domain rules, session flow, storage, issuing gateway, documents,
delivery, logs, CLI and the composition root. Imports run one way:
``ui`` -> ``kiosk`` -> ``drivers``.
"""

__version__ = "0.1.0"
