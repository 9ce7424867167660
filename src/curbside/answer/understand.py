"""Understand a free-text question: clean it, expand shorthand, find names, entities, facet and intent.

The facet is decided by ordered cue patterns, checked against the question with the matched
topic names blanked out (so "kidney" in "chronic kidney disease" is not read as a
kidney-impairment constraint).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property

from curbside.answer.model import Entities, Safety
from curbside.answer.safety import about_an_animal, detect_red_flags, looks_non_medical
from curbside.answer.text import STOPWORDS, clean_text, stem, upper_positions, words
from curbside.answer.vocabulary import NameMatch, Vocabulary, abbreviations, medical_terms

# Intents of the answer engine (issue 3) and the facets that map to each.
FACET_INTENT = {
    "management": "management",
    "first_line": "first_line",
    "second_line": "management",
    "later_lines": "management",
    "referral": "management",
    "expectations": "management",
    "pitfalls": "management",
    "algorithm": "management",
    "monitoring": "management",
    "diagnosis": "diagnosis",
    "symptoms": "diagnosis",
    "red_flags": "diagnosis",
    "interpretation": "interpretation",
    "definition": "definition",
    "causes": "definition",
    "prevention": "other",
    "dosing": "dosing",
    "switching": "dosing",
    "administration": "dosing",
    "renal": "constraints",
    "hepatic": "constraints",
    "pregnancy": "constraints",
    "older_adults": "constraints",
    "children": "constraints",
    "contraindications": "constraints",
    "comparison": "comparison",
    "adverse_effects": "other",
    "interactions": "other",
    "boxed_warning": "other",
    "indications": "other",
    "counselling": "other",
}


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Ordered: the first facet whose cue matches wins. Specific asks come before populations,
# populations before the broad "what is" / "how to treat".
FACET_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("red_flags", _rx(r"should i (be )?worr(y|ied)|do i need to worry|when (should|do|to|must|would) (i|we|you|he|she|they)?\s*(worry|be worried|go to|see|seek|call|get help)|"
                      r"warning signs?|red[- ]flags?|danger signs?|emergency|go to (the )?(er|a&e|hospital|emergency)|\ber\b visit|"
                      r"urgent care|when is it serious|is (this|it) serious|make (it|this) serious|\bdangerous\b|worrying|"
                      r"need (the|an?) (er|a&e|hospital|ambulance)|should (i|we) be worried|toxicity")),
    ("comparison", _rx(r"\bvs\.?\b|\bversus\b|compared? (to|with)|comparison|difference between|differ from|better than|"
                       r"\bor\b.{1,40}\b(better|safer|stronger|more effective|preferred)\b|which is (better|safer|stronger)|"
                       r"same (thing )?as\b|same drug")),
    ("boxed_warning", _rx(r"black[- ]box|boxed warning")),
    ("switching", _rx(r"\bswitch\w*|change (from|over|to)|changing (from|to)|convert\w* (from|to)|\bequivalent\b|cross[- ]?taper|"
                      r"instead of|replace \w+ with|transition\w* (from|to)")),
    ("administration", _rx(r"\bstop(ping)? (my|the|his|her|their)\b|get off\b|cold turkey|once (i |you )?open|how long .{0,25} good for|rescue inhaler|missed\b.{0,25}\b(dose|pill|tablet|capsule|injection)|forg[oe]t\w* (to take|a dose|my|her|his)|"
                           r"(best|what) time (of day )?to take|before or after (breakfast|food|meals?|eating)|open the capsule|"
                           r"\bcome off\b|coming off|stop(ping)? taking|\btaper\w*|\bwean\w*|"
                           r"with(out)? food|empty stomach|time of day|in the morning or|at night or|bedtime|crush|split|chew|"
                           r"how (do|should|can) (i|you|we|he|she) take|how to take|\bat once\b|double (up|dose)|two .{0,15} at once")),
    ("interactions", _rx(r"interact\w*|with alcohol|combined? with|while (on|taking)\b|on top of|glass of (wine|beer)|"
                         r"\b(wine|beer|alcohol|coffee|grapefruit)\b.{0,30}\bwith\b|drink(ing)? (alcohol|beer|wine)|\balcohol\b.{0,20}\b(with|on|while)\b|"
                         r"(take|taking|combine|combining|mix|mixing)\b.{1,40}\b(with|and|together)\b.{0,40}\b(safe|ok|okay|together)|"
                         r"together with|at the same time as|grapefruit")),
    ("pregnancy", _rx(r"pregnan\w*|\bpreg[a-z]{0,2}nt\b|\bpregnat\w*|breast[- ]?fe\w*|nursing (mother|mom)|\bnursing\b|lactat\w*|trimester|trying to conceive|"
                      r"\bttc\b|expecting a baby|while expecting")),
    ("renal", _rx(r"kidney|renal|\bckd\b|e?gfr|creatinine|dialysis|\bcr\b\s*(of|is|=)")),
    ("hepatic", _rx(r"\bliver\b|hepatic|cirrho\w*|fatty liver|hepatitis|nafld|masld|\blfts?\b|child[- ]pugh")),
    ("dosing", _rx(r"\bdos(e|es|age|ing)\b|how much (\w+ ){0,2}(should|can|do|to|is safe|per day|a day)|how many (mg|milligrams|"
                   r"tablets|pills|puffs|capsules)|titrat\w*|how many days|how long (should|do) (i|you|we|he|she) (take|give|treat)|"
                   r"max(imum)? (daily )?dose|how often (should|do|can|to) .{0,20}take|starting dose|uptitrat\w*")),
    ("adverse_effects", _rx(r"side[- ]?effects?|adverse|\bcause[sd]?\b.{0,30}\b(weight|hair|sleep|drows|insomnia|nause|"
                            r"dizz|tired|fatigue|cough|rash|diarrh|constipat|swelling|anxiety|headache|sexual)|"
                            r"make[s]? (me|you|her|him|them) (sleepy|tired|drowsy|gain|dizzy|sick|nauseous)|sleepiness|drowsiness|"
                            r"weight gain|hair loss|reaction to|safe (long[- ]term|to take for)|long[- ]term (use|effects)")),
    ("contraindications", _rx(r"(allergic|allergy) to\b|who (should|must|can) ?n[o']?t take|contraindicat\w*|(can'?t|cannot|shouldn'?t|should not) "
                              r"(take|use|be given)|not (be )?allowed to take|is it safe (for|if) (someone|a person|people) with")),
    ("interpretation", _rx(r"what (does|do|would|could) (a |an |my |the |her |his |this |these )?.{0,40}\b(mean|indicate|suggest|show)\b|"
                           r"\bmy (lab|labs|result|results|level|levels|reading|readings|test)\b|"
                           r"\b(is|are) (a |an |my |her |his |this )?.{0,30}\b(high|low|normal|elevated|abnormal|too high|too low)\b|"
                           r"\b(high|low|elevated|raised|abnormal|borderline)\b .{0,25}\b(level|levels|result|results|reading|count|value)\b|"
                           r"\binterpret\w*|\bresults? (of|show|came|is|was)")),
    ("first_line", _rx(r"\btreatment (for|of)\b|need (an )?antibiotics?\b|first[- ]?line|first choice|best (treatment|thing|way|option|medicine|drug|painkiller|remedy)s?\b|"
                       r"what helps|\binitially\b|to start with|initial (treatment|therapy|drug|management|medication)|"
                       r"(drug|medication|medicine|antibiotic|treatment|pill)s? of choice|start(ing)? (with|on)\b|"
                       r"best (initial |first )?(drug|medication|medicine|antibiotic|pill|treatment option)|"
                       r"(which|what) (drug|medication|medicine|antibiotic|pill|inhaler|cream|painkiller|tablet|remedy|remedie)s?\b|"
                       r"preferred (drug|treatment|agent)|what (should|do) (i|we|you) (prescribe|give|start)")),
    ("later_lines", _rx(r"third[- ]line|last resort|nothing (else )?(works|worked|has worked|helps|helped)|tried everything")),
    ("second_line", _rx(r"what next|what now|what (do|should) (i|we|they) (add|try) next|add next|what (do|should|can) (i|we|you) add\b|not working|"
                        r"(does ?n[o']t|did ?n[o']t|not|isn'?t|no) (get|getting|gets) better|(does ?n[o']t|did ?n[o']t|not|never) improv\w*|no better|does ?n[o']t (work|help)|did ?n[o']t (work|help)|isn'?t (working|helping)|fail(s|ed|ing)?\b|"
                        r"inadequate|second[- ]line|next step|add[- ]on|refractory|resistant|uncontrolled|despite|"
                        r"still (has|have|having|in pain|high)|no (improvement|response|relief)|"
                        r"\b(has|have|had|is|are|was|were)\s*n[o']?t\s+(worked|helped|controlled|been\s+working|been\s+helping|"
                        r"working|helping)\b|\b(has|have|had)\s+not\s+(worked|helped)\b|no\s+longer\s+(works?|helps?|working|helping)|"
                        r"stopped\s+(working|helping)|not\s+(been\s+)?controlled")),
    ("prevention", _rx(r"prevent\w*|screen(ing|ed)?\b|reduce (the |my |her |his )?risk|vaccin\w*|avoid getting|stop (it|them) from")),
    ("diagnosis", _rx(r"diagnos(e|es|is|ing|tic)\b|how (is|are|do you|to) .{1,30} diagnosed|work[- ]?up|\btests?\b|testing|investigat\w*|imaging|\bmri\b|x[- ]?ray|\bct\b|scan\b|"
                      r"blood (test|work)|\btested\b|confirm\w*|how (do|can|would) (i|you|we|doctors) (know|tell|confirm)|evaluat\w*|assess\w*")),
    ("referral", _rx(r"\brefer\w*|specialist|surgery|surgeon|operation|when (to|should (i|we)) see a")),
    ("pitfalls", _rx(r"why not (just )?(use|give|take|try|order)|is there any point|waste of|should (i|we|you) (get|order|avoid|not)|need (a|an) (repeat|routine|follow[- ]up) |"
                     r"is it (ok|okay|wise|appropriate) to (give|prescribe|use|order)|\bavoid\b|not (recommended|advised)|mistakes?|pitfalls?|"
                     r"unnecessary|what not to do|don'?ts?\b")),
    ("expectations", _rx(r"come back|recur\w*|live longer|how much (weight|benefit)|how (quickly|soon|fast)\b|how long|how (effective|well)|does .{1,40} work\b|chances?|prognos\w*|outlook|expect\w*|"
                         r"recover\w*|life expectancy|\bcur(e|ed|able)\b|go away|permanent")),
    ("monitoring", _rx(r"(partner|husband|wife|boyfriend|girlfriend)s? (need|to be|be) (treated|treating|tested|pills)|have sex again|re-?test\w*|test of cure|target (\w+ )?(level|range)s?|therapeutic (level|range)|monitor\w*|follow[- ]?up|how often .{0,30}(check|test|measure|seen)|re-?check")),
    ("children", _rx(r"\bchild(ren)?\b|\bkids?\b|toddler|infant|\bbaby\b|babies|p(a)?ediatric|newborn|adolescent|teen(ager)?s?\b|"
                     r"\b\d{1,2}[- ]?(month|mo)s?[- ]old|school[- ]age")),
    ("older_adults", _rx(r"elderly|older (adult|patient|person|people|man|woman|women|men)s?|geriatric|frail|"
                         r"over (65|70|75|80|85)|aged (65|70|75|80|85)\b|in (the )?old age|seniors?\b")),
    ("causes", _rx(r"\bcause[sd]?\b|why (do|does|did|am|is|are)|risk factors?|reasons? for|triggers?|how (do|does) (you|one|someone) get")),
    ("symptoms", _rx(r"symptoms?|signs? of|what (does|do) .{1,30} feel like|presentation|how (do|does) .{1,30} present")),
    ("indications", _rx(r"(used|prescribed|given|good) for\b|what (is|does) .{1,30} (treat|do)\b|indicat\w*|what is it for")),
    ("management", _rx(r"manag\w*|treat\w*|therapy|therapies|approach|what (to|should|can) (i|we|you)? ?do|help (with|for)|"
                       r"get rid|relie\w*|options?|remed\w*|how to (handle|fix|stop|deal)|plan\b|care for")),
    ("definition", _rx(r"^(what|whats|what's) (is|are)\b|\bdefin\w*|meaning of|\bstag(e|es|ed|ing)\b|classif\w*|types? of|"
                       r"\bgrad(e|es|ing)\b|criteria|categor\w*|what does .{1,30} stand for|explain")),
)

# Word endings of drug names (INN stems) and of disease and procedure terms: a question with one
# of these is medical even when no topic or listed term matches it. First the INN stems that only
# drug names end with ("losartan"): a word with one is a drug, known to us or not.
_DRUG_STEMS = ("sartan|pril|olol|statin|prazole|cillin|mycin|floxacin|dipine|semide|thiazide|parin|xaban|gatran|"
               "cycline|dronate|tropium|terol|lukast|gliptin|gliflozin|glutide|mab|nib|oxetine|triptan|afil|azepam|"
               "zolam|tidine|setron|profen|coxib")
_DRUG_SHAPE = _rx(rf"\b\w+({_DRUG_STEMS})\b")
# An allergy is something about the patient, not what the question asks about ("penicillin allergic, which antibiotic").
_ALLERGY_TO = _rx(rf"\b(allergic to|allergy to|intolerant of|intolerance to)\s+\w+({_DRUG_STEMS})s?\b|"
                  rf"\b\w+({_DRUG_STEMS})s?[- ](allergic|allergy|allergies|intolerant|intolerance)\b")
# Shorter drug stems that ordinary words share, and endings of disease and procedure terms.
_MEDICAL_SHAPE = _rx(
    rf"\b\w+({_DRUG_STEMS}|azole|vir|tide|sone|olone|barbital|caine|itis|osis|a?emia|oma|omas|pathy|algia|ectomy|"
    r"otomy|plasty|scopy|uria|cardia|plegia|trophy|iasis|philia|penia|cytosis|ectasis|rrhea|rrhoea|lysis|megaly)\b"
)

# Words that ask for the whole management plan, not one part of it.
BROAD_MANAGEMENT = _rx(r"manag\w*|approach|overall|plan\b|step[- ]by[- ]step|algorithm|pathway|guideline recommendations")
# The convention's tie-breaker (docs/routing-labels.md): "How is X treated?", "What are the treatment options for X?"
# ask for the whole plan, where "What is the treatment for X?" asks for the first line.
TREATMENT_OVERVIEW = _rx(r"^\s*(how (is|are) [^?]{1,60} (treated|managed)|how (do you|do we|should (i|we|you)|to) (treat|manage)|"
                         r"what (are|is) the (treatment|management|therapy) options|what treatments? (are|is) (there|available))\b")

_FOLLOWUP_START = _rx(r"^\s*(and|but|also|what if|what about|how about|and if|if|in|for|then|what else|any|same|does that|"
                      r"is that|is it|can (she|he|they|it)|should (she|he|they)|what (dose|dosage)|what next|and then|ok|okay|so)\b")
_PRONOUN = _rx(r"\b(she|he|they|her|him|his|it|that|this|them|those)\b")

_AGE = _rx(r"\b(\d{1,3})\s*(?:-|\s)?(?:y/?o\b|yrs?\b|years?(?:[- ]old)?\b|yo\b|year[- ]old\b|-year-old\b)|"
           r"\baged?\s*(\d{1,3})\b|\b(\d{1,3})\s*(?:m|f|male|female|man|woman)\b|\b(?:m|f)\s*(\d{1,3})\b")
_FEMALE = _rx(r"\b(she|her|woman|women|female|girl|lady|mother|mom|mum|wife|daughter|sister|\d{1,3}\s*f|old\s+f)\b|\bf\s*\d{1,3}\b|pregnan")
_MALE = _rx(r"\b(he|him|his|man|men|male|boy|father|dad|husband|son|brother|\d{1,3}\s*m|old\s+m)\b|\bm\s*\d{1,3}\b")
_LAB = _rx(r"\b(e?gfr|creatinine|\bcr\b|hba1c|a1c|tsh|free t4|ft4|potassium|\bk\+?|sodium|\bna\b|ldl|hdl|cholesterol|triglycerides|"
           r"ha?emoglobin|\bhb\b|hgb|ferritin|b12|vitamin d|inr|platelets?|alt|ast|psa|blood pressure|\bbp\b|glucose|"
           r"blood sugar|uric acid|urate|crp|esr|bmi|heart rate|oxygen|o2 sat\w*|spo2)\s*(?:level\s*)?(?:of|is|was|at|=|:|was only)?\s*"
           r"(\d{1,4}(?:\.\d+)?(?:\s*/\s*\d{2,3})?)\s*(%|mg/dl|mmol/l|mmol|mg|ml/min|miu/l|mu/l|ng/ml|g/dl|g/l|pg/ml|mmhg|kg/m2|bpm|"
           r"umol/l|µmol/l)?", )
_RENAL = _rx(r"kidney (disease|failure|impairment|problems?|function)|renal (failure|impairment|insufficiency|disease|function)|"
             r"\bckd\b|\besrd\b|dialysis|e?gfr\s*(of|is|=|:)?\s*\d|creatinine (of|is|=|:)?\s*\d|\bcr\b\s*(of|is|=)\s*\d")
_HEPATIC = _rx(r"liver (disease|failure|impairment|problems?|damage|cirrhosis)|fatty liver|cirrho\w*|hepatic (impairment|"
               r"failure|disease)|hepatitis|nafld|masld|nash|child[- ]pugh")
_PREGNANT = _rx(r"pregnan\w*|\bpreg[a-z]{0,2}nt\b|\bpregnat\w*|trimester|expecting a baby|\b\d{1,2}\s*weeks? (pregnant|gestation)|trying to conceive")
_BREASTFEEDING = _rx(r"breast[- ]?fe\w*|nursing|lactat\w*")


@dataclass(frozen=True)
class Query:
    """A question after `understand`: what the retrieve and compose stages work from."""

    text: str
    expanded: str
    normalized: str
    facet: str
    intent: str
    entities: Entities
    names: tuple[NameMatch, ...]
    safety: Safety | None
    medical: bool
    non_medical_cue: bool
    followup_like: bool
    background_drugs: tuple[str, ...] = ()  # drugs the person already takes
    cue_strength: str = "specific"  # "none": a default facet; "generic": only a broad "treat/help" cue
    unknown_drug: bool = False  # a drug-shaped word that no monograph recognised
    unknown_term: bool = False  # a disease- or drug-shaped word ("aspergillosis") the knowledge base never uses
    animal: bool = False  # the patient is an animal ("my dog has diarrhoea"): not ours to answer
    tokens: tuple[str, ...] = field(default=())
    masked: str = ""  # the words with recognised names blanked out ("_")

    @property
    def condition_ids(self) -> list[str]:
        return list(dict.fromkeys(m.topic_id for m in self.names if m.kind == "condition"))

    @cached_property
    def content_stems(self) -> frozenset[str]:
        """Stems of the question's words, stopwords left out: what lexical matching compares."""
        return frozenset(stem([t for t in self.tokens if t not in STOPWORDS]))

    @cached_property
    def with_generics(self) -> frozenset[str]:
        """The content stems plus the generic names of the brands it names ("Keppra": levetiracetam too), so
        that a brand matches the texts that use the generic."""
        return self.content_stems | frozenset(stem([t for t in words(self.normalized) if t not in STOPWORDS]))

    @property
    def search_terms(self) -> list[str]:
        """The question's words shown under "What was searched" (first 12 distinct, longer than 2 letters)."""
        return [t for t in dict.fromkeys(self.tokens) if len(t) > 2][:12]

    @property
    def drug_ids(self) -> list[str]:
        return list(dict.fromkeys(m.topic_id for m in self.names if m.kind == "drug"))


