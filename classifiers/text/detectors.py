"""Text-category detectors: lexicons, rules, context and the linear models combined.

Decision rule, per category (the same in ``classify`` and in the evaluation):

1. **Rules and lexicons first.**  A lexicon hit or a ``rules.yaml`` rule that
   survives its context checks is a finding on its own, with the rule's fixed
   score.  Context checks remove the known false positives:

   * *reported use* (hate_speech, harassment, profanity): a slur or insult in
     quotation marks, or right after a reporting verb ("skrev", "klottrat",
     "kallade"), in a text that also condemns or reports it ("vidrigt",
     "polisanmäl") is a complaint about the word, not a use of it;
   * *harassment targets a person*: insult nouns ("idiot") always count;
     weaker words ("korrupt", "värdelös", "inkompetent") only when aimed at a
     person ("du", "hon", "handläggaren", a name) and not attached to a thing
     ("värdelös snöröjning");
   * *threat/incitement* rules need a person or building as object, so
     "skjuta upp beslutet" and "döda tid" never match;
   * *party_political* needs a party (or a candidate) **and** a stance; a
     party named in a neutral question is left to ``question``;
   * *question* ignores rhetorical questions ("Hur svårt kan det vara?") and
     questions that insult.

   Cross-category rules, because the guidelines treat these as different
   things: a question inside an advert, a hate comment, spam, sexual
   content, crime material or chatter about something else is not a
   question the municipality must answer; an offer that mentions "bygglov"
   is not somebody's own case; a scam dressed as an offer is spam, not
   advertising.

2. **Model second.**  When no rule fired, the category's logistic model may
   still decide: its probability must reach the category's threshold, chosen
   by ``classifiers.train`` to maximise F1 of this combined rule on
   out-of-fold predictions over the training split (never the test split).  A model
   finding is suppressed when the only lexicon evidence for the category was
   itself discarded as reported use.  Its spans are the (at most three)
   content words whose features contributed most to the score: coefficient ×
   feature value for every word, char n-gram and lexicon-hit feature, summed
   per word of the text (``LinearTextModel.contributions``).  Stopwords are never shown,
   and a model score that only function words raised gives no finding.

Without trained artefacts step 2 is skipped and the detector is rules only.

Before all of this the language is checked (``classifiers.text.language``): a
comment that is clearly not Swedish gets one ``question`` finding of subtype
``language_not_assessed`` saying so in Swedish, plus the spam checks (links,
the spam lexicon's English phrases, the spam model where it is all but sure);
no other text category is decided.  Its Swedish sentences, if it has any, are
read by everything above, and the mark then says that parts were not.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from classifiers import context as tenant_lists
from classifiers.context import own_contacts
from classifiers.normalize import Normalized, normalize, squeeze
from classifiers.patterns import AnchorIndex, compile_anchored, required_substrings
from classifiers.text import diacritics
from classifiers.text.language import OTHER_MARKERS, Language, detect_language, swedish_parts
from classifiers.text.lexicon import (
    DATA_DIR,
    Entry,
    LexiconIndex,
    Marker,
    load_lexicon,
    markers_of,
    tokenize,
)
from classifiers.text.model import ARTIFACT_PATH, Contributions, LinearTextModel
from classifiers.text.questions import SENTENCE, asks, unmarked_question
from classifiers.text.rules import RULES_PATH, Rule, load_rules
from classifiers.text.stopwords import LANGDATA, is_content_word
from classifiers.types import CATEGORIES, Finding, Span

__all__ = ["TEXT_CATEGORIES", "TextDetector"]

#: Every category but the three privacy ones, which ``classifiers.pii`` detects.
TEXT_CATEGORIES: tuple[str, ...] = tuple(
    c for c in CATEGORIES if c not in ("personal_data", "sensitive_personal_data", "confidential")
)

#: How the model names a category in an explanation ("Modellen bedömer texten som …").
MODEL_PHRASE_SV: dict[str, str] = {
    "hate_speech": "hets mot folkgrupp eller ett rasistiskt/sexistiskt yttrande",
    "harassment": "ett personangrepp eller en kränkning",
    "threat": "ett hot",
    "incitement": "en uppmaning till brott",
    "sexual_content": "sexuellt innehåll",
    "profanity": "svordomar eller obscent språk",
    "advertising": "reklam",
    "spam": "spam",
    "party_political": "ett partipolitiskt budskap",
    "individual_case": "ett enskilt ärende",
    "question": "en fråga till kommunen",
    "off_topic": "ett inlägg som inte handlar om kommunen",
    "copyright": "upphovsrättsskyddat material",
    "misinformation": "felaktig information eller ryktesspridning",
    "crime_material": "brottsligt material",
}

_LEXICON_NOUNS_SV: dict[tuple[str, str], tuple[str, str]] = {
    ("profanity", "swearing"): ("svordom", "svordomar"),
    ("profanity", "obscene"): ("obscent ord", "obscena ord"),
    ("slurs", ""): ("nedsättande ord om en folkgrupp", "nedsättande ord om folkgrupper"),
    ("insults", "insult"): ("förolämpning", "förolämpningar"),
    ("sexual", ""): ("sexuellt innehåll", "sexuellt innehåll"),
}

_QUOTES = re.compile(
    r"[\"“”„«»]([^\"“”„«»\n]{1,120})[\"“”„«»]|(?<!\w)['‘’´`]([^'‘’´`\n]{1,120})['‘’´`](?!\w)"
)
#: A domain's labels are bounded as in DNS (63 characters, and here at most ten before
#: the ending): unbounded, "a.a.a.…" without an ending costs the engine the square of
#: its length (a 10,000-character comment, half a second).
_URL = re.compile(
    r"https?://\S+|www\.\S+|\b[\w-]{1,63}(?:\.[\w-]{1,63}){0,10}"
    r"\.(?:com|se|nu|net|org|io|shop|store|biz|xyz|info|ly|me|link)\b(?:/\S*)?",
    re.IGNORECASE,
)
#: Case-insensitive only after the first character: every alternative then starts
#: with a plain literal, so the engine skips to the next "." "h" "H" "w" "W"
#: instead of trying each position ("h" and "w" have no other case forms).
_URL_HINT = re.compile(
    r"\.(?i:com|se|nu|net|org|io|shop|store|biz|xyz|info|ly|me|link)\b|"
    r"h(?i:ttps?:)|H(?i:ttps?:)|w(?i:ww\.)|W(?i:ww\.)"
)
#: A character every quotation (``_QUOTES``) starts with.
_QUOTE_MARK = re.compile(r"[\"“”„«»'‘’´`]")
_SHORTENER = re.compile(r"\b(?:bit\.ly|tinyurl\.com|t\.co|goo\.gl|cutt\.ly|is\.gd|rb\.gy)\b", re.IGNORECASE)
_SHOP_URL = re.compile(r"shop|butik|store|rea\b|deal|rabatt|erbjud|outlet", re.IGNORECASE)
#: Public bodies' sites, by registrable domain.  A reader who links to one points to the
#: source; no municipal guideline calls that spam (the labelling guide: "a link to the
#: municipality's own page").  The corpus has no such links, so the spam model took
#: any bare address for spam ("https://www.krisinformation.se/" scored 0.79).  The
#: tenant's own site comes from its own mailboxes (``own_contacts``).
_PUBLIC_SITES = frozenset(
    {
        "1177.se",
        "112.se",
        "arbetsformedlingen.se",
        "boverket.se",
        "csn.se",
        "domstol.se",
        "folkhalsomyndigheten.se",
        "forsakringskassan.se",
        "hallakonsument.se",
        "informationsverige.se",
        "jordbruksverket.se",
        "konsumentverket.se",
        "krisinformation.se",
        "kronofogden.se",
        "lansstyrelsen.se",
        "livsmedelsverket.se",
        "migrationsverket.se",
        "msb.se",
        "naturvardsverket.se",
        "pensionsmyndigheten.se",
        "polisen.se",
        "regeringen.se",
        "riksdagen.se",
        "skatteverket.se",
        "skolverket.se",
        "smhi.se",
        "socialstyrelsen.se",
        "trafikverket.se",
        "transportstyrelsen.se",
        "val.se",
        "verksamt.se",
    }
)
#: Webmail providers: a municipality may have a mailbox there, but no site.
_WEBMAIL = frozenset(
    {
        "aol.com",
        "gmail.com",
        "gmx.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.se",
        "icloud.com",
        "live.com",
        "live.se",
        "mac.com",
        "mail.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "outlook.se",
        "proton.me",
        "protonmail.com",
        "telia.com",
        "yahoo.com",
        "yahoo.se",
    }
)
#: A way to reach someone besides a link: an e-mail address, a phone number, a domain
#: ("gratis-iphone.top"; not an abbreviation like "t.ex.").
_REACH = re.compile(r"@|\d[\d\s-]{4,}\d|[\w-]{2,}\.[a-z]{2,}\b", re.IGNORECASE)
_PRICE = re.compile(r"\b\d[\d\s]*(?:kr\b|:-|sek\b|kronor\b|%)")
_PHONE = compile_anchored(r"(?:\+46|0046|\b0)\s*7\d[\s-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b")
_REPEATED_CHAR = re.compile(r"(\S)\1{14,}")
_PARTY_ABBR = re.compile(r"(?<![\w-])(?:SD|KD|MP|S|M|C|V|L)(?::s|-\w+)?(?![\w])")
_PERSON = re.compile(
    r"\b(?:du|dig|din|ditt|dina|han|hon|honom|henne|hen|handläggaren|handläggare|rektorn|chefen|"
    r"ordföranden|kommunalrådet|kommundirektören|kommunchefen|politikern|tjänstemannen|läraren|grannen|"
    r"killen|tjejen|gubben|kärringen|människan|människa|personen|mannen|kvinnan|socialsekreteraren)\b"
)
#: Roles named by their last part, as Swedish compounds name them ("gatuchefen",
#: "busschauffören", "kultursekreteraren", "domaren", "badvakten"): a person an attack can
#: be aimed at (writers h, q, s, v, x and zd, train).  A verb that shares a stem ("han
#: tränar") is no role: the "-are" nouns need their ending.
_ROLE_NOUN = re.compile(
    r"\b[^\W\d_]*(?:"
    r"(?:handläggar|sekreterar|lärar|tränar|domar|förar|skötar|handledar|samordnar|planerar|säljar|"
    r"mäklar|ledar)(?:e|en|na|es)"
    r"|(?:rektor|inspektör|kommunikatör|direktör|kassör|ingenjör|chaufför|assistent|arkitekt|"
    r"strateg|pedagog|kurator|receptionist|expedit|vikarie|chef|vakt|politiker|ombudsman|personal|ekonom|"
    r"ordförande|bibliotekarie)"
    r"(?:en|n|er|erna|na)?"
    r"|ledamot(?:en)?|ledamöter(?:na)?|tjänstem(?:an|annen|än|ännen)|sköterskan?|sköterskor(?:na)?"
    r"|ansvarige"
    r")\b"
)
#: "är en", "e ett", "var en riktig", "är en samling": what follows is what the subject is.
_PREDICATE_FRAME = re.compile(
    r"\b(?:är|e|ä|var|va)\s+(?:ju\s+|bara\s+|verkligen\s+)?"
    r"(?:en|ett)(?:\s+(?:samling|gäng|riktig|riktigt|sån|sådan|jävla|liten|lite))?\s+$",
    re.IGNORECASE,
)
#: How someone looks, sounds or is, likened to something ("ser ut som en", "låter som
#: en", "har lika mycket empati som en", "har hjärna som en"); driving is left to
#: ``_DRIVES_LIKE``.
_LIKENED = re.compile(
    r"\b(?:(?:ser|såg)\s+ut|låter|lät|pratar|pratade|snackar|luktar|beter\s+sig|klär\s+sig|skriker)"
    r"\s+som\s+(?:en|ett|två|om)\b"
    r"|\bhar\s+(?:ungefär\s+)?(?:samma|lika\s+mycket)\s+(?:[^\W\d_]+\s+){1,3}som\s+(?:en|ett)\b"
    r"|\bhar\s+(?:hjärna|smak|ryggrad|empati|charm|hjärta|ansikte|röst)\s+som\s+(?:en|ett)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]")
#: Who can be the one likened: not an object or an owner ("din bil låter som en kaffekvarn").
_NOT_A_SUBJECT = frozenset({"dig", "din", "ditt", "dina", "honom", "henne"})
#: Another subject between the person and the likening: "på Solgläntan hade allsång, det
#: lät som en kör av änglar", "kvinnor i tält som luktar som".
_OTHER_SUBJECT = re.compile(r"\b(?:det|den|de|dom|jag|vi|man|som)\b", re.IGNORECASE)
#: Desire or looks said of someone, and the wink that makes it sexual (``_innuendo``).
_DESIRE = re.compile(
    r"\b(?:är|e|ä|var|va)\s+(?:så\s+|såå\s+|riktigt\s+|jävligt\s+|så\s+jävla\s+|fan\s+|ju\s+riktigt\s+)?"
    r"(?:het|sexig|läcker|snygg|kåt)\b|\bfår\s+gärna\b|\bvill\s+(?:ha|se)\s+(?:henne|honom|dig|dej)\b|"
    r"\b(?:vilken|grym|en\s+sån)\s+(?:kropp|röv|rumpa)\b|\bsnygging\b|\bvisa\s+mer\b|\bsätta\s+tänderna\s+i\b",
    re.IGNORECASE,
)
_WINK = re.compile(
    r"😏|🥵|🤤|🍑|🍆|😈|💋|\bom\s+(?:du|ni)\s+(?:förstår|fattar)\b|\bjag\s+menar\s+inte\b|"
    r"\bi\s+(?:min|mitt)\s+säng\b|\bi\s+sängen\b|\bnaken\b|\butan\s+kläder\b|\bhela\s+natten\b|"
    r"\böver\s+natten\b|\bi\s+duschen\b|\bi\s+dm\b",
    re.IGNORECASE,
)
#: A question the writer answers at once ("Vem granskar soc egentligen? Ingen,
#: uppenbarligen.", "Ännu en festival, vem betalar? Jo, vi.", "Hur ska man hinna duscha?
#: Svar: man gör det inte.") asks nobody (writers zb, zf and ze, train).  "Ingen har
#: svarat" after a question is a complaint about the wait, and "Nej, jag hittar inget" the
#: writer still looking: the question stands.
_SELF_ANSWER = re.compile(
    r"\s*(?:(?:ingen|inget|ingenting|nope|jo|tydligen|precis|knappt)\s*(?:[,.!]|$)|just\s+det\b|"
    r"(?:nej|nä)\s*(?:[.!]|$|,(?!\s*jag\b))|"
    r"svar\s*:|inte\s+(?:vi|jag|ni|dom|de)\b|ingen\s+som\b)",
    re.IGNORECASE,
)
#: A question quoted and then told ('"Var ska man parkera?" frågade alla', '"Varför är
#: det så tyst här?" frågade min moster'): somebody else asked it, somewhere else.
_QUOTED_QUESTION = re.compile(
    r"\s*[\"”»']\s*,?\s*(?:\w+\s+){0,2}(?:skrev|frågade|undrade|sa|sade|ropade|skriker|frågar|undrar)\b",
    re.IGNORECASE,
)
#: Affection said in the same comment: a heart, a kiss, a hug, "älskar dig".
_AFFECTION = re.compile(
    r"❤|💕|💖|😘|🥰|\b(?:älskar\s+(?:dig|er)|kram(?:ar|is)?|puss(?:ar)?)\b", re.IGNORECASE
)
#: What somebody else said or wrote, or a call to stop saying it, in the sentence before a
#: weak word: "Nån skrev att p-vakterna är parasiter. Det tycker jag är orättvist", "Till
#: dig som skrev att tränarna är lata:", "Det är inte okej att kalla personalen lata"
#: (writer x, train).  The writer's own "jag tycker att" is not reported.
_CLAIM_REPORTED = re.compile(
    r"(?:\b(?:nån|någon|några|folk|vissa|många|ni|du|han|hon|hen|de|dom|som)\s+"
    r"(?:skrev|skriver|sa|sade|säger|påstod|påstår|tycker|tyckte|menar|menade)\s+att"
    r"|\b(?:inte\s+ok(?:ej)?|sluta|slutar)\s+(?:att\s+)?kalla)\b[^.!?]*$",
    re.IGNORECASE,
)
#: The two words after a weak word, and everyday adjectives that may stand between it
#: and the person it describes ("en skvallrig gammal tant").
_TWO_WORDS_AFTER = re.compile(r"\W+([^\W\d_]+)\W+([^\W\d_]+)")
#: A word stands before the next one only with nothing but space between: "värdelös, min
#: dotter slutade" ends the description at the comma (writer c, train).
_SPACE_THEN_WORD = re.compile(r"[ \t]+[^\W\d_]")
_PLAIN_ADJECTIVES = frozenset(
    {
        "gammal",
        "gamla",
        "ung",
        "unga",
        "liten",
        "lilla",
        "små",
        "stor",
        "stora",
        "jävla",
        "sur",
        "sura",
        "elak",
        "elaka",
    }
)
_NAME = re.compile(r"(?<=[a-zåäö,]\s)[A-ZÅÄÖ][a-zåäöéü]{2,}(?:\s[A-ZÅÄÖ][a-zåäöéü]{2,})?")
#: What makes an animal or creature a name for a person: said as what someone is
#: ("chauffören var en aggressiv gorilla", "hon är ett själlöst monster") or
#: addressed ("din orm", "den där lismande ormen"), with at most two words between.
_METAPHOR_FRAME = re.compile(
    r"(?:\b(?:är|e|ä|var|va|blev)\s+(?:ju\s+|bara\s+|verkligen\s+|fan\s+)?(?:en|ett|ett\s+gäng|som\s+en)"
    r"|\b(?:din|ditt|dina|era|ert|den\s+där|det\s+där|dom\s+där|de\s+där))"
    r"\s+(?:[^\W\d_]+\s+){0,2}$"
)
#: One's own child, partner or pet called an animal is fondness, not an attack.
_OWN_BEFORE = re.compile(r"\b(?:min|mitt|mina|vår|vårt|våra)\b")
#: Words after which "för många" is "for many", not "too many": "lättare för många
#: familjer", "viktigt för många".
_FOR_MANY_GOVERNORS = frozenset(
    {
        "lättare",
        "enklare",
        "bättre",
        "svårare",
        "svårt",
        "lätt",
        "viktigt",
        "viktig",
        "viktiga",
        "jobbigt",
        "tufft",
        "tungt",
        # "betyder mycket för många unga" (writers q and zg, train).
        "mycket",
        "jättemycket",
        "dyrt",
        "dyrare",
        "billigare",
        "tryggare",
        "tryggt",
        "roligt",
        "kul",
        "bra",
        "möjligt",
        "öppet",
        "öppen",
        "gratis",
        "hjälp",
        "stöd",
        "glädje",
        "nytta",
        "problem",
        "problemet",
        "värdefullt",
        "självklart",
    }
)
#: Someone else's vote told ("grannen röstar på …"), not a call to vote.
_REPORTED_VOTE = frozenset({"röstar på", "röstade på", "röstat på"})
_THIRD_PERSONS = frozenset(
    {
        "grannen",
        "granne",
        "grannarna",
        "han",
        "hon",
        "hen",
        "dom",
        "de",
        "pappa",
        "mamma",
        "farsan",
        "morsan",
        "bror",
        "brorsan",
        "syster",
        "frun",
        "maken",
        "sambon",
        "kollegan",
        "chefen",
        "svärmor",
        "svärfar",
    }
)
_NOT_ATTRIBUTIVE = frozenset(
    [
        "och",
        "som",
        "eller",
        "men",
        "i",
        "på",
        "att",
        "du",
        "ni",
        "han",
        "hon",
        "nu",
        "ju",
        "också",
        "totalt",
        "helt",
        "så",
        "som",
        "alltså",
        "ju",
        "va",
        "då",
        "med",
        "mot",
        "för",
        "av",
        "till",
        "från",
        "om",
        "när",
        # Adverbs after a noun said of a person: "en fuskare rakt igenom" (writer e, train).
        "rakt",
        "igenom",
        "bara",
        "verkligen",
    ]
)
_GROUP_INSULT_SUFFIXES = (
    "jävel",
    "jävlar",
    "jävlarna",
    "djävlar",
    "svin",
    "pack",
    "packet",
    "avskum",
    "äckel",
    "råtor",
)
#: Violent verbs, and the everyday idioms built from them ("skjuta upp beslutet",
#: "döda tid").  When every violent verb in a text sits inside such an idiom, the
#: threat and incitement models are not allowed to decide on those words alone.
_VIOLENT = re.compile(
    r"\b(?:döda\w*|dödar|mörda\w*|skjut\w*|sköt|slå\s+ihjäl|slog\s+ihjäl|spräng\w*|bränn\w*|bränna|"
    r"knivhugg\w*|hugg\w*|skada|misshandla\w*|krossa\w*)"
)
_BENIGN_IDIOM = re.compile(
    r"\b(?:skjut\w*|sköt)\s+(?:upp|till|fram|in|ut|på\s+framtiden|över)\b|\bskjuts\w*|"
    r"\bdöda\w*\s+(?:tid|tiden|stämningen|idén|förslaget|debatten|lusten)\b|\bslå\s+ihjäl\s+tiden?\b|"
    r"\bspräng\w*\s+(?:budget\w*|ramarna|gränser\w*)|\bbränn\w*\s+(?:kalorier|pengar|löv|ris|skattepengar)\b|"
    r"\bkrossa\w*\s+(?:motståndet|rekord\w*|förväntningar\w*)|\bslog\s+ihjäl\s+en\s+(?:mygga|geting|fluga)\b|"
    # Sport and study slang: "döda den här löprundan", "krossa passet", "dödade tentan".
    r"\b(?:döda\w*|krossa\w*)\s+(?:den\s+här\s+|det\s+här\s+|denna\s+|detta\s+)?(?:löprundan|rundan|passet|"
    r"träningen|tentan|provet|matchen|loppet|milen|backen|uppgiften|banan|veckan|helgen)\b"
)
#: Lawful recourse: what an angry resident may rightly announce ("då överklagar jag",
#: "annars skriver jag till tidningen", "rösta bort dem").  Phrased like a threat
#: ("om ni inte …, kommer jag att …") it is none; the threat and incitement models,
#: which learn that phrasing, are not allowed to decide on such a text unless it
#: also speaks of harm (``_HARM``).
_LAWFUL_RECOURSE = compile_anchored(
    r"\b(?:överklaga\w*|polisanmäl\w*|jo-anmäl\w*|anmäl\w*\s+(?:\w+\s+)?till\s+(?:jo|ivo|polisen|"
    r"skolinspektionen|länsstyrelsen|arbetsmiljöverket|diskrimineringsombudsmannen|imy|förvaltningsrätten)|"
    r"(?:skriva|skriver|vända\s+mig|vänder\s+mig|gå|går|kontakta\w*|ringa|ringer|mejla\w*|tipsa\w*)\s+"
    r"(?:\w+\s+)?(?:till\s+|med\s+)?(?:tidningen|tidningarna|media|lokaltidningen|lokalpressen|pressen|"
    r"journalist\w*|advokat\w*|jo|ivo|kvällspressen|facket|ombudsmannen|kommunalrådet|politikerna|revisorerna)\b|"
    r"ta\s+upp\s+(?:det|detta|saken|frågan|ärendet)(?:\s+\w+)?\s+med|"
    r"rösta\w*\s+(?:vi\s+|jag\s+|alla\s+)?(?:bort|inte\s+på)|"
    r"byta\s+(?:skola|kommun|förskola)|flytta\s+(?:härifrån|från\s+kommunen)|stämma\s+kommunen|skadestånd\w*|"
    r"medborgarförslag\w*|insändare|lämna\s+in\s+(?:ett\s+)?klagomål|begära\s+ut|"
    r"gå\s+vidare\s+med\s+(?:det|saken|ärendet))"
)
#: Words of harm, weapons and veiled menace: beside lawful recourse they leave the
#: decision to the models ("överklaga, annars bränner jag ner kontoret").
_HARM = compile_anchored(
    r"\b(?:döda\w*|dödar|död|dö|dör|mörda\w*|mord|skjut\w*|sköt|skott|ihjäl|spräng\w*|bränn\w*|brinna|brinner|"
    r"brand\w*|tänd\w*\s+på|eld|elden|knivhugg\w*|hugg\w*|kniv\w*|yx\w*|kula\w*|kulor|pistol\w*|gevär\w*|"
    r"vapen|hagel\w*|bössa\w*|slägg\w*|bomb\w*|slå\w*|slår|slog|spöa\w*|spö|stryk|misshandl\w*|skada\w*|"
    r"krossa\w*|blod\w*|hämnd\w*|hämnas|straffa\w*|ångra\w*|akta\w*|se\s+upp|passa\s+dig|vet\s+(?:\w+\s+)?var|"
    r"hitta\s+(?:dig|er|honom|henne)|få\s+igen|få\s+se|få\s+problem|besök|hälsa\s+på|möts\s+av|sparka\w*|"
    r"stryp\w*|dränk\w*|häng\w*|lyncha\w*|avrätta\w*|kör\w*\s+(?:på|över)|synd\s+om|hända|händer|hände|"
    r"olycka|olyckor|bensin|syra|gift|förgifta\w*|kidnappa\w*|våldta\w*|våld|terror\w*|attack\w*|"
    r"anfall\w*|trygg|otrygg|livet|liv|smäll\w*|smälla|lida|sota|jaga\w*|jakt|tänk\s+på\s+det|allvar)\b"
)
#: Strings every ``_VIOLENT`` match contains (``""``, which every text contains, if none were found).
_VIOLENT_STEMS = tuple(sorted(required_substrings(_VIOLENT.pattern) or ("",)))
_DIGITS = re.compile(r"\d")
_FEATURE_WORD = re.compile(r"[^\W_]+")
#: No off-topic comment in the train split has fewer words (0 of 165; 245 other
#: comments do), and policies call short small talk about local life on topic.
_OFF_TOPIC_MIN_WORDS = 5
_CHUNK = re.compile(r"\S+")
_CURSE_ADJECTIVES = frozenset(
    {
        "jävla",
        "javla",
        "djävla",
        "fucking",
        "äckliga",
        "satans",
        "förbannade",
        "smutsiga",
        "jävlarnas",
        "skitiga",
    }
)
#: Words that make a belittling person noun an insult ("jävla kärring", "din dumma kärring").
_INSULTING_MODIFIERS = _CURSE_ADJECTIVES | frozenset(
    {
        "jäkla",
        "dumma",
        "dum",
        "fula",
        "ful",
        "feta",
        "fet",
        "fett",
        "äckliga",
        "äcklig",
        "elaka",
        "elak",
        "sura",
        "sur",
        "korkade",
        "korkad",
        "störda",
        "patetiska",
        "patetisk",
        "löjliga",
        "din",
        "er",
    }
)
#: "Invandrare är inte kriminella": a group word followed by a denial.
#: What is said about a group, beyond single words (dehumanizing.txt): keeping it
#: out ("borde inte få jobba", "ska sparkas"), a contemptuous trait as a fact
#: about all of them ("är kriminella"), blame ("ligger bakom", "gör gatorna
#: otrygga").  Only a finding next to a group term in the same sentence; written
#: from train-split comments, with comparatives ("ska inte få sämre …") left out.
_GROUP_CONTEMPT = compile_anchored(
    r"\b(?:borde|bör|ska|skall|måste)\s+(?:inte|int|aldrig|inte\s+ens)\s+(?:få|faa|tillåtas|släppas\s+in)\s+"
    r"(?!sämre|mindre|lägre|vänta|betala|stå\s+utan|vara\s+utan)\w+|"
    r"\b(?:borde|bör|ska|skall|måste)\s+(?:\w+\s+)?(?:sparkas|förbjudas|stängas\s+ute|hålla\s+sig\s+hemma|"
    r"hållas\s+hemma|bära\s+märken|separeras|deporteras|brännas|låsas\s+in|spärras\s+in)\b|"
    r"\bseparera\s+(?:dem|dom)\b|\bhör\s+inte\s+hemma\b|\bsånt\s+(?:äckel|pack|slödder|avskum)\b|"
    r"\b(?:är|ä|e|ar|blir)\s+(?:ju\s+|bara\s+|alltid\s+|så\s+|helt\s+)?(?:kriminella|korkade|dumma|lata|smutsiga|"
    r"primitiva|efterblivna|värdelösa|ociviliserade|våldsamma|opålitliga|äckliga|parasiter|en\s+belastning|"
    r"en\s+utdöende\s+ras)\b|"
    r"\bgör\s+(?:gatorna|staden|området|orten|stan|skolan|sverige|landet)\s+(?:otrygg\w*|farlig\w*)\b|"
    r"\b(?:ligger|står)\s+bakom\s+(?:\w+\s+)?(?:massinvandring\w*|brotten|branden|allt)\b|"
    r"\bdrar\s+ner\s+(?:resultaten|standarden|allt)\b|\bhar\s+inget\s+värde\b|"
    r"\b(?:hjärntvättar|indoktrinerar)\b|\bfår\s+(?:allt|allting)\s+gratis\b|"
    r"\bkan\s+inte\s+(?:prata|tänka|trafikregler|uppföra\s+sig)\b|\bfår\s+skylla\s+sig\s+själva\b|"
    # What a group is said to be by birth or culture, and how it is to be removed
    # (writers c, e, q, s, v, x and the team, train): "det ligger i blodet", "det sitter
    # i deras kultur", "de är för primitiva för sånt", "alla muslimer är potentiella
    # terrorister", "kan inte bete sig som folk", "ut med dom", "skicka hem hela bunten".
    r"\b(?:sitter|ligger)\s+i\s+(?:blodet|generna|kulturen|deras\s+(?:kultur|gener|blod|natur))\b|"
    r"\bär\s+deras\s+kultur\b|"
    r"\b(?:är|ä|e)\s+(?:ju\s+|bara\s+)?för\s+(?:primitiva|korkade|dumma|lata|ociviliserade|klena|känslosamma)\b|"
    r"\b(?:är|ä|e)\s+(?:ju\s+|bara\s+|alla\s+)?(?:potentiella\s+)?terrorister\b|"
    r"\b(?:är|ä|e)\s+inte\s+(?:som\s+vi|kapabla|människor)\b|"
    r"\bkan\s+inte\s+(?:bete\s+sig|integreras|respektera|driva\s+något\s+ärligt)\b|"
    r"\blever\s+(?:hellre\s+)?på\s+(?:bidrag|andra|oss)\b|\bföder\s+barn\s+(?:bara\s+)?för\s+bidragen\b|"
    r"\but\s+med\s+(?:dem|dom|dom\s+där|hela\s+bunten)\b|"
    r"\b(?:skicka|skickas|kasta|kastas)\s+(?:hem|ut|tillbaka)\s+(?:hela\s+)?(?:bunten|packet|rasket|dem|dom)\b|"
    r"\b(?:är|ä|e)\s+(?:ju\s+|bara\s+)?(?:sjuka\s+i\s+huvudet|psykiskt\s+störda|en\s+börda|en\s+fara\s+för|"
    r"inte\s+kompatibla|smutsiga\s+som)\b|"
    r"\bförökar\s+sig\b|\bgöra\s+(?:oss|sig)\s+av\s+med\s+(?:dem|dom|alla|dessa)\b|"
    r"\bkan\s+bara\s+(?:supa|stjäla|fuska|tigga|bråka|snylta)\b|\bså\s+är\s+(?:de|dom)\s+allihop\b|"
    r"\bhatar\s+(?:ju\s+)?sverige\b|"
    r"\b(?:de|dom|hjärnor|hjärnorna)\s+(?:är\s+)?(?:[^\W\d_]+\s+){0,2}inte\s+(?:byggda|gjorda|skapta)\s+för\b|"
    r"\bhålla\s+sig\s+(?:borta\s+från|till\s+köket)\b|\bhållas\s+undan\b"
)
#: A group that *is* a problem, a threat or vermin ("Muslimer är ett problem som vi måste
#: lösa"): contempt only as the group's own predicate, right after it (see ``_hate``).
_GROUP_AS_PROBLEM = re.compile(
    r"\s+(?:är|ä|e|ar|blir)\s+(?:ju\s+|bara\s+|alltid\s+|verkligen\s+)?(?:ett\s+(?:stort\s+)?problem|problemet|"
    r"ett\s+hot|en\s+plåga|en\s+pest|en\s+cancer|en\s+smitta|ett\s+gissel|ohyra|avskum|skadedjur)\b",
    re.IGNORECASE,
)
#: Words before a group that make it part of another subject ("diskriminering av muslimer").
_GROUP_GOVERNED = frozenset({"av", "för", "mot", "om", "med", "bland", "till", "från", "hos", "åt", "inte"})
_GROUP_DENIAL = re.compile(r"\s+(?:\w+\s+)?(?:är|blir|var|har)\s+(?:inte|inga|aldrig|ingen|inget)\b")
_LONG_WORD = re.compile(r"[^\W\d_]{8,}")
_WITHOUT_VOWELS = str.maketrans("", "", "aeiouyåäö")
_NON_SERVICE = ("hate_speech", "sexual_content", "advertising", "spam", "off_topic", "crime_material")
#: An off-topic model finding takes back a question the rules found only when it is
#: sure: out of fold over train (writers the models never saw), below 0.5 it took back
#: 96 questions of which 43 were real, at 0.5 and above 143 with 20 real.  A question
#: taken back is an answer nobody owes, so a doubtful one stands beside the finding.
_OFF_TOPIC_TAKES_BACK_QUESTION = 0.5
_LAUGHTER = frozenset({"haha", "hahaha", "hehe", "hihi", "lol", "tack", "nej", "bra"})
_QUESTION_OPENER = re.compile(
    r"^\s*(?:(?:hej|hallå|hejsan)\W+)?(?:undrar|jag\s+undrar|vi\s+undrar|hur|när|var|vart|varför|vad|vilken|vilket|"
    r"vilka|vem|finns\s+det|går\s+det|får\s+man|får\s+jag|får\s+vi|ska\s+man|måste\s+man|behöver\s+man|"
    r"behöver\s+jag|är\s+det|blir\s+det|kommer\s+ni|kommer\s+det|tänker\s+ni|har\s+ni|kan\s+ni|kan\s+man|"
    r"kan\s+jag|kan\s+någon|vet\s+någon|vet\s+ni|stämmer\s+det|gäller\s+det|borde\s+inte)\b"
)
_QUESTION_NO_MARK = compile_anchored(
    r"\b(?:jag|vi)\s+undrar\s+(?:om|när|hur|vad|varför|vilken|vart|var|vem)\b|\b(?:vill|skulle\s+vilja)\s+veta\s+"
    r"(?:om|när|hur|vad|varför|vilken|vart|var)\b|\bkan\s+ni\s+(?:svara|förklara|berätta|hjälpa|återkomma)\b|"
    r"\bhur\s+gör\s+(?:jag|man|vi)\b|\bvart\s+(?:vänder|ska)\s+(?:jag|man)\b"
)
_RHETORICAL = compile_anchored(
    r"\bhur\s+(?:svårt|dum|dumma|korkad\w*|inkompetent\w*|idiotisk\w*|länge\s+(?:till|ska)|mycket\s+(?:mer|längre))\b|"
    r"\bhur\s+kan\s+(?:man|ni)\s+vara\s+så\b|\bvem\s+bryr\s+sig\b|\bskämtar\s+ni\b|"
    r"\bär\s+ni\s+(?:helt\s+)?(?:dumma|galna|seriösa|korkade|idioter|inkompetenta|på\s+riktigt|inte\s+kloka|blinda)\b|"
    r"\bpå\s+riktigt\s*\?|\bseriöst\s*\?|\beller\s+hur\s*\?|\bva\s*\?|\bvad\s+håller\s+ni\s+på\s+med\b|"
    r"\bvad\s+är\s+det\s+för\s+fel\s+på\b|\bhur\s+tänkte\s+ni\b|\bvem\s+tänkte\b|"
    r"\btror\s+ni\s+(?:att\s+)?(?:vi|folk|man)\s+är\b|\bhar\s+ni\s+inget\s+bättre\s+för\s+er\b|"
    r"\bvad\s+(?:fan|i\s+helvete|tusan)\b|\?\s*!|!\s*\?|\bskäms\s+ni\s+inte\b|\bvarför\s+inte\s+bara\b|"
    # Words that turn a question into a reproach: "ska såna verkligen få köra?",
    # "varför kan ni aldrig …?", "vill de ens …?", "är det bara jag som …?".
    r"\b(?:verkligen|ens|någonsin|aldrig|bara\s+jag)\b[^.!?\n]*\?|\bi\s+hela\s+friden\b|\bvem\s+trodde\b|"
    r"\bförvånad\w*\s*\?"
)
#: A question to the other commenters ("Nån som också ser på Snabba cash?", "Är det nån
#: som har en vevradio hemma?", "Har nån annan fått samma brev?", "vem hänger på?"):
#: not one the municipality must answer unless it is named in it (writers zd, ze and
#: zf, train).
_CROWD_QUESTION = compile_anchored(
    r"(?:^\s*|[,.!?]\s*|\bok\s+)(?:är\s+det\s+|finns\s+det\s+)?(?:nån|någon|några|fler)\s+(?:annan\s+|mer\s+|fler\s+|"
    r"här\s+|(?:mer\s+)?än\s+jag\s+|också\s+)?som\b|\bhar\s+(?:nån|någon)\s+(?:annan|mer|fler|också)\b|\bvem\s+hänger\s+på\b|"
    r"\bvem\s+mer\b|\bvet\s+(?:nån|någon)\b|\bkan\s+vi\s+(?:vara|hålla|prata|sluta)\b|"
    # What residents ask each other (writers i, r, y and z, train): "Har nån sett en brun
    # hund?", "Har någon en symaskin att sälja?", "Vill någon köpa min moped?", "Saknar nån sin?"
    r"\bhar\s+(?:nån|någon)\s+(?:sett|hittat|jobbat|testat|provat|köpt|erfarenhet|tips|koll\s+på\s+(?:en|ett|nån|någon))\b|"
    r"\bhar\s+(?:nån|någon)\s+(?:en|ett|några)\s+(?:[^\W\d_]+\s+){1,4}att\s+(?:sälja|låna|ge\s+bort|skänka|hyra)\b|"
    r"\bvill\s+(?:nån|någon)\s+(?:köpa|ha|låna|hyra|byta|följa\s+med|hänga\s+med)\b|\bsaknar\s+(?:nån|någon)\b"
)
#: A tag question asks for agreement, not an answer: "visst är det världens fulaste
#: konstverk?", "kul att tåget stannar igen, eller vad säger ni?", "vilken affär stänger
#: härnäst, tro?" (writer zf, train).
_TAG_QUESTION = compile_anchored(
    r"\bvisst\s+(?:är|var|blir|blev|har|hade|kan|ska|gör)\b|\beller\s+vad\s+säger\s+ni\b|\btro\s*\?|"
    r"\bvad\s+säger\s+ni\s+nu\b|\bni\s+andra\b|\bminns\s+(?:ni|nån|någon)\s+(?:när|hur|att|den|det)\b|"
    r"\bvisste\s+ni\b|\bkommer\s+(?:ni|nån|någon)\s+ihåg\b|\bförsta\s+april\b"
)
#: More reproaches in question form (train writers' comments): "Hur kan det ta tre dagar
#: att laga ett rör?", "Vem vill bo under ett blinkande ljus?", "Vad är det för samhälle
#: …?", "Vem kom på att stänga bassängen mitt i sportlovet?", "Vart tar alla skattepengar
#: vägen?" ("hur kan man/jag/vi …" asks how, and stays a question).
_REPROACH = compile_anchored(
    r"\bhur\s+kan\s+(?!(?:man|jag|ja|jä|vi|jag\s+och)\b)\w+|\bhur\s+kan\s+man\s+(?:göra|vara|tillåta|låta|godkänna)\s+så\b|"
    r"\bvem\s+vill\b|\bvad\s+är\s+det\s+för\s+(?:samhälle|kommun|land|värld|ledning|skämt)\b|"
    r"\bhur\s+många\s+(?:fler|gånger\s+till)\b|\bvem\s+(?:kom\s+på|fick\s+för\s+sig|fick\s+den\s+\w+\s+idén)\b|"
    r"\bvart\s+tar\s+(?:alla\s+)?\w*pengar\w*\s+vägen\b|\bfinns\s+det\s+ingen\s+(?:lag|gräns|hejd|skam|vett)\b|"
    r"\bvad\s+ska\s+(?:vi|man|ni)\s+med\b[^.!?\n]*\btill\s*\?|\bnånsin\b[^.!?\n]*\?|"
    # "Hur många barn ska bli påkörda innan ni sänker hastigheten?", "Kanske dags att …?",
    # "Varför får en sån jobba med barn?", "Är det så himla svårt …?", "Vem gör så mot …?"
    r"\b(?:hur\s+många|ska\s+vi\s+(?:behöva\s+)?vänta)\b[^.!?\n]*\binnan\s+(?:ni|politikerna|kommunen|nån|någon|man|de|dom|det)\b[^.!?\n]*\?|\bkanske\s+dags\s+att\b|"
    r"\bvarför\s+får\s+(?:en\s+sån|såna)\b|\bär\s+det\s+så\s+(?:himla\s+|jäkla\s+|jävla\s+)?svårt\b|"
    r"\bvem\s+gör\s+så\b|\bvad\s+ska\s+man\s+säga\s+om\b|"
    # "… är det här Sovjet eller?", "Plogar ni bara där politikerna bor eller?", "Dags att
    # stänga kommentarerna kanske?", "Ni vill väl inte att någon ska bli påkörd?"
    r"\b(?!nåt\b|något\b|inte\b)\w+,?\s+eller\s*\?+\s*$|\bdags\s+att\b[^.!?\n]*\bkanske\s*\?|\bni\s+vill\s+väl\s+inte\b"
)
_ADDRESSED_ELSEWHERE = re.compile(r"\b(?:du|dig)\b")
_NAMES_US = re.compile(r"\b(?:ni|er|era|ert|kommun\w*)\b")
_ADDRESSED_TO_US = re.compile(r"\b(?:ni|er|era|ert|kommun\w*|någon|man|det)\b")
_MENTION = re.compile(r"^\s*@\w+")


class _LexHit(NamedTuple):
    """A lexicon entry found in the text, in original coordinates."""

    entry: Entry
    start: int
    end: int
    key: str
    prev: tuple[str, ...]
    next: str


@dataclass(slots=True)
class _Doc:
    """Everything the detectors need about one text, computed once."""

    original: str
    norm: Normalized
    hits: dict[str, list[_LexHit]]
    context: dict[str, object]
    #: The normalised text, and its aa/ae/oe → å/ä/ö reading when that differs.
    readings: list[Normalized] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)
    urls: list[tuple[int, int]] = field(default_factory=list)
    rhetorical_text: bool | None = None
    persons_found: list[tuple[int, int]] | None = None
    public_links: list[bool] | None = None
    #: The lexicon hits in the normalised text, as the models' features.
    markers: list[Marker] = field(default_factory=list)
    #: The comment as the visitor typed it, when ``original`` is its reading with å, ä
    #: and ö (``classifiers.text.diacritics``, letter for letter): findings quote this.
    typed: str = ""

    def slice(self, start: int, end: int) -> str:
        return (self.typed or self.original)[start:end]

    def rhetorical(self) -> bool:
        """Whether the text has a rhetorical question anywhere, searched once.

        A sentence is a piece of the text cut at punctuation, so a sentence
        can only match where the whole text does: without a match here no
        sentence needs searching.
        """
        if self.rhetorical_text is None:
            self.rhetorical_text = _RHETORICAL.search(self.norm.text) is not None
        return self.rhetorical_text

    def to_public_bodies(self) -> list[bool]:
        """Per link of ``urls``, whether it goes to a public body's site, found once (the
        link-farm rule and the spam model's guard both ask)."""
        if self.public_links is None:
            sites = _PUBLIC_SITES | _own_sites(self.context)
            self.public_links = [_to_public_body(_link_at(self.original, url), sites) for url in self.urls]
        return self.public_links

    def persons(self) -> list[tuple[int, int]]:
        """Who an attack or a remark can be aimed at, found once per text (harassment, its
        likenings and metaphors, and sexual innuendo all ask): pronouns and roles,
        mid-sentence names, person words."""
        if self.persons_found is None:
            self.persons_found = (
                self.spans_of(_PERSON)
                + self.spans_of(_ROLE_NOUN)
                + [m.span() for m in _NAME.finditer(self.original)]
                + [(h.start, h.end) for h in self.lex("persons")]
            )
        return self.persons_found

    def lex(self, name: str, subtype: str | None = None) -> list[_LexHit]:
        found = self.hits.get(name, [])
        return found if subtype is None else [h for h in found if h.entry.subtype == subtype]

    def spans_of(self, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
        return [self.norm.to_original(*m.span()) for m in pattern.finditer(self.norm.text)]


#: The spam model's score a comment in another language needs for a spam finding: the
#: model was trained to read Swedish, and on English comments it is sure only of spam
#: ("Win a free iPhone now, click the link in my bio" 0.99; an everyday English comment
#: at most 0.3, a veiled threat 0.65).
FOREIGN_SPAM_SCORE = 0.9


#: A word written with asterisks for some of its letters: "i***t", "h*****e", "j***@", "$**t".
_MASKED_WORD = re.compile(r"[\w*@#$]*\*[\w*@#$]*")


def _blanked_except(text: str, keep: Iterable[tuple[int, int]]) -> str:
    """``text`` with every character outside the ``keep`` spans a space (same length)."""
    out = [" "] * len(text)
    for start, end in keep:
        out[start:end] = text[start:end]
    return "".join(out)


def _quote_list(words: list[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " och " + quoted[-1]


def _dedupe(hits: Iterable[_LexHit]) -> list[_LexHit]:
    """The hits not inside an earlier one.  In order of start, every hit kept so far starts
    at or before this one, so it lies inside one of them exactly when it ends at or before
    the furthest end: one comparison per hit, not one per hit kept."""
    out = []
    furthest = -1
    for h in sorted(hits, key=lambda h: (h.start, -h.end)):
        if h.end <= furthest:
            continue
        furthest = h.end
        out.append(h)
    return out


class TextDetector:
    """All text categories; build once (``warm_up``) and call :meth:`detect` per comment."""

    def __init__(
        self,
        data_dir: Path = DATA_DIR,
        rules_path: Path = RULES_PATH,
        artifact_path: Path | None = ARTIFACT_PATH,
        use_model: bool = True,
        model: LinearTextModel | None = None,
    ) -> None:
        entries: list[Entry] = []
        digest = hashlib.sha256()
        for path in sorted(data_dir.glob("*.txt")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
            entries.extend(load_lexicon(path))
        digest.update(rules_path.read_bytes())
        # The stopword list decides which words explain a model finding.
        digest.update(b"stopwords\0" + (LANGDATA / "sv.txt").read_bytes())
        self.rules: tuple[Rule, ...] = load_rules(rules_path)
        self._anchors = AnchorIndex(a for rule in self.rules for a in (*rule.anchors, *rule.required))
        self.index = LexiconIndex(entries)
        # ``model`` replaces the shipped artefact (a tenant's retrained model, ``classifiers.learning``).
        if model is not None:
            self.model: LinearTextModel | None = model if use_model else None
        else:
            self.model = LinearTextModel.load(artifact_path) if (use_model and artifact_path) else None
        # So do the language marker lists (which comments are assessed at all), and the
        # rules written in Python (this module): an assessment names the code that made it.
        for name in ("en", "fi", "fit"):
            digest.update(name.encode() + b"\0" + (LANGDATA / f"{name}.txt").read_bytes())
        # How the language is told (what is assessed at all) and which words explain a
        # model finding are code too.
        for function in (detect_language, is_content_word):
            source = Path(inspect.getsourcefile(function) or "")
            digest.update(function.__module__.encode() + b"\0" + source.read_bytes())
        digest.update(b"detectors\0" + Path(__file__).read_bytes())
        # And how the tenant's own mailboxes are read (its own site is no spam).
        digest.update(b"context\0" + Path(tenant_lists.__file__).read_bytes())
        # And how a comment typed without å, ä and ö is read (the pipeline reads it so first).
        digest.update(b"diacritics\0" + "\n".join(diacritics.listed_words(LANGDATA)).encode())
        digest.update(Path(diacritics.__file__).read_bytes())
        self.rules_version = digest.hexdigest()[:12]
        # Swedish words beyond the stopwords, for language detection: the models'
        # word vocabulary (Swedish comments) without the other languages' markers.
        vocabulary = self.model.word_vocabulary if self.model else ()
        self._swedish_words = (
            frozenset(w for w in vocabulary if w.isalpha() and not w.startswith("__") and len(w) > 2)
            - OTHER_MARKERS
        )
        model_part = self.model.version if self.model else "none"
        self.version = f"text-rules-{self.rules_version}+model-{model_part}"

    # ------------------------------------------------------------------ analysis
    def _analyse(self, text: str, norm: Normalized, context: dict[str, object]) -> _Doc:
        hits: dict[str, list[_LexHit]] = {}
        seen: set[tuple[str, str, int, int]] = set()
        variants = [norm]
        folded = norm.folded()
        if folded is not norm:
            variants.append(folded)
        markers: list[Marker] = []
        for variant in variants:
            tokens = tokenize(variant)
            scanned = self.index.scan(tokens, variant.text)
            if variant is norm:  # the models' lexicon features, as ``LexiconIndex.markers`` gives them
                markers = markers_of(scanned)
            for hit in scanned:
                start, end = variant.to_original(hit.start, hit.end)
                ident = (hit.entry.lexicon, hit.entry.term, start, end)
                if ident in seen:
                    continue
                seen.add(ident)
                vt = variant.text
                prev = tuple(
                    vt[t.start : t.end] for t in tokens[max(0, hit.first_token - 2) : hit.first_token]
                )
                after = tokens[hit.last_token + 1] if hit.last_token + 1 < len(tokens) else None
                nxt = vt[after.start : after.end] if after else ""
                key = " ".join(t.key for t in tokens[hit.first_token : hit.last_token + 1])
                hits.setdefault(hit.entry.lexicon, []).append(_LexHit(hit.entry, start, end, key, prev, nxt))
        doc = _Doc(text, norm, hits, context, readings=variants, markers=markers)
        if _QUOTE_MARK.search(text):  # most comments quote nothing
            doc.quotes = [m.span() for m in _QUOTES.finditer(text)]
        if _URL_HINT.search(text):
            doc.urls = [m.span() for m in _URL.finditer(text)]
        return doc

    def _reported(self, doc: _Doc, hit: _LexHit) -> bool:
        """A word quoted or reported in order to complain about it, not used."""
        if not doc.hits.get("condemnation"):
            return False  # neither a condemnation nor a report: the common case
        condemn = doc.lex("condemnation", "condemn")
        report = doc.lex("condemnation", "report")
        if not condemn and not report:
            return False
        quoted = any(qs < hit.start and hit.end < qe for qs, qe in doc.quotes)
        if quoted:
            return True
        return bool(condemn) and any(r.end <= hit.start and hit.start - r.end <= 40 for r in report)

    # ------------------------------------------------------------------ findings
    def _finding(
        self,
        doc: _Doc,
        category: str,
        subtype: str,
        score: float,
        spans: Iterable[tuple[int, int]],
        explanation: str,
        rule_id: str,
    ) -> Finding:
        uniq = sorted({(s, e) for s, e in spans if e > s})
        return Finding(
            category=category,
            subtype=subtype,
            score=round(min(max(score, 0.0), 1.0), 4),
            spans=tuple(Span(s, e, doc.slice(s, e)) for s, e in uniq),
            explanation=explanation,
            rule_id=rule_id,
            model_version=self.version,
        )

    def _quoted_finding(
        self,
        doc: _Doc,
        category: str,
        subtype: str,
        score: float,
        hits: list[_LexHit],
        sentence: str,
        rule_id: str,
    ) -> Finding:
        """One finding for lexicon hits; ``sentence`` quotes up to three of them in its ``{words}`` slot."""
        words = list(dict.fromkeys(doc.slice(h.start, h.end) for h in hits))[:3]
        return self._finding(
            doc,
            category,
            subtype,
            score,
            [(h.start, h.end) for h in hits],
            sentence.format(words=_quote_list(words)),
            rule_id,
        )

    def _lexicon_finding(
        self,
        doc: _Doc,
        category: str,
        hits: list[_LexHit],
        noun_key: tuple[str, str],
        score: float,
        rule_id: str,
    ) -> Finding:
        hits = _dedupe(hits)
        words = list(dict.fromkeys(doc.slice(h.start, h.end) for h in hits))[:4]
        singular, plural = _LEXICON_NOUNS_SV.get(
            noun_key, _LEXICON_NOUNS_SV.get((noun_key[0], ""), ("ord", "ord"))
        )
        if len(words) == 1:
            explanation = f"Texten innehåller ordet {_quote_list(words)} ({singular})."
        else:
            explanation = f"Texten innehåller orden {_quote_list(words)} ({plural})."
        subtype = hits[0].entry.subtype
        return self._finding(
            doc, category, subtype, score, [(h.start, h.end) for h in hits], explanation, rule_id
        )

    # ------------------------------------------------------------------ categories
    def _profanity(self, doc: _Doc, out: dict[str, list[Finding]], suppressed: set[str]) -> None:
        hits = doc.lex("profanity")
        kept = [h for h in hits if not self._reported(doc, h)]
        if hits and not kept:
            suppressed.add("profanity")
        if kept:
            subtype = kept[0].entry.subtype
            out["profanity"].append(
                self._lexicon_finding(
                    doc, "profanity", kept, ("profanity", subtype), 0.9, "profanity.lexicon"
                )
            )

    def _hate(self, doc: _Doc, out: dict[str, list[Finding]], suppressed: set[str]) -> None:
        slurs = doc.lex("slurs")
        kept = [h for h in slurs if not self._reported(doc, h)]
        if slurs and not kept:
            suppressed.add("hate_speech")
        if kept:
            out["hate_speech"].append(
                self._lexicon_finding(doc, "hate_speech", kept, ("slurs", ""), 0.9, "hate_speech.slur")
            )
            return
        groups = doc.lex("groups")
        compound = [
            h for h in groups if h.entry.term.endswith("*") and h.key.endswith(_GROUP_INSULT_SUFFIXES)
        ]
        compound = [h for h in compound if not self._reported(doc, h)]
        if compound:
            words = [doc.slice(h.start, h.end) for h in compound][:3]
            out["hate_speech"].append(
                self._finding(
                    doc,
                    "hate_speech",
                    compound[0].entry.subtype,
                    0.88,
                    [(h.start, h.end) for h in compound],
                    f"Texten innehåller {_quote_list(words)}, ett nedsättande ord om en folkgrupp.",
                    "hate_speech.group_compound",
                )
            )
            return
        cursed = [h for h in groups if h.prev[-1:] and h.prev[-1] in _CURSE_ADJECTIVES]
        cursed = [h for h in cursed if not self._reported(doc, h)]
        if cursed:
            h = cursed[0]
            start, _ = doc.norm.to_original(*_norm_span_before(doc, h.start, h.prev[-1]))
            out["hate_speech"].append(
                self._finding(
                    doc,
                    "hate_speech",
                    h.entry.subtype,
                    0.85,
                    [(start, h.end)],
                    f"Texten talar nedsättande om en folkgrupp: {_quote_list([doc.slice(start, h.end)])}.",
                    "hate_speech.group_cursed",
                )
            )
            return
        dehum = [
            (h.start, h.end, "hate_speech.group_dehumanising")
            for h in doc.lex("dehumanizing")
            if ("inte" not in h.prev or " " in h.entry.term)
            and not (h.key == "för många" and h.prev[-1:] and h.prev[-1] in _FOR_MANY_GOVERNORS)
        ]
        if groups:
            dehum += [(*span, "hate_speech.group_contempt") for span in doc.spans_of(_GROUP_CONTEMPT)]
        pairs = []
        for g in groups:
            for d in dehum:
                if abs(d[0] - g.start) <= 80 and not (d[0] < g.end and g.start < d[1]):
                    between = doc.original[min(g.end, d[1]) : max(g.start, d[0])]
                    if not re.search(r"[.!?\n]", between):
                        pairs.append((g, d))
        governed_problem = False
        if not pairs:
            for g in groups:
                as_problem = _GROUP_AS_PROBLEM.match(doc.original, g.end)
                if as_problem is None:
                    continue
                if g.prev[-1:] and g.prev[-1] in _GROUP_GOVERNED:
                    governed_problem = True
                    continue
                said = as_problem.group()
                start = as_problem.start() + len(said) - len(said.lstrip())
                pairs.append((g, (start, as_problem.end(), "hate_speech.group_dehumanising")))
                break
        if not pairs and (governed_problem or any(_GROUP_DENIAL.match(doc.original, g.end) for g in groups)):
            # A group is the subject of a denial ("Invandrare är inte
            # kriminella"): rejecting a prejudice, which the model must not
            # take for the prejudice itself.  Or it is governed by another
            # subject that is called the problem ("Diskriminering av muslimer är
            # ett problem"): the model must not read "<group> är ett problem" into it.
            suppressed.add("hate_speech")
            return
        if pairs:
            g, (d_start, d_end, rule_id) = pairs[0]
            if "inte alla" in " ".join(g.prev) or g.prev[-1:] == ("inte",):
                return
            out["hate_speech"].append(
                self._finding(
                    doc,
                    "hate_speech",
                    g.entry.subtype,
                    0.85 if rule_id == "hate_speech.group_dehumanising" else 0.8,
                    [(g.start, g.end), (d_start, d_end)],
                    "Texten uttrycker missaktning för en folkgrupp: "
                    f"{_quote_list([doc.slice(g.start, g.end), doc.slice(d_start, d_end)])}.",
                    rule_id,
                )
            )

    def _harassment(self, doc: _Doc, out: dict[str, list[Finding]], suppressed: set[str]) -> None:
        insults = doc.lex("insults", "insult")
        if _AFFECTION.search(doc.original) is not None and (insults or doc.lex("insults", "weak")):
            # "din gamla surgubbe ❤️", "värdelös på padel men jag älskar dig ändå": teasing a
            # friend (one of 78 train comments with such a word is harassment, a sexual one).
            suppressed.add("harassment")
            return
        kept = [h for h in insults if not self._reported(doc, h) and not _aimed_at_nobody(doc, h)]
        if insults and not kept:
            suppressed.add("harassment")
        if kept:
            out["harassment"].append(
                self._lexicon_finding(
                    doc, "harassment", kept, ("insults", "insult"), 0.85, "harassment.insult"
                )
            )
            return
        if self._person_insult(doc, out) or self._metaphor_insult(doc, out) or self._likened(doc, out):
            return
        weak = [h for h in doc.lex("insults", "weak") if not self._reported(doc, h)]
        if not weak:
            return
        persons = doc.persons()
        for h in weak:
            attributive = (
                h.next
                and h.next.isalpha()
                and h.next not in _NOT_ATTRIBUTIVE
                and (gap := _SPACE_THEN_WORD.match(doc.original, h.end)) is not None
                and not gap.group().lstrip()[0].isupper()  # "du är en mes Henrik": a name, addressed
            )
            if (
                attributive
                and not self._describes_a_person(doc, h)
                and not self._said_of_a_person(doc, h, persons)
            ):
                continue  # "värdelös snöröjning": criticism of a thing
            if "inte" in h.prev or "aldrig" in h.prev[-1:]:
                continue  # "inte alls otrevlig"
            if _CLAIM_REPORTED.search(doc.original, max(0, h.start - 80), h.start) is not None:
                continue  # "Nån skrev att p-vakterna är parasiter", to object to it
            if _aimed_at_nobody(doc, h):
                continue  # "jag var en riktig besserwisser på mötet"
            near = [p for p in persons if -60 <= h.start - p[1] <= 60 or -40 <= p[0] - h.end <= 40]
            if h.next in ("mot", "emot"):
                # "en kommentar som var elak mot personalen": who it was aimed at is the
                # one wronged, not the one described (writer x, train).
                near = [p for p in near if p[1] <= h.start]
            if near:
                target = near[0]
                word, who = doc.slice(h.start, h.end), doc.slice(*target)
                explanation = f"Texten riktar {_quote_list([word])} mot en person ({_quote_list([who])})."
                spans = [(h.start, h.end), target]
                self._personal_attack(doc, out, spans, explanation, "harassment.targeted")
                return

    def _personal_attack(
        self,
        doc: _Doc,
        out: dict[str, list[Finding]],
        spans: list[tuple[int, int]],
        explanation: str,
        rule_id: str,
    ) -> None:
        out["harassment"].append(
            self._finding(doc, "harassment", "personal_attack", 0.75, spans, explanation, rule_id)
        )

    def _describes_a_person(self, doc: _Doc, h: _LexHit) -> bool:
        """Whether the noun a weak word stands before names a person, also past one more
        adjective: "lögnaktig säljare", "skvallrig gammal tant", not "värdelös snöröjning"."""
        if _PERSON.fullmatch(h.next) or _ROLE_NOUN.fullmatch(h.next) or _is_person_word(self.index, h.next):
            return True
        two = _TWO_WORDS_AFTER.match(doc.original, h.end)
        if two is None or two.group(1).lower() not in _PLAIN_ADJECTIVES:
            return False
        noun = two.group(2).lower()
        return (
            _PERSON.fullmatch(noun) is not None
            or _ROLE_NOUN.fullmatch(noun) is not None
            or _is_person_word(self.index, noun)
        )

    @staticmethod
    def _said_of_a_person(doc: _Doc, h: _LexHit, persons: list[tuple[int, int]]) -> bool:
        """Whether a weak word stands in what a person is said to be: "Kulturchefen är en
        snorkig stockholmare", "Rektorn ... är en ynklig liten kontorsråtta" (writers e, q,
        train): the noun after it is new, but the person is the subject."""
        frame = _PREDICATE_FRAME.search(doc.original, max(0, h.start - 40), h.start)
        if frame is None:
            return False
        return any(0 <= frame.start() - p[1] <= 50 for p in persons)

    def _likened(self, doc: _Doc, out: dict[str, list[Finding]]) -> bool:
        """A person likened to something to mock them: "du låter som en sur gammal
        bibliotekarie", "Skolchefen har lika mycket empati som en parkeringsautomat",
        "Stadsarkitekten har smak som en blind grävling" (writers p, q, zg and the team,
        train).  Said of a thing ("Statyn ser ut som en smält glasspinne") or of oneself
        it is no attack; the person must be the one who looks, sounds or has."""
        for m in _LIKENED.finditer(doc.original):
            subjects = [
                p
                for p in doc.persons()
                if 0 <= m.start() - p[1] <= 40
                and doc.slice(*p).lower() not in _NOT_A_SUBJECT
                and not _SENTENCE_END.search(doc.original, p[1], m.start())
                and not _OTHER_SUBJECT.search(doc.original, p[1], m.start())
            ]
            if not subjects:
                continue
            who = max(subjects, key=lambda p: p[1])
            explanation = (
                f"Texten jämför en person ({_quote_list([doc.slice(*who)])}) med något för att "
                f"håna: {_quote_list([doc.slice(*m.span()).strip()])}."
            )
            self._personal_attack(doc, out, [who, m.span()], explanation, "harassment.likened")
            return True
        return False

    def _metaphor_insult(self, doc: _Doc, out: dict[str, list[Finding]]) -> bool:
        """An animal or creature said of a person: "Äldreomsorgschefen är ett själlöst
        monster", "den där lismande ormen".  The word alone ("en orm i trädgården"),
        of a thing, or of one's own ("min katt är en riktig gris") is no finding."""
        for h in doc.lex("insults", "metaphor"):
            before = doc.original[max(0, h.start - 60) : h.start].lower()
            frame = _METAPHOR_FRAME.search(before)
            if frame is None or self._reported(doc, h):
                continue
            if _OWN_BEFORE.search(before[max(0, frame.start() - 30) : frame.start()]):
                continue
            near = [p for p in doc.persons() if 0 <= h.start - p[1] <= 60]
            if not near:
                continue
            who = near[-1]
            explanation = (
                f"Texten kallar en person ({_quote_list([doc.slice(*who)])}) "
                f"{_quote_list([doc.slice(h.start, h.end)])}, ett förolämpande tilltal."
            )
            self._personal_attack(doc, out, [who, (h.start, h.end)], explanation, "harassment.metaphor")
            return True
        return False

    def _person_insult(self, doc: _Doc, out: dict[str, list[Finding]]) -> bool:
        """An insulting word aimed at a person without a listed insult: "jävla kärring".

        A belittling person noun (``persons.txt``, subtype ``pejorative``) right
        after a curse word, an insulting adjective or "din"/"er" addresses or
        describes someone with contempt.  The noun alone ("kärringen i sagan")
        is no finding, nor is the pair quoted or reported.
        """
        for h in doc.lex("persons", "pejorative"):
            before = h.prev[-1:]
            if not before or before[0] not in _INSULTING_MODIFIERS or self._reported(doc, h):
                continue
            start, _ = doc.norm.to_original(*_norm_span_before(doc, h.start, before[0]))
            words = doc.slice(start, h.end)
            out["harassment"].append(
                self._finding(
                    doc,
                    "harassment",
                    "personal_attack",
                    0.8,
                    [(start, h.end)],
                    f"Texten kallar en person {_quote_list([words])}, ett förolämpande tilltal.",
                    "harassment.person_insult",
                )
            )
            return True
        return False

    def _sexual(self, doc: _Doc, out: dict[str, list[Finding]]) -> None:
        hits = doc.lex("sexual")
        if hits:
            strong = [h for h in hits if h.entry.subtype != "explicit"]
            score = 0.88 if strong else 0.75
            chosen = strong or hits
            out["sexual_content"].append(
                self._lexicon_finding(
                    doc, "sexual_content", chosen, ("sexual", ""), score, "sexual_content.lexicon"
                )
            )
            return
        self._innuendo(doc, out)

    def _innuendo(self, doc: _Doc, out: dict[str, list[Finding]]) -> None:
        """Desire said of a person with a wink: "Chauffören på linje 4 är så sexig, får gärna
        köra mej hela natten 😏", "hon får gärna komma hem till mej … om ni fattar" (writers
        c, r, v and zg, train).  Either half alone is a compliment ("vilken snygg
        trädgård") or a joke; the person keeps it from a hot summer day ("så het 🥵")."""
        desire = _DESIRE.search(doc.original)
        if desire is None:
            return
        wink = _WINK.search(doc.original)
        if wink is None or not doc.persons():
            return
        words = [doc.slice(*desire.span()), doc.slice(*wink.span())]
        out["sexual_content"].append(
            self._finding(
                doc,
                "sexual_content",
                "innuendo",
                0.75,
                [desire.span(), wink.span()],
                f"Texten innehåller en sexuell anspelning om en person: {_quote_list(words)}.",
                "sexual_content.innuendo",
            )
        )

    def _advertising(self, doc: _Doc, out: dict[str, list[Finding]]) -> None:
        strong = doc.lex("advertising", "strong")
        weak = _dedupe(doc.lex("advertising", "weak"))
        shop_urls = [(s, e) for s, e in doc.urls if _SHOP_URL.search(doc.original, s, e)]
        if strong or shop_urls:
            spans = [(h.start, h.end) for h in _dedupe(strong)] + shop_urls
            words = list(dict.fromkeys(doc.slice(s, e) for s, e in spans))[:3]
            out["advertising"].append(
                self._finding(
                    doc,
                    "advertising",
                    "promotion",
                    0.85,
                    spans,
                    f"Texten marknadsför en produkt eller tjänst: {_quote_list(words)}.",
                    "advertising.promotion",
                )
            )
            return
        if len({h.key for h in weak}) < 2:
            return
        prices = doc.spans_of(_PRICE)
        if doc.urls or prices or doc.spans_of(_PHONE):
            spans = [(h.start, h.end) for h in weak] + doc.urls[:1] + prices[:1]
            words = list(dict.fromkeys(doc.slice(s, e) for s, e in spans))[:3]
            out["advertising"].append(
                self._finding(
                    doc,
                    "advertising",
                    "promotion",
                    0.7,
                    spans,
                    f"Texten ser ut som reklam: {_quote_list(words)}.",
                    "advertising.signals",
                )
            )

    def _spam(self, doc: _Doc, out: dict[str, list[Finding]]) -> None:
        spam = doc.lex("spam")
        strong = [h for h in spam if not h.entry.subtype.endswith("_weak")]
        weak = [h for h in spam if h.entry.subtype.endswith("_weak")]
        contact = bool(weak) and bool(doc.urls or doc.spans_of(_PHONE))
        if strong or (weak and (len({h.key for h in _dedupe(weak)}) >= 2 or contact)):
            chosen = _dedupe(strong or weak)
            spans = [(h.start, h.end) for h in chosen]
            words = list(dict.fromkeys(doc.slice(s, e) for s, e in spans))[:3]
            out["spam"].append(
                self._finding(
                    doc,
                    "spam",
                    chosen[0].entry.subtype.removesuffix("_weak"),
                    0.85 if strong else 0.72,
                    spans,
                    f"Texten ser ut som spam eller bedrägeri: {_quote_list(words)}.",
                    "spam.lexicon",
                )
            )
            return
        # Every long letter run lies inside one of these words, so the words
        # tell cheaply whether the text needs searching for keyboard mash.
        words = _FEATURE_WORD.findall(doc.norm.text)
        mash = _gibberish(doc.norm.text) if any(map(_has_mash, words)) else []
        n_words = len(doc.norm.text.split())
        if len(mash) >= 2 or (mash and n_words <= 3):
            out["spam"].append(
                self._finding(
                    doc,
                    "spam",
                    "gibberish",
                    0.75,
                    [doc.norm.to_original(*s) for s in mash],
                    "Texten består av meningslösa teckenföljder (tangentbordsklottrande).",
                    "spam.gibberish",
                )
            )
            return
        m = _REPEATED_CHAR.search(doc.original)
        if m:
            out["spam"].append(
                self._finding(
                    doc,
                    "spam",
                    "repetition",
                    0.8,
                    [m.span()],
                    "Texten består av samma tecken upprepat många gånger.",
                    "spam.repeated_character",
                )
            )
            return
        tally = Counter(words)
        # A finding needs a word five times in a row or in half the text: the
        # highest count alone rules out most comments.
        count = max(tally.values(), default=0)
        if len(words) >= 6 and (count >= 5 or 2 * count >= len(words)):
            top = max(w for w, n in tally.items() if n == count)
            if len(top) < 3 or top in _LAUGHTER:
                top = ""
            run = max((len(g) for g in _runs(words) if g[0] == top), default=0)
            if top and (run >= 5 or (count / len(words) >= 0.5 and len(words) >= 8)):
                # The word as the tally counted it: between non-letters, an underscore
                # included ("_idiot_idiot" is "idiot" twice, with no \b around either).
                spans = [
                    doc.norm.to_original(*m.span())
                    for m in re.finditer(rf"(?<![^\W_]){re.escape(top)}(?![^\W_])", doc.norm.text)
                ]
                out["spam"].append(
                    self._finding(
                        doc,
                        "spam",
                        "repetition",
                        0.8,
                        spans[:5],
                        f"Texten upprepar samma ord om och om igen ({_quote_list([doc.slice(*spans[0])])}).",
                        "spam.repeated_word",
                    )
                )
                return
        # A public body's link once is a reader pointing to the source; the same again is not.
        pointed: set[str] = set()
        links = []
        for url, public in zip(doc.urls, doc.to_public_bodies(), strict=True):
            link = _link_at(doc.original, url)
            if public and link not in pointed:
                pointed.add(link)
            else:
                links.append(url)
        if len(links) >= 3 or ((weak or len(links) >= 2) and _SHORTENER.search(doc.original)):
            out["spam"].append(
                self._finding(
                    doc,
                    "spam",
                    "link_farm",
                    0.8,
                    links[:5],
                    f"Texten består främst av länkar ({len(links)} st).",
                    "spam.links",
                )
            )
            return
        post = doc.context.get("post_text")
        if (
            isinstance(post, str)
            and len(doc.norm.text.strip()) >= 15
            and _canonical(normalize(post).text) == _canonical(doc.norm.text)
        ):
            out["spam"].append(
                self._finding(
                    doc,
                    "spam",
                    "copy_of_post",
                    0.75,
                    [(0, len(doc.original))],
                    "Kommentaren är en kopia av inläggets egen text.",
                    "spam.copy_of_post",
                )
            )

    def _party(self, doc: _Doc, out: dict[str, list[Finding]]) -> None:
        vote = doc.lex("stance", "vote")
        attitude = doc.lex("stance", "attitude")
        if not vote and not attitude:
            return
        parties = _party_mentions(doc)
        names = [m.span() for m in _NAME.finditer(doc.original)]
        # "Grannen Magnus Jonsson röstar på V": a report of someone else's vote, not a call to vote.
        vote = [
            h
            for h in vote
            if not (
                h.key in _REPORTED_VOTE
                and (
                    any(word in _THIRD_PERSONS for word in h.prev[-1:])
                    or any(0 <= h.start - end <= 2 for _, end in names)
                )
            )
        ]
        campaign = [h for h in vote if h.key not in ("valet", "i valet")]
        if vote and (parties or (names and campaign)):
            targets = parties or names
            spans = [(vote[0].start, vote[0].end), targets[0]]
            out["party_political"].append(
                self._finding(
                    doc,
                    "party_political",
                    "campaigning",
                    0.85,
                    spans,
                    f"Texten uppmanar till att rösta eller driver valkampanj: "
                    f"{_quote_list([doc.slice(*s) for s in spans])}.",
                    "party_political.vote",
                )
            )
            return
        if not parties or not attitude:
            return
        for p in parties:
            sentence = _sentence_around(doc.original, p[0])
            if _asked(doc.original, sentence):
                continue
            stance = [h for h in attitude if sentence[0] <= h.start < sentence[1]]
            if stance:
                spans = [p, (stance[0].start, stance[0].end)]
                out["party_political"].append(
                    self._finding(
                        doc,
                        "party_political",
                        "party_opinion",
                        0.78,
                        spans,
                        f"Texten tar ställning för eller emot ett parti: "
                        f"{_quote_list([doc.slice(*s) for s in spans])}.",
                        "party_political.stance",
                    )
                )
                return

    def _question(self, doc: _Doc, out: dict[str, list[Finding]], suppressed: set[str]) -> None:
        if _MENTION.match(doc.original):
            return
        abusive = [(h.start, h.end) for name in ("insults", "profanity", "slurs") for h in doc.lex(name)]
        text = doc.norm.text
        for m in SENTENCE.finditer(text):
            sentence = m.group()
            words = sentence.split()
            if len(words) < 2:
                continue
            is_question = (
                (sentence.rstrip().endswith("?") and len(words) >= 3)
                or bool(_QUESTION_NO_MARK.search(sentence))
                or unmarked_question(sentence)
            )
            if not is_question:
                continue
            if doc.rhetorical() and _RHETORICAL.search(sentence):
                continue
            if _SELF_ANSWER.match(text, m.end()) or _QUOTED_QUESTION.match(text, m.end()):
                continue  # "Vem granskar soc? Ingen." '"När plogar ni?" skrev jag i fjol'
            start, end = doc.norm.to_original(m.start(), m.end())
            if any(start <= s < end for s, _ in abusive):
                suppressed.add("question")  # an abusive question is not one to answer
                continue
            if _ADDRESSED_ELSEWHERE.search(sentence) and not _ADDRESSED_TO_US.search(sentence):
                continue
            if (
                _TAG_QUESTION.search(sentence)
                or _REPROACH.search(sentence)
                or (_CROWD_QUESTION.search(sentence) and not _NAMES_US.search(text))
            ):
                continue
            # Trim the span to the sentence itself (no leading blanks).
            while start < end and doc.original[start].isspace():
                start += 1
            while end > start and doc.original[end - 1].isspace():
                end -= 1
            score = 0.85 if _QUESTION_OPENER.search(sentence) else 0.72
            out["question"].append(
                self._finding(
                    doc,
                    "question",
                    "question",
                    score,
                    [(start, end)],
                    f"Texten innehåller en fråga till kommunen: '{doc.slice(start, end)}'.",
                    "question.sentence",
                )
            )
            return

    def _off_topic(self, doc: _Doc, out: dict[str, list[Finding]]) -> None:
        themes = doc.lex("offtopic")
        if themes and not doc.lex("municipal"):
            out["off_topic"].append(
                self._quoted_finding(
                    doc,
                    "off_topic",
                    themes[0].entry.subtype,
                    0.6,
                    themes,
                    "Texten handlar om något annat än kommunen ({words}).",
                    "off_topic.theme",
                )
            )

    def _misinformation(self, doc: _Doc, out: dict[str, list[Finding]]) -> None:
        hits = _dedupe(doc.lex("misinformation"))
        if hits:
            out["misinformation"].append(
                self._quoted_finding(
                    doc,
                    "misinformation",
                    hits[0].entry.subtype,
                    0.7,
                    hits,
                    "Texten har drag av ryktesspridning eller falsk information: {words}.",
                    "misinformation.lexicon",
                )
            )

    def _crime(self, doc: _Doc, out: dict[str, list[Finding]]) -> None:
        hits = doc.lex("crime", "material")
        if hits:
            out["crime_material"].append(
                self._quoted_finding(
                    doc,
                    "crime_material",
                    "material",
                    0.9,
                    hits,
                    "Texten nämner eller erbjuder brottsligt material: {words}.",
                    "crime_material.lexicon",
                )
            )

    def _yaml_rules(self, doc: _Doc, out: dict[str, list[Finding]]) -> None:
        # A text typed with "aa", "ae", "oe" for å, ä, ö ("slaa soender fartkameran")
        # is read a second time in å/ä/ö, as the lexicons already are.
        for reading in doc.readings:
            text = reading.text
            # Which anchors occur is looked up once for all rules.
            present = self._anchors.present(text)
            for rule in self.rules:
                found = out[rule.category]
                if found and (
                    rule.category != "individual_case" or any(f.subtype == rule.subtype for f in found)
                ):
                    continue
                if rule.anchors and present.isdisjoint(rule.anchors):
                    continue
                if rule.required and present.isdisjoint(rule.required):
                    continue
                spans = rule.matches(text, check_anchors=False)
                if not spans:
                    continue
                orig = [reading.to_original(s, e) for s, e in spans]
                explanation = rule.explanation.format(match=doc.slice(*orig[0]).strip())
                out[rule.category].append(
                    self._finding(doc, rule.category, rule.subtype, rule.score, orig, explanation, rule.id)
                )

    # ------------------------------------------------------------------ model
    def _model_findings(
        self,
        doc: _Doc,
        out: dict[str, list[Finding]],
        suppressed: set[str],
        at_least: float = 0.0,
        function_words: frozenset[str] = frozenset(),
    ) -> None:
        """The models' findings for the categories in ``out`` that no rule decided.
        ``at_least`` raises every threshold to it, and ``function_words`` are never
        shown as a reason besides the Swedish ones (a comment in another language)."""
        if self.model is None:
            return
        scored = self.model.score(doc.norm.text, doc.markers)
        contributions: Contributions | None = None
        for k, category in enumerate(self.model.categories):
            veto = self.model.vetoes.get(category)
            if out.get(category) and veto is not None and scored.probabilities[category] < veto:
                # The rule read the form ("?" at the end, a price, "jag har hört"); the
                # model, which read the whole comment, is nearly sure it is wrong.
                out[category] = []
                continue
            if category not in out or out[category] or category in suppressed:
                continue
            threshold = self.model.thresholds.get(category)
            p = scored.probabilities[category]
            if threshold is None or p < max(threshold, at_least):
                continue
            guard = _MODEL_GUARDS.get(category)
            if guard is not None and guard(doc):
                continue
            if category == "spam" and self._spam_only_by_public_links(doc, threshold):
                continue
            if contributions is None:
                contributions = self.model.contributions(scored, doc.norm.text)
            spans = self._explaining_spans(doc, contributions, k, function_words=function_words)
            if not spans:
                # Nothing but function words pushed the score up: not a reason an
                # editor could check, so no finding.
                continue
            words = [doc.slice(s, e) for s, e in spans]
            explanation = (
                f"Modellen bedömer texten som {MODEL_PHRASE_SV[category]}, "
                f"främst på grund av {_quote_list(list(dict.fromkeys(words)))}."
            )
            out[category].append(
                self._finding(doc, category, "model", p, spans, explanation, f"{category}.model")
            )

    def _spam_only_by_public_links(self, doc: _Doc, threshold: float) -> bool:
        """Whether the spam model scores the comment as spam only for its links to public
        bodies' sites: read again without them, it is under the threshold.  The words
        around the links still count ("FÖLJ MIG FÖLJ MIG https://www.1177.se" stays), and
        a rest with a way to reach someone (a phone number, an e-mail address, a domain the
        link pattern does not know) is never let through.  Two plain words or fewer are only
        what points at the link: the model's score of "Här:" or "Info:" alone (0.73 and
        0.74) is no reading an editor could check."""
        if self.model is None or not doc.urls or not all(doc.to_public_bodies()):
            return False
        rest, end = [], 0
        for start, stop in doc.urls:
            rest.append(doc.original[end:start])
            end = stop
        rest.append(doc.original[end:])
        remainder = " ".join(rest)
        if _REACH.search(remainder):
            return False
        words = normalize(remainder).text
        if len(words.split()) <= 2:
            return True
        return self.model.score(words).probabilities["spam"] < threshold

    @staticmethod
    def _explaining_spans(
        doc: _Doc,
        contributions: Contributions,
        k: int,
        top: int = 3,
        function_words: frozenset[str] = frozenset(),
    ) -> list[tuple[int, int]]:
        """The content words that raised category ``k``'s logit most, strongest first.

        A unit (a whitespace-separated word with its punctuation) counts by
        its whole contribution, but its span covers only its content words:
        stopwords (``langdata/sv.txt``) are never shown as a reason, and a
        unit made only of them is skipped.
        """
        column = contributions.logits[:, k].tolist()  # Python floats: no numpy scalar per look
        order = sorted(range(len(column)), key=lambda i: (-column[i], i))
        spans: list[tuple[int, int]] = []
        for i in order:
            if column[i] <= 0.0 or len(spans) == top:
                break
            start, end = contributions.units[i]
            norm = doc.norm.text
            masked = _MASKED_WORD.search(norm, start, end) if "*" in norm[start:end] else None
            if masked is not None and any(c.isalpha() for c in masked.group()):
                # "i***t" is read as the word it hides; its letters alone ("i", "t") are
                # function words or nothing.
                span = doc.norm.to_original(*masked.span())
            else:
                content = [
                    (a, b)
                    for w, a, b in contributions.words[i]
                    if is_content_word(w) and w not in function_words and norm[a - 1 : a] != ":"
                ]
                if not content:
                    continue
                span = doc.norm.to_original(content[0][0], content[-1][1])
            if span[1] > span[0] and span not in spans:
                spans.append(span)
        return spans

    def explain(self, text: str, category: str) -> list[tuple[int, int]]:
        """The content words of ``text`` that push the linear model towards ``category`` most,
        whatever its score: an explanation for a finding another model made (a municipality's
        own model answers with a score, not with words)."""
        if self.model is None or category not in self.model.categories:
            return []
        doc = self._analyse(text, normalize(text), {})
        scored = self.model.score(doc.norm.text, doc.markers)
        contributions = self.model.contributions(scored, doc.norm.text)
        return self._explaining_spans(doc, contributions, self.model.categories.index(category))

    # ------------------------------------------------------------------ entry point
    def detect(
        self,
        text: str,
        context: dict[str, object] | None = None,
        norm: Normalized | None = None,
        use_model: bool = True,
        typed: str | None = None,
    ) -> list[Finding]:
        """Findings for every text category that applies, unsorted.  ``typed`` is the comment
        as the visitor wrote it when ``text`` is its reading with å, ä and ö (same length):
        spans and explanations quote it."""
        norm = norm or normalize(text)
        language = detect_language(norm.text, self._swedish_words)
        if not language.is_swedish:
            parts = swedish_parts(norm.text, self._swedish_words)
            if not parts:
                return self._not_assessed(text, norm, context or {}, language, use_model)
            return self._partly_assessed(text, norm, context or {}, language, parts, use_model, typed)
        return self._assessed(text, norm, context or {}, use_model, typed)

    def _assessed(
        self, text: str, norm: Normalized, context: dict[str, object], use_model: bool, typed: str | None
    ) -> list[Finding]:
        """Findings for a text read as Swedish (every text category)."""
        doc = self._analyse(text, norm, context)
        if typed is not None:
            doc.typed = typed
        out: dict[str, list[Finding]] = {c: [] for c in TEXT_CATEGORIES}
        suppressed: set[str] = set()
        self._profanity(doc, out, suppressed)
        self._hate(doc, out, suppressed)
        self._harassment(doc, out, suppressed)
        self._sexual(doc, out)
        self._advertising(doc, out)
        self._spam(doc, out)
        self._party(doc, out)
        self._off_topic(doc, out)
        self._misinformation(doc, out)
        self._crime(doc, out)
        self._yaml_rules(doc, out)
        self._question(doc, out, suppressed)
        if out["spam"] and out["spam"][0].subtype in ("scam", "chain_letter", "clickbait", "engagement"):
            # A scam dressed as an offer is spam, not advertising for a real business.
            out["advertising"] = []
            suppressed.add("advertising")
        if out["individual_case"] and any(out[c] for c in ("advertising", "spam", "crime_material")):
            # An offer that mentions "bygglov" is not somebody's own case.
            out["individual_case"] = []
            suppressed.add("individual_case")
        if any(out[c] for c in _NON_SERVICE) or doc.rhetorical():
            # A question inside an advert, a hate comment or chatter about something
            # else is not a question the municipality has to answer.
            suppressed.add("question")
            if any(out[c] for c in _NON_SERVICE):
                out["question"] = []
        if use_model:
            self._model_findings(doc, out, suppressed)
            # A question inside what the models found to be off-topic chatter, an
            # advert, spam, hate or criminal material is no question the municipality
            # has to answer, as for the rules above: "Nån som har ett dragspel att
            # sälja?" asks other residents, "Trött på plogningen? Snöfixarna AB …"
            # sells (in train this took 130 false questions and no true one).
            if out["question"] and any(_withdraws_question(f) for c in _NON_SERVICE for f in out[c]):
                out["question"] = []
            if out["advertising"] and any(out[c] for c in ("crime_material", "sexual_content", "copyright")):
                # Forged papers, stolen goods, sex for pay or a pirated stream "DM för pris"
                # are offered, but no business advertises them: no train comment has
                # advertising with one of these, and out of fold over train the pair was 48
                # false advertising findings and 6 right ones.  As measured there, this
                # reads the final findings; the rules alone (which choose the thresholds)
                # keep theirs.
                out["advertising"] = []
            if _fault_report_not_hate(doc, out):
                # "Vi vill inte ha fler hål i vägen, laga dem nu": a fault report names a
                # place, not a group, whatever the model makes of "vill inte ha fler … dem"
                # (0.44 at threshold 0.40).  Out of fold over train (37,993 comments), not one
                # hate finding of the model came with an individual case, right or wrong; a
                # group word or a slur keeps the finding.
                out["hate_speech"] = []
        return [f for c in TEXT_CATEGORIES for f in out[c]]

    def _partly_assessed(
        self,
        text: str,
        norm: Normalized,
        context: dict[str, object],
        language: Language,
        parts: tuple[tuple[int, int], ...],
        use_model: bool,
        typed: str | None,
    ) -> list[Finding]:
        """A comment in another language with Swedish sentences: read those, mark the rest.

        "Jag ska döda dig, Sven. This is what I think about the new road …" is taken for
        English as a whole, and passing its threat unread would let padding hide anything.
        The Swedish sentences are read by every detector, in a copy of the comment with
        everything else blanked (so offsets and quotations stay the comment's own); the
        mark says which language the rest seems to be written in.
        """
        keep = [norm.to_original(s, e) for s, e in parts]
        read = _blanked_except(text, keep)
        findings = self._assessed(
            read,
            normalize(read),
            context,
            use_model,
            _blanked_except(typed, keep) if typed is not None else None,
        )
        doc = self._analyse(text, norm, context)
        if typed is not None:
            doc.typed = typed
        findings.append(
            self._language_mark(
                doc,
                language,
                "Delar av texten verkar vara skrivna på {language} ({words}). De delarna har inte "
                "bedömts i textkategorierna (till exempel hets, hot, personangrepp, reklam och frågor); "
                "textens svenska meningar har bedömts, och personuppgifter har kontrollerats i hela "
                "texten. En redaktör behöver läsa texten.",
            )
        )
        return findings

    def _language_mark(self, doc: _Doc, language: Language, sentence: str) -> Finding:
        """The finding that says which language the text (or part of it) seems to be in,
        quoting the words that say so; ``sentence`` has ``{language}`` and ``{words}`` slots."""
        spans = [doc.norm.to_original(s, e) for s, e in language.evidence] or [(0, len(doc.original))]
        words = list(dict.fromkeys(doc.slice(s, e) for s, e in spans))
        return self._finding(
            doc,
            "question",
            "language_not_assessed",
            0.6,
            spans,
            sentence.format(language=language.name_sv, words=_quote_list(words)),
            f"language.{language.code}",
        )

    def _not_assessed(
        self, text: str, norm: Normalized, context: dict[str, object], language: Language, use_model: bool
    ) -> list[Finding]:
        """A comment in another language: say so, and run only what does not read words.

        Lexicons, rules and models only know Swedish, so none of the text
        categories is judged; the finding tells the editor that somebody has
        to read the comment.  It is filed under ``question`` (subtype
        ``language_not_assessed``): a comment in Finnish or meänkieli in a
        bilingual municipality is as likely as any other to need an answer,
        and a question leads to a human reading it, never to removal.  Spam
        (whose lexicon has English phrases, and whose link checks read no
        words) is still checked here; personal data by ``classifiers.pii``
        as for every comment.
        """
        doc = self._analyse(text, norm, context)
        findings = [
            self._language_mark(
                doc,
                language,
                "Texten verkar vara skriven på {language} ({words}). Textkategorierna (till exempel "
                "hets, hot, personangrepp, reklam och frågor) har inte bedömts på det språket; "
                "personuppgifter, länkar och spam har kontrollerats. En redaktör behöver läsa texten.",
            )
        ]
        # Spam is mostly international (its lexicon has English phrases, and the
        # spam model learnt English spam from the corpus) and the link checks read
        # no words: all still run, the model only where it is all but sure, as it
        # was trained to read Swedish ("I know where you live" scores 0.65 as spam).
        out: dict[str, list[Finding]] = {c: [] for c in TEXT_CATEGORIES}
        self._spam(doc, out)
        if use_model and not out["spam"]:
            self._model_findings(
                doc, {"spam": out["spam"]}, set(), at_least=FOREIGN_SPAM_SCORE, function_words=OTHER_MARKERS
            )
        findings.extend(out["spam"])
        return findings

    def rule_categories(self, text: str, context: dict[str, object] | None = None) -> set[str]:
        """Categories decided by rules alone (used by training to pick thresholds)."""
        found = self.detect(text, context, use_model=False)
        return {f.category for f in found if f.subtype != "language_not_assessed"}


#: The writer calling themself names ("jag e en sån idiot, glömde soptunnan igen", "känner
#: mig som en fullkomlig dumbom", "kallade mig själv idiot"): nobody is attacked (writers
#: p, s and v, train).
_SELF_INSULT = re.compile(
    r"\b(?:jag|ja|jä)\s+(?:e|är|va|var|blev|känner\s+mig(?:\s+som)?)\s+"
    r"(?:(?:en|ett|så|sån|sådan|riktig|fullkomlig|total|himla|jäkla|jävla|jädra|stor|liten)\s+){0,3}$"
    r"|\b(?:mig|mej)\s+själv\s+(?:för\s+)?(?:en\s+)?$",
    re.IGNORECASE,
)


#: How people drive, likened: "där kör folk som dårar", "de kör som idioter" (writers e
#: and the team, train) says nothing about anyone in particular.
_DRIVES_LIKE = re.compile(r"\bk(?:ö|o)r(?:de|t|a|er)?\s+(?:\w+\s+)?som\s+$", re.IGNORECASE)


def _aimed_at_nobody(doc: _Doc, hit: _LexHit) -> bool:
    before = max(0, hit.start - 60)
    return (
        _SELF_INSULT.search(doc.original, before, hit.start) is not None
        or _DRIVES_LIKE.search(doc.original, before, hit.start) is not None
    )


def _is_person_word(index: LexiconIndex, word: str) -> bool:
    """Whether ``word`` names people ("svin" in "korrupta svin", "politiker")."""
    return any(e.lexicon in ("persons", "insults") for e in index.word_entries(word))


def _norm_span_before(doc: _Doc, original_start: int, word: str) -> tuple[int, int]:
    """Normalised span of ``word`` right before an original position."""
    text = doc.norm.text
    # Find the normalised index of the original position, then the word before it.
    idx = next((i for i, s in enumerate(doc.norm.starts) if s >= original_start), len(text))
    found = text.rfind(word, 0, idx)
    return (found, found + len(word)) if found >= 0 else (idx, idx)


@lru_cache(maxsize=65_536)
def _has_mash(word: str) -> bool:
    """Whether ``_gibberish`` finds anything in ``word``; remembered, words repeat."""
    return bool(_gibberish(word))


def _gibberish(text: str) -> list[tuple[int, int]]:
    """Keyboard mash: long words with almost no vowels ("asdkjhaskjdh")."""
    spans = []
    for m in _LONG_WORD.finditer(text):
        word = m.group()
        vowels = len(word) - len(word.translate(_WITHOUT_VOWELS))
        if vowels / len(word) <= 0.2:
            spans.append(m.span())
    return spans


def _fault_report_not_hate(doc: _Doc, out: dict[str, list[Finding]]) -> bool:
    """A model hate finding beside an individual case, with no group word and no slur."""
    return (
        bool(out["individual_case"])
        and any(f.subtype == "model" for f in out["hate_speech"])
        and not doc.lex("groups")
        and not doc.lex("slurs")
    )


def _withdraws_question(finding: Finding) -> bool:
    """Whether a non-service finding means the comment asks the municipality nothing."""
    return (
        finding.category != "off_topic"
        or finding.subtype != "model"
        or finding.score >= _OFF_TOPIC_TAKES_BACK_QUESTION
    )


def _too_short_for_off_topic(doc: _Doc) -> bool:
    """Small talk ("Fint väder idag!"): a few words are too little for the model
    to tell that a comment is about something else.  A theme word ("Heja
    Zlatan!") is still enough for the lexicon rule."""
    return len(_FEATURE_WORD.findall(doc.norm.text)) < _OFF_TOPIC_MIN_WORDS


def _incitement_guard(doc: _Doc) -> bool:
    return _only_idioms(doc.norm.text) or _only_lawful_recourse(doc.norm.text)


def _threat_guard(doc: _Doc) -> bool:
    return _incitement_guard(doc) or _asks_without_harm(doc.norm.text)


#: Praise said of someone ("Förskolläraren är en ängel", "Henrik är en riktig klippa"):
#: the model reads "X är en …" as an attack whatever follows (writer h, train).
_PRAISE = re.compile(
    r"\b(?:är|e)\s+(?:en|ett)\s+(?:riktig\s+|sån\s+|verklig\s+|sann\s+)?(?:ängel|klippa|stjärna|hjälte|eldsjäl|"
    r"kämpe|pärla|guldklimp|förebild|trygghet|snäll\s+jätte|trevlig|lugn|fantastisk|underbar|toppen)\b",
    re.IGNORECASE,
)
#: Friends making plans ("ses på föräldrafikan på torsdag 😂", "bjuder på kaffe").
_FRIENDLY = re.compile(r"\bses\s+(?:på|i|ikväll|imorgon)\b|\bbjuder\s+på\b", re.IGNORECASE)


def _praise_or_friendship(doc: _Doc) -> bool:
    """No harassment from the model in praise or among friends, unless an insult word is there
    too: out of fold over train, such comments were 40 of the model's false harassment
    findings and none of its right ones."""
    if doc.lex("insults"):
        return False
    text = doc.original
    return bool(_PRAISE.search(text) or _AFFECTION.search(text) or _FRIENDLY.search(text))


def _party_only_asked_about(doc: _Doc) -> bool:
    """Every party named in a question, and no word of voting or stance: "Hur
    röstade Centerpartiet om skatten?" asks for a fact, as the rule already
    reads it.  No party-political comment in train is of that kind (6 others
    are)."""
    parties = _party_mentions(doc)
    if not parties or doc.lex("stance", "vote") or doc.lex("stance", "attitude"):
        return False
    return all(_asked(doc.original, _sentence_around(doc.original, start)) for start, _ in parties)


def _link_at(text: str, span: tuple[int, int]) -> str:
    """The whole blank-separated piece of ``text`` a link was found in, without the
    punctuation around it: the link pattern stops at a domain ending it knows, so
    "1177.se.verifiera.top/login" and "1177.se-login.top" are found as "1177.se"."""
    starts, pieces = _pieces(text)
    start, end = pieces[bisect_right(starts, span[0]) - 1]  # a link holds no blank
    return text[start:end].strip("()[]<>«»\"'.,;:!?")


@lru_cache(maxsize=2)
def _pieces(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """The text's blank-separated pieces and where each begins, found once per text: a
    long comment without blanks may hold thousands of links, and walking out to the
    blanks from each one cost the square of its length (10,000 characters, 9 seconds)."""
    pieces = [m.span() for m in _PIECE.finditer(text)]
    return [start for start, _ in pieces], pieces


_PIECE = re.compile(r"\S+")


def _host_of(link: str) -> str | None:
    """The host a browser goes to ("https://www.1177.se/Kronoberg/" → "1177.se"); ``None``
    when the link has user information before its host ("https://www.1177.se:@evil.top",
    an e-mail address), which is how a link names one site and goes to another."""
    try:  # "http://[a" is no address: urlsplit and hostname refuse a broken IPv6 host
        parts = urlsplit(link if "://" in link else "http://" + link)
        host = parts.hostname
    except ValueError:
        return None
    if not host or "@" in parts.netloc:
        return None
    return host.removeprefix("www.")


def _own_sites(context: dict[str, object]) -> frozenset[str]:
    """The tenant's own sites, read off its own mailboxes ("kontaktcenter@vaxjo.se" →
    vaxjo.se).  A mailbox at a webmail provider names no site of the municipality's."""
    _, emails = own_contacts(context)
    domains = (email.rsplit("@", 1)[1].strip("<>.").lower() for email in emails if "@" in email)
    return frozenset(d for d in domains if "." in d and d not in _WEBMAIL)


def _to_public_body(link: str, sites: frozenset[str]) -> bool:
    """Whether a link goes to one of ``sites``: the site itself or a subdomain of it, not a
    name that only begins with one ("skatteverket.se.example.com", "1177.se-login.top")."""
    host = _host_of(link)
    return host is not None and any(host == site or host.endswith("." + site) for site in sites)


#: What keeps a category's model from deciding, asked only when its score is over
#: the threshold (most comments never reach one): violent idioms and lawful
#: recourse for threats and incitement, a question without harm for threats, a
#: few words for off-topic, a question about a party for party politics.
_MODEL_GUARDS: dict[str, Callable[[_Doc], bool]] = {
    "harassment": _praise_or_friendship,
    "threat": _threat_guard,
    "incitement": _incitement_guard,
    "off_topic": _too_short_for_off_topic,
    "party_political": _party_only_asked_about,
}


def _only_idioms(text: str) -> bool:
    if not any(stem in text for stem in _VIOLENT_STEMS):
        return False  # most comments: no violent verb, no search
    verbs = [m.span() for m in _VIOLENT.finditer(text)]
    if not verbs:
        return False
    idioms = [m.span() for m in _BENIGN_IDIOM.finditer(text)]
    return all(any(a <= s < b for a, b in idioms) for s, _ in verbs)


def _only_lawful_recourse(text: str) -> bool:
    return _LAWFUL_RECOURSE.search(text) is not None and _HARM.search(text) is None


def _asks_without_harm(text: str) -> bool:
    """A question or request to the municipality with no word of harm in it.

    "Kan ni ploga gatan så vi kommer ut" is a request; the threat model, which
    learned "vi kommer" from "vi kommer att hälsa på", scored it 0.99.  No threat
    in the train split asks something without a word of harm (0 of 315), while
    1,084 other comments do; the threat rules still run on such a text.
    """
    return asks(text) and _HARM.search(text) is None


def _runs(words: list[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    for w in words:
        if runs and runs[-1][0] == w:
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


def _canonical(text: str) -> str:
    return " ".join(squeeze(w) for w in re.findall(r"[^\W_]+", text))


def _party_mentions(doc: _Doc) -> list[tuple[int, int]]:
    """Parties named in full (lexicon) or by their letters ("S", "SD")."""
    parties = [(h.start, h.end) for h in doc.lex("parties")]
    return parties + [m.span() for m in _PARTY_ABBR.finditer(doc.original)]


def _asked(text: str, sentence: tuple[int, int]) -> bool:
    """Whether the sentence ``(start, end)`` of ``text`` ends with a question mark."""
    return text[sentence[1] - 1 : sentence[1]] == "?"


def _sentence_around(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(ch, 0, pos) for ch in ".!?\n") + 1
    ends = [i for i in (text.find(ch, pos) for ch in ".!?\n") if i != -1]
    end = min(ends) + 1 if ends else len(text)
    return start, end
