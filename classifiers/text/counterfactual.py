"""Counterfactual group swaps: the same sentence about a different group of people.

The corpus mentions some groups ("invandrare", "muslimer") mostly in hateful
comments and others ("kvinnor", "samer") mostly in neutral ones, so a linear
model learns the *group word* as evidence of hate speech: "Många invandrare
bor i vår kommun" scored 0.96.  ``classifiers.train`` therefore adds, for
every training comment that names a group, copies in which the group is
replaced by other groups of the same grammatical form, with the same labels.
Then a group word carries no label information of its own and the models
have to learn from what is said about the group.  Only training reads this;
the test split is never augmented.

The same table gives the tests their counterfactual pairs.
"""

from __future__ import annotations

import hashlib
import re
from functools import partial

__all__ = ["GROUPS_DEFINITE", "GROUPS_PLURAL", "GROUPS_SINGULAR", "counterfactual_variants"]

#: Indefinite plural ("Många ___ bor här").
GROUPS_PLURAL: tuple[str, ...] = (
    "invandrare",
    "judar",
    "kvinnor",
    "svenskar",
    "muslimer",
    "romer",
    "samer",
    "homosexuella",
    "kristna",
    "män",
    "flyktingar",
    "somalier",
    "afghaner",
    "araber",
    "afrikaner",
    "finnar",
    "kineser",
    "katoliker",
    "transpersoner",
    "utlänningar",
    "polacker",
    "kurder",
)
#: Definite plural ("___ ska ...").
GROUPS_DEFINITE: tuple[str, ...] = (
    "invandrarna",
    "judarna",
    "kvinnorna",
    "svenskarna",
    "muslimerna",
    "romerna",
    "samerna",
    "männen",
    "flyktingarna",
    "somalierna",
    "afghanerna",
    "araberna",
    "afrikanerna",
    "finnarna",
    "kineserna",
    "katolikerna",
    "transpersonerna",
    "utlänningarna",
    "polackerna",
    "kurderna",
)
#: Indefinite singular, all "en" words ("en ___").
GROUPS_SINGULAR: tuple[str, ...] = (
    "jude",
    "kvinna",
    "svensk",
    "muslim",
    "flykting",
    "afghan",
    "arab",
    "afrikan",
    "finne",
    "kines",
    "katolik",
    "transperson",
    "utlänning",
    "kurd",
)

_FORMS = (GROUPS_PLURAL, GROUPS_DEFINITE, GROUPS_SINGULAR)
_FORM_OF = {w: form for form in _FORMS for w in form}
_GROUP = re.compile(r"(?<![\w-])(" + "|".join(sorted(_FORM_OF, key=len, reverse=True)) + r")(?![\w-])", re.I)


def _cased(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _replace(mapping: dict[str, str], m: re.Match[str]) -> str:
    return _cased(mapping[m.group(1).lower()], m.group(1))


#: Copies per text: one for every other group of the form, so each group stands
#: in every sentence about a group once.  With six copies the original group still
#: came first in its own sentences, and the groups most often written about in
#: hate kept a hate-speech probability up to 0.28 above the others for the same
#: neutral sentence ("Många invandrare bor i vår kommun"); with all of them 0.18,
#: at the same out-of-fold F1 (0.799 against 0.7985).
ALL_OTHER_GROUPS = max(len(form) for form in _FORMS) - 1


def counterfactual_variants(text: str, n: int = ALL_OTHER_GROUPS) -> list[str]:
    """Up to ``n`` copies of ``text`` with every group word replaced by another group's.

    Deterministic: the replacement groups are picked by a hash of the text,
    stepping through the group list one by one, so ``n`` copies use ``n``
    different groups (every other group of the form when ``n`` is at least
    their number).  A text without a group word gives ``[]``.
    """
    found = list(dict.fromkeys(m.group(1).lower() for m in _GROUP.finditer(text)))
    if not found:
        return []
    seed = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
    variants: list[str] = []
    for i in range(n):
        mapping: dict[str, str] = {}
        for k, word in enumerate(found):
            form = _FORM_OF[word]
            choices = [w for w in form if w not in found]
            mapping[word] = choices[(seed + i + k * 3) % len(choices)]
        variant = _GROUP.sub(partial(_replace, mapping), text)
        if variant != text and variant not in variants:
            variants.append(variant)
    return variants