# Shorthand that is also an everyday word ("cradle cap", "sob"): expanded only when typed in capitals.
_WORD_SHORTHAND = frozenset({"cap", "sob", "ha", "pe", "ida", "aud", "cp"})


_LAST_WORD = re.compile(r"([A-Za-z][\w-]*)\W*$")


def expand_abbreviations(text: str, keep: frozenset[tuple[str, str]] = frozenset()) -> str:
    """Replace clinical shorthand (LBP, HTN, tx) with words. ``keep``: (word, shorthand) pairs that end a name
    (`Vocabulary.shorthand_in_names`): the DM of "Robitussin DM" is part of the brand, not diabetes."""
    table = abbreviations()

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        exp = table.get(word.lower())
        if exp is None or (word.lower() in _WORD_SHORTHAND and not word.isupper()):
            return word
        if keep:
            before = _LAST_WORD.search(text, 0, m.start())
            if before and (before.group(1).lower(), word.lower()) in keep:
                return word
        # keep upper-case lab names as typed; expand the rest
        return exp

    return re.sub(r"(?<![\w/-])[A-Za-z][A-Za-z0-9/+-]*(?![\w/])", repl, text)


def classify_facet(text: str, skip: frozenset[str] = frozenset()) -> str | None:
    """The first facet whose cue matches the text, or None."""
    for facet, cue in FACET_CUES:
        if facet not in skip and cue.search(text):
            return facet
    return None


