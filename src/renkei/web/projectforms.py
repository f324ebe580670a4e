"""The draft's project forms as the pages send them: the add form, and the edit form with the values it read."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from renkei.vision import record

# The fields declared since the first schema (renkei.vision.record) that a person types as text: the forms show each as
# a text area labelled from the catalogue; they come in as the form's extra fields.
FORM_FIELDS = tuple(f for f in record.PAYLOAD if f.editable and isinstance(f.kind, record.Text))


def _heading_input(label: str, title: str) -> dict[str, str] | None:
    return {"label": label.strip(), "title": title.strip()} if title.strip() else None


class ProjectForm(BaseModel):
    """A draft project's fields as the add and edit forms send them. Empty is a value here, not a missing field:
    the store answers it with a message beside the field."""

    model_config = ConfigDict(extra="allow")  # the declared fields of ``FORM_FIELDS``, read by ``declared``

    number: str = ""
    name: str = ""
    description: str = ""
    pillar_label: str = ""
    pillar_title: str = ""
    field_label: str = ""
    field_title: str = ""
    # A heading chosen from the vision's own ("label<TAB>title"), "none", or "new" for the label and title typed;
    # absent, the typed label and title are taken as they are.
    pillar_choice: str | None = None
    field_choice: str | None = None
    towns: list[str] = Field(default_factory=list)  # on the add form: the municipalities taking part (○)
    csrf: str = ""

    def changes(self) -> dict[str, Any]:
        """The fields as the store takes them: a number where one is given, headings chosen or typed."""
        return {
            "number": int(self.number) if self.number.strip().isdigit() else self.number,
            "name": self.name,
            "description": self.description,
            "pillar": _chosen(self.pillar_choice, self.pillar_label, self.pillar_title),
            "field": _chosen(self.field_choice, self.field_label, self.field_title),
            **self.declared(),
        }

    def declared(self) -> dict[str, str]:
        """The ``FORM_FIELDS`` the form sent (one it did not send is left as it stands)."""
        extra = self.model_extra or {}
        return {f.name: str(extra[f.name]) for f in FORM_FIELDS if f.name in extra}


def _chosen(choice: str | None, label: str, title: str) -> dict[str, str] | None:
    """A heading typed in wins (a new one, or an API-like form without a choice); otherwise the one chosen."""
    if title.strip() or choice in (None, "new", "none"):
        return _heading_input(label, title)
    chosen_label, _, chosen_title = choice.partition("\t")
    return _heading_input(chosen_label, chosen_title)


class ProjectEditForm(ProjectForm):
    """The edit form: the fields, the project's version they were read at and, in hidden fields, the values read
    then (``was_*``): only the fields the person changed are saved, so that someone else's change to another
    field of the project meanwhile is kept (``renkei.store.cells``)."""

    version: int
    was_number: str | None = None
    was_name: str | None = None
    was_description: str | None = None
    was_pillar: str | None = None
    was_field: str | None = None

    def changed(self, submitted: dict[str, Any]) -> dict[str, Any]:
        """The fields changed from the values read; all of them where the form did not say what it read."""
        read = {
            "number": self.was_number,
            "name": self.was_name,
            "description": self.was_description,
            "pillar": self.was_pillar,
            "field": self.was_field,
        }
        if any(v is None for v in read.values()):
            return submitted
        before = {
            "number": int(self.was_number) if self.was_number and self.was_number.isdigit() else self.was_number,
            "name": self.was_name,
            "description": self.was_description,
            "pillar": _chosen(self.was_pillar, "", ""),
            "field": _chosen(self.was_field, "", ""),
        }
        extra = self.model_extra or {}
        before |= {name: extra.get(f"was_{name}") for name in self.declared()}
        return {k: v for k, v in submitted.items() if before[k] != v}
