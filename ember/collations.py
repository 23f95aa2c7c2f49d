"""Spark's collation names: UTF8_BINARY, UTF8_LCASE, UNICODE and the ICU locales, each with
the specifiers _CI/_CS (case), _AI/_AS (accents) and _RTRIM, in any order and any letter case.
`canonical_name` gives the name Spark prints (`en_USA_CI`, `UNICODE_CI_AI`)."""
from __future__ import annotations

from functools import lru_cache
from typing import List

from ember.errors import ParseException

# The ICU collation locales Spark offers (language[_Script][_COUNTRY]), as `collations()` lists.
ICU_LOCALES = """
af am ar ar_SAU as az be bg blo bn bo br bs bs_Cyrl ca ceb chr cs cy da de de_AUT dsb dz ee
el en en_USA eo es et fa fa_AFG ff ff_Adlm fi fil fo fr fr_CAN fy ga gl gu ha haw he he_ISR hi
hr hsb hu hy id id_IDN ig is it ja ka kk kk_Arab kl km kn ko kok ku ky lb lij lkt ln lo lt lv
mk ml mn mr ms mt my nb nb_NOR ne nl nn no nso om or pa pa_Guru pa_Guru_IND pl ps pt ro ru sa
se si sk sl smn sq sr sr_Cyrl sr_Cyrl_BIH sr_Cyrl_MNE sr_Cyrl_SRB sr_Latn sr_Latn_BIH
sr_Latn_SRB st sv sw ta te th tk tn to tr ug uk ur uz vi wae wo xh yi yo zh zh_Hans
zh_Hans_CHN zh_Hans_SGP zh_Hant zh_Hant_HKG zh_Hant_MAC zh_Hant_TWN zu
""".split()

_UTF8 = ("UTF8_BINARY", "UTF8_LCASE")
_BASES = {b.upper(): b for b in (*_UTF8, "UNICODE", *ICU_LOCALES)}
_SPECIFIERS = ("CI", "CS", "AI", "AS", "RTRIM")


@lru_cache(maxsize=256)
def canonical_name(name: str) -> str:
    """Spark's spelling of collation `name`; COLLATION_INVALID_NAME if there is none."""
    parts = name.upper().split("_")
    for cut in range(len(parts), 0, -1):
        base = _BASES.get("_".join(parts[:cut]))
        if base is not None:
            specs = parts[cut:]
            break
    else:
        raise _invalid(name)
    if len(set(specs)) != len(specs) or any(s not in _SPECIFIERS for s in specs):
        raise _invalid(name)
    if ("CI" in specs and "CS" in specs) or ("AI" in specs and "AS" in specs):
        raise _invalid(name)
    if base in _UTF8 and set(specs) - {"RTRIM"}:
        raise _invalid(name)
    suffix = [s for s in ("CI", "AI", "RTRIM") if s in specs]
    return "_".join([base] + suffix)


def _invalid(name: str) -> ParseException:
    # Spark raises a SparkException from its parser here; Ember's parser raises only
    # ParseException, with Spark's condition.
    return ParseException("COLLATION_INVALID_NAME", collationName=name,
                          proposals=", ".join(_proposals(name)))


def _proposals(name: str) -> List[str]:
    key = name.lower()
    ranked = sorted((_distance(key, b.lower()), b) for b in _BASES.values())
    return [b for d, b in ranked[:3] if d <= max(2, len(key) // 2)]


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
