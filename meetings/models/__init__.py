from .evaluation import EvaluationAnswer
from .planning import (
    DEFAULT_END,
    DEFAULT_START,
    AgendaItem,
    BilingualMixin,
    ChecklistTask,
    Meeting,
    MeetingDocument,
    Preparation,
    PreparationDone,
    ScheduledItem,
    document_path,
)
from .registration import Registration

__all__ = [
    "DEFAULT_END",
    "DEFAULT_START",
    "AgendaItem",
    "EvaluationAnswer",
    "BilingualMixin",
    "ChecklistTask",
    "Meeting",
    "MeetingDocument",
    "Preparation",
    "PreparationDone",
    "Registration",
    "ScheduledItem",
    "document_path",
]
