"""Qt screens and widgets of the kiosk: thin, they show state and emit intents."""
