"""The organisation in the config: units in a tree (`units:`), and for a province the
offices whose recaps it rolls up (`consolidate:`). The tree's shape is checked by
`domain.unit_tree`; the roll-up is `domain.units`, the recap of recaps `domain.consolidate`."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from sheets_sync.domain.identifiers import ID_RE, Emails
from sheets_sync.settings.strict import Strict


class Unit(Strict):
    """An organisation unit (Bagian, OPD, bidang): units form a tree by `parent`, sections
    name the unit they belong to, and the recap rolls every figure up the tree."""

    id: str = Field(description="short lowercase id, e.g. 'bagian-umum'")
    name: str
    head: str = ""  # the head's position: signs the reports limited to this unit (--unit)
    head_name: str = ""  # the head's name and NIP under the signature; empty: signed by hand
    head_nip: str = ""
    parent: str | None = None  # None: a top unit
    viewers: Emails = Field(default_factory=list)  # read access to the unit's workbooks

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError(
                f"id '{v}' hanya boleh huruf kecil, angka, '-' dan '_' (contoh: bagian-umum)")
        return v


class ConsolidateSource(Strict):
    """Another office's recap to read (sync consolidate): a Google spreadsheet (its id or its
    link) or a recap .xlsx file in `recap`, or that office's workspace folder in `workspace`."""

    name: str
    recap: str | None = None
    workspace: str | None = None  # relative to the config file's folder

    @model_validator(mode="after")
    def _one_place(self) -> ConsolidateSource:
        if (self.recap is None) == (self.workspace is None):
            raise ValueError(f"sumber '{self.name}': isi salah satu, 'recap' (id/tautan Google "
                             "Sheet atau berkas .xlsx rekap) atau 'workspace' (folder kerja "
                             "kantor itu), tidak keduanya")
        return self


class Consolidate(Strict):
    """A recap of recaps for a province: the offices whose recaps it reads."""

    name: str = ""  # title of the consolidated recap; default from the office name
    sources: list[ConsolidateSource] = Field(default_factory=list)