def extract_entities(text: str, names: list[NameMatch]) -> Entities:
    """Age, sex, pregnancy, organ impairment, lab values, conditions and drugs."""
    ent = Entities(
        conditions=list(dict.fromkeys(m.topic_id for m in names if m.kind == "condition")),
        drugs=list(dict.fromkeys(m.topic_id for m in names if m.kind == "drug")),
    )
    for m in _AGE.finditer(text):
        value = next((g for g in m.groups() if g), None)
        if value and 0 < int(value) < 120:
            ent.age = int(value)
            break
    if _FEMALE.search(text):
        ent.sex = "female"
    elif _MALE.search(text):
        ent.sex = "male"
    ent.pregnant = bool(_PREGNANT.search(text))
    ent.breastfeeding = bool(_BREASTFEEDING.search(text))
    ent.renal_impairment = bool(_RENAL.search(text))
    ent.hepatic_impairment = bool(_HEPATIC.search(text))
    for m in _LAB.finditer(text):
        name = m.group(1).lower().replace("+", "")
        ent.labs.setdefault(name, (m.group(2) + (" " + m.group(3) if m.group(3) else "")).strip())
    return ent


def name_drugs(text: str, tokens: list[str], names: list[NameMatch], generic: dict[str, str]) -> str:
    """Spell misspelt drug names right and follow brand names with the generic: 'Buspar (buspirone)'."""
    for m in names:
        if m.kind != "drug" or m.topic_id not in generic:
            continue
        gen = generic[m.topic_id]
        typed = " ".join(tokens[m.start:m.end])
        if m.fuzzy or (m.end - m.start == 1 and difflib.SequenceMatcher(None, typed.lower(), gen.lower()).ratio() >= 0.75):
            text = re.sub(rf"\b{re.escape(typed)}\b", gen, text, count=1, flags=re.IGNORECASE)
        elif typed.lower() != gen.lower() and gen.lower() not in text.lower():
            pattern = r"\W+".join(re.escape(t) for t in tokens[m.start:m.end])
            text = re.sub(rf"\b{pattern}\b", lambda mt, g=gen: f"{mt.group(0)} ({g})", text, count=1, flags=re.IGNORECASE)
    return text


