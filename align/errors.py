"""Errors a user can act on. The CLI prints their message as one line and exits 2."""


class AlignError(Exception):
    """Base class: the message is a complete sentence meant for the user."""


class InputError(AlignError):
    """A file or text that cannot be used: empty, binary, undecodable, unsupported format."""


class LanguageError(AlignError):
    """A language the chosen encoder does not cover, or that cannot be detected."""


class EncoderNotAvailable(AlignError):
    """A named model that is not installed or cached locally (nothing is downloaded at run time)."""
