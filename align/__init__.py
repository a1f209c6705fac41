"""align: bilingual sentence alignment and translation QA, offline.

    import align
    report = align.check(original, translation)   # texts or pathlib.Path objects
    for issue in report.issues: ...

``align.align`` stops after the alignment; ``align.check_alignment`` checks one you already have.
"""

__version__ = "0.1.0"

from align.aligner import AlignConfig  # noqa: E402
from align.errors import AlignError, EncoderNotAvailable, InputError, LanguageError  # noqa: E402
from align.pipeline import AlignWarning, align, align_documents, check, check_alignment  # noqa: E402
from align.types import Alignment, Bead, Document, Issue, Report, Segment, Severity  # noqa: E402

__all__ = [
    "AlignConfig", "AlignError", "AlignWarning", "Alignment", "Bead", "Document", "EncoderNotAvailable",
    "InputError", "Issue", "LanguageError", "Report", "Segment", "Severity",
    "align", "align_documents", "check", "check_alignment",
]