_ON = frozenset({"on", "taking", "takes", "using", "uses"})


def background_drugs(tokens: list[str], names: list[NameMatch]) -> tuple[str, ...]:
    """Drugs the person is already on ('on sertraline', 'taking my warfarin'), as topic ids."""
    out = []
    for m in names:
        if m.kind != "drug":
            continue
        before = tokens[max(0, m.start - 2) : m.start]
        if before and (before[-1] in _ON or (len(before) == 2 and before[0] in _ON and before[1] in ("my", "his", "her"))):
            out.append(m.topic_id)
    return tuple(dict.fromkeys(out))


def normalize_question(text: str, keep: frozenset[tuple[str, str]] = frozenset()) -> str:
    """The clean form of a question: shorthand expanded (``keep``: as in `expand_abbreviations`), capitalised,
    ending in '?'."""
    out = expand_abbreviations(text, keep).strip()
    out = re.sub(r"\s*\?+\s*$", "", out).rstrip(" .!")
    if not out:
        return out
    lower = out.lower()
    if re.match(r"(best|first[- ]line|preferred|recommended|optimal)\b", lower):
        out = "What is the " + out
    elif not re.match(r"(what|which|who|whom|whose|when|where|why|how|is|are|am|was|were|do|does|did|can|could|should|"
                      r"would|will|shall|may|might|must|has|have|had)\b", lower):
        if (len(words(out)) <= 8 and not re.search(r"\b(vs\.?|versus|or)\b", lower)
                and not re.match(r"(tell|give|explain|show|list|help|please|i|my|we|our|describe|compare)\b", lower)):
            if lower.startswith(("and ", "in ", "for ")):
                out = "What about " + out
            elif head := re.match(r"(side effects|symptoms|signs|causes|risks|benefits|treatment|dose|dosage|management|"
                                  r"diagnosis|prognosis|interactions|stages)\b", lower):
                out = ("What are the " if head.group(1).endswith("s") else "What is the ") + out
            else:
                out = "What is " + out
    out = re.sub(r"\bbest (treatment|tx|therapy) (of|for)?\s*", r"best \1 for ", out)
    out = re.sub(r"\s+", " ", out)
    return out[0].upper() + out[1:] + "?"


