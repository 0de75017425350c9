"""The domain error: a refused action, explained in Chinese to the person who tried it."""


class DomainError(Exception):
    """An action the rules do not allow. ``message`` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
