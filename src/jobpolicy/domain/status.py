"""The vocabularies of a record: work status and review state, with their Chinese labels."""

from __future__ import annotations

from enum import StrEnum

from jobpolicy.domain.matching import fold, nearest
from jobpolicy.domain.values import without_spaces


class Status(StrEnum):
    """The work on an item."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """Chinese label."""
        return STATUS_LABELS[self]

    @property
    def closed(self) -> bool:
        """Done or not applicable: nothing more is owed, so it can never be overdue."""
        return self in (Status.DONE, Status.NOT_APPLICABLE)


class Review(StrEnum):
    """The administrator's verdict on what an office submitted."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        """Chinese label."""
        return REVIEW_LABELS[self]


STATUS_LABELS = {
    Status.NOT_STARTED: "未启动",
    Status.IN_PROGRESS: "推进中",
    Status.DONE: "已完成",
    Status.NOT_APPLICABLE: "不适用",
}

REVIEW_LABELS = {
    Review.DRAFT: "草稿",
    Review.SUBMITTED: "已报送",
    Review.ACCEPTED: "已审核",
    Review.RETURNED: "已退回",
}


def parse_status(text: str) -> Status | None:
    """Return the status named by its code (``done``) or Chinese label (``已完成``), or None."""
    value = without_spaces(text)  # stray spaces of any width, as typed or pasted into a cell
    for status in Status:
        if value.lower() == status.value or value == status.label:
            return status
    return None


def status_choices() -> str:
    """The accepted spellings, for error messages."""
    return "、".join(f"{s.label}（{s.value}）" for s in Status)


def suggest_status(text: str) -> str | None:
    """The Chinese label nearest to a status that ``parse_status`` refused (``完成`` → 已完成), or None.

    Only a suggestion for the error message: what is accepted stays what ``parse_status`` accepts.
    """
    key = fold(text)
    if not key:
        return None
    labels = [status.label for status in Status]
    contained = [label for label in labels if key in fold(label) or fold(label) in key]  # 完成 → 已完成
    if len(contained) == 1:
        return contained[0]
    spellings = {**{label: label for label in labels}, **{status.value: status.label for status in Status}}
    found = nearest(text, spellings, n=1, cutoff=0.5)
    return spellings[found[0]] if found else None
