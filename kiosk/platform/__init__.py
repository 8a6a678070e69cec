"""The issuing platform: one gateway interface, the embedded sandbox, its HTTP server and adapter.

Import the interface and errors from :mod:`kiosk.platform.gateway`; build the
configured implementation with :func:`kiosk.platform.factory.build_gateway`.
"""