def _unknown_term(tokens: list[str], names: list[NameMatch], vocab: Vocabulary) -> bool:
    """Whether a word shaped like a disease, drug or procedure name is neither recognised nor in the KB's text."""
    named = {j for m in names for j in range(m.start, m.end)}
    return any(j not in named and t not in vocab.known_words and _MEDICAL_SHAPE.fullmatch(t)
               for j, t in enumerate(tokens))


def understand(question: str, vocab: Vocabulary) -> Query:
    """Read a question: names, entities, facet, intent, red flags, scope."""
    text = clean_text(question)
    expanded = expand_abbreviations(text, vocab.shorthand_in_names)
    tokens = words(expanded)
    names = vocab.match(tokens, upper_positions(expanded))
    # Blank out recognised names so their words don't read as cues ("kidney" in "chronic kidney disease").
    masked_tokens = list(tokens)
    for m in names:
        for j in range(m.start, m.end):
            masked_tokens[j] = "_"
    masked = " ".join(masked_tokens)
    cue = classify_facet(masked)
    if cue is None or (cue == "definition" and re.match(r"^(what|whats|what's) (is|are)\b", masked)):
        cue_strength = "none"
    elif cue == "management" and not BROAD_MANAGEMENT.search(masked):
        cue_strength = "generic"  # "treat", "help", "options": could still mean one part of the topic
    else:
        cue_strength = "specific"
    facet = cue or ("management" if names else "definition")
    followup_like = bool(_FOLLOWUP_START.search(text)) or (len(tokens) <= 8 and bool(_PRONOUN.search(text)))
    if facet in ("renal", "hepatic") and not names and not followup_like:  # the organ is the subject, not a constraint
        facet = classify_facet(masked, skip=frozenset({"renal", "hepatic"})) or "definition"
    if facet == "comparison" and len({m.topic_id for m in names}) < 2 and not re.search(r"\bvs\.?\b|versus|compar|differ|same", masked):
        facet = classify_facet(re.sub(r"\bor\b", " ", masked)) or "management"
    drug_names = {m.topic_id for m in names if m.kind == "drug"}
    background = background_drugs(tokens, names)
    if len(drug_names) >= 2 and background and facet in ("management", "definition", "contraindications", "dosing"):
        facet = "interactions"  # "I'm on sertraline, can I still use Imitrex?"
    if len(drug_names) >= 2 and facet not in ("interactions", "switching", "comparison"):
        if re.search(r"\bor\b|\bwhich\b", masked):
            facet = "comparison"
        elif re.search(r"\b(with|while|together|and|plus|alongside)\b", masked) and facet in (
                "management", "definition", "adverse_effects", "contraindications", "dosing"):
            facet = "interactions"
    safety = detect_red_flags(text)
    if safety is not None and facet in ("definition", "management", "symptoms"):
        facet = "red_flags"
    entities = extract_entities(expanded, names)
    stems = set(stem(tokens))
    content = [t for t in tokens if t not in STOPWORDS and len(t) > 2]
    medical = bool(names) or bool(stems & medical_terms()) or bool(entities.labs) or bool(_MEDICAL_SHAPE.search(expanded))
    return Query(
        text=text,
        expanded=expanded,
        normalized=normalize_question(name_drugs(text, tokens, names, vocab.generic), vocab.shorthand_in_names),
        facet=facet,
        intent=FACET_INTENT.get(facet, "other"),
        entities=entities,
        names=tuple(names),
        safety=safety,
        medical=medical,
        non_medical_cue=looks_non_medical(text) or not content,
        followup_like=followup_like,
        background_drugs=background,
        cue_strength=cue_strength if facet in ("management", "definition") else "specific",
        unknown_drug=not any(m.kind == "drug" for m in names) and bool(_DRUG_SHAPE.search(_ALLERGY_TO.sub(" ", expanded))),
        unknown_term=_unknown_term(tokens, names, vocab),
        animal=about_an_animal(text),
        tokens=tuple(tokens),
        masked=masked,
    )
