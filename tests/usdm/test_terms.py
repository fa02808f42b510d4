"""The USDM terms that come from the pinned CDISC CT file: every spec word finds its
term, and the USDM export and the SDTM trial design datasets code a word alike."""

from __future__ import annotations

import pytest

from generators.sdtm import terminology
from generators.sdtm.tdm import INTERVENTION_MODEL, TRIAL_PHASES
from generators.usdm import terms

DERIVED = [
    ("TPHASE", TRIAL_PHASES, terms.PHASES),
    ("TBLIND", terms.BLINDING_WORDS, terms.BLINDING),
    ("INTMODEL", INTERVENTION_MODEL, terms.MODELS),
    ("TINDTP", terms.INTENT_WORDS, terms.INTENTS),
    ("TTYPE", terms.TRIAL_TYPE_WORDS, terms.TRIAL_TYPES),
    ("STYPE", terms.STUDY_TYPE_WORDS, terms.STUDY_TYPES),
    ("EPOCH", terms.EPOCH_WORDS, terms.EPOCH_TYPES),
    ("ROUTE", terms.ROUTE_WORDS, terms.ROUTES),
    ("UNIT", terms.UNIT_WORDS, terms.UNITS),
]


@pytest.mark.parametrize(("codelist", "words", "table"), DERIVED, ids=[d[0] for d in DERIVED])
def test_every_word_has_its_term_from_the_ct_file(
    codelist: str, words: dict[str, str], table: dict[str, terms.Term]
) -> None:
    assert list(table) == list(words)  # no word silently left out
    for word, text in words.items():
        found = terminology.term(codelist, text)
        assert found is not None, (codelist, word, text)
        assert table[word].code == found.code
        assert table[word].decode in (found.preferred, terms._USDM_DECODES.get(found.code))


def test_the_phase_and_the_model_are_coded_as_the_sdtm_datasets_code_them() -> None:
    for codelist, words, table in (
        ("TPHASE", TRIAL_PHASES, terms.PHASES),
        ("INTMODEL", INTERVENTION_MODEL, terms.MODELS),
    ):
        for word, text in words.items():
            sdtm = terminology.term(codelist, text)
            assert sdtm is not None and table[word].code == sdtm.code


def test_known_terms_of_the_real_value_sets() -> None:
    assert terms.PHASES["1b"] == terms.Term("C199989", "Phase Ib Trial")
    assert terms.PHASES["0"] == terms.Term("C54721", "Early Phase 1 Trial")
    assert terms.Term("C82639", "Parallel Study") == terms.MODEL_DEFAULT
    assert terms.BLINDING["quadruple"] == terms.Term("C15228", "Double Blind Study")
    assert terms.UNITS["wk"] == terms.Term("C29844", "Week")
    assert terms.EPOCH_TYPES["extension"] == terms.Term("C123452", "Continuation Therapy Epoch")
