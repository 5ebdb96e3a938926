"""The sharing policy (domain/sharing.py): who gets which role on which file, from the config
alone, the same on both backends."""

from __future__ import annotations

from sheets_sync.domain.models import Config
from sheets_sync.domain.sharing import Grant, file_grants, recap_grants, section_grants
from tests.conftest import small_config_data

PEP = "pep@setwan.example"
LEADER = "sekretaris@setwan.example"


def make_config(**sharing: str) -> Config:
    data = small_config_data(sections=2, indicators=1)
    data["office"]["pep_accounts"].append("bagian1@setwan.example")  # PEP and a section editor
    data["backend"]["google"] = {"sharing": sharing}
    return Config.model_validate(data)


def test_a_section_worksheet_its_editors_write_and_pep_gets_its_role() -> None:
    config = make_config(pep_role="commenter")
    grants = section_grants(config, config.sections[0])
    # an account both editor and PEP writes (its section's role comes first)
    assert grants == [Grant("bagian1@setwan.example", "writer"), Grant(PEP, "commenter")]


def test_the_recap_pep_and_leadership_by_their_roles_and_no_section() -> None:
    config = make_config(leadership_role="commenter")
    assert recap_grants(config) == [Grant(PEP, "writer"),
                                    Grant("bagian1@setwan.example", "writer"),
                                    Grant(LEADER, "commenter")]


def test_a_file_by_its_kind_the_template_and_an_unknown_section_pep_only() -> None:
    config = make_config()
    pep_only = [Grant(PEP, "writer"), Grant("bagian1@setwan.example", "writer")]
    assert file_grants(config, "template", None) == pep_only
    assert file_grants(config, "section", "bagian-gone") == pep_only
    assert file_grants(config, "section", "bagian-2") == [
        Grant("bagian2@setwan.example", "writer"), *pep_only]
    assert file_grants(config, "recap", None) == recap_grants(config)
