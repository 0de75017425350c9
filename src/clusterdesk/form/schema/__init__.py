"""The typed schema of the official form (Attachment 2 and its Attachment 1 row)."""

from ..fields import NONE_WORD, EvidenceFile
from .application import FORM_TITLE, PART_TITLES, Application

__all__ = ["FORM_TITLE", "NONE_WORD", "PART_TITLES", "Application", "EvidenceFile"]
