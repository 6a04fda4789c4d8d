"""Errors shared by every app's services."""


class ServiceError(Exception):
    """A refusal with a message for the user (in Russian)."""
