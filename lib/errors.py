"""Errors whose message is meant for the user (Thai, saying what to do)."""


class StoreError(Exception):
    """A write the store refused; nothing was changed."""


class AccessDenied(StoreError):
    """An action the user's role or organizations do not allow; nothing was changed."""
