"""The kiosk's screens: one page per :class:`kiosk.flow.states.Screen`."""
