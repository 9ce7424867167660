"""Safety: red-flag presentations that must lead with an urgent-care message, and scope checks.

The red-flag rules are deliberately simple, readable patterns: a false alarm costs a banner,
a miss can cost a life. Each rule names the presentation it detects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from curbside.answer.model import Safety

EMERGENCY_CALL = (
    "Call your local emergency number (911 in the US, 999 in the UK, 112 in the EU) or go to the "
    "nearest emergency department now."
)
THEN_CALL = EMERGENCY_CALL[0].lower() + EMERGENCY_CALL[1:]  # the same, after "..., then" or "If ..., "


@dataclass(frozen=True)
class RedFlagRule:
    name: str
    level: str  # "emergency" | "urgent"
    pattern: re.Pattern[str]
    message: str
    requires: re.Pattern[str] | None = None  # context that must also be present


def _rx(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


_BACK = _rx(r"\bback\b|\bspine\b|\bspinal\b|\blumbar\b|\bsciatica\b|\blbp\b|\bleg pain\b")

RED_FLAG_RULES: tuple[RedFlagRule, ...] = (
    RedFlagRule(
        "possible cauda equina syndrome",
        "emergency",
        _rx(
            r"saddle\s*(an(a)?esthesia|numbness|area)|numb(ness)?\s+(in|around|of)\s+(the\s+)?(groin|genitals?|buttocks?|"
            r"perineum|bottom|saddle)|(can'?t|cannot|unable to|difficulty|trouble|problems?)\s+(to\s+)?(pee|urinat\w*|"
            r"passing urine|pass urine|emptying (my|the|his|her) bladder)|urinary retention|loss of (bladder|bowel)\s*"
            r"(control|function)?|(bladder|bowel|fa?ecal|urinary)\s+incontinence|new incontinence|wet (myself|himself|herself)|"
            r"(both|bilateral)\s+legs?\s+(weak|numb)|sexual dysfunction"
        ),
        "Back pain with numbness around the genitals or buttocks, new problems passing urine or controlling the "
        "bladder or bowel, or weakness in both legs can mean cauda equina syndrome, which needs emergency "
        "assessment and MRI within hours. " + EMERGENCY_CALL,
        requires=_BACK,
    ),
    RedFlagRule(
        "possible heart attack or acute coronary syndrome",
        "emergency",
        _rx(
            r"chest\s+(pain|pressure|tightness|heaviness|discomfort)|crushing\s+(chest|pain)|pain\s+(radiating|spreading|"
            r"going)\s+(to|down|into)\s+(the\s+|my\s+|his\s+|her\s+)?(left\s+)?(arm|jaw|neck)|heart attack"
        ),
        "Chest pain or pressure, especially spreading to the arm, jaw or neck or with breathlessness, sweating or "
        "nausea, can be a heart attack. " + EMERGENCY_CALL + " Do not drive yourself.",
    ),
    RedFlagRule(
        "possible stroke",
        "emergency",
        _rx(
            r"(face|facial)\s+(droop|drooping|is drooping|numb)|slurred\s+speech|(sudden|suddenly)\s+(\w+\s+){0,3}"
            r"(weak|weakness|numb|numbness|confus\w*|vision loss|loss of vision|can'?t (speak|talk|see)|trouble (speaking|"
            r"talking|walking|seeing))|one[- ]sided\s+(weakness|numbness)|(weakness|numbness)\s+(on|of)\s+one\s+side|"
            r"worst headache of (my|his|her|their) life|thunderclap headache|stroke symptoms"
        ),
        "Sudden face drooping, arm or leg weakness, speech trouble, vision loss or the worst headache of your "
        "life can be a stroke or bleeding in the brain; every minute counts. " + EMERGENCY_CALL,
    ),
    RedFlagRule(
        "suicidal thoughts or self-harm",
        "emergency",
        _rx(
            r"suicid\w*|kill(ing)?\s+(my|him|her|them)sel(f|ves)|end(ing)?\s+(my|his|her|their)\s+(own\s+)?life|"
            r"want(s|ed)?\s+to\s+die|self[- ]?harm\w*|hurt(ing)?\s+(my|him|her)self|cut(ting)?\s+(my|him|her)self|"
            r"overdos\w*|took\s+(too\s+many|a\s+(lot|bunch|bottle)\s+of|all\s+(my|the|his|her))\s+(\w+\s+)?(pills|tablets|meds)|"
            r"no\s+reason\s+to\s+live|better\s+off\s+dead"
        ),
        "If you or someone else may act on thoughts of suicide or self-harm, or has taken an overdose, get help "
        "now: " + EMERGENCY_CALL + " In the US you can call or text 988 (Suicide & Crisis Lifeline); in the UK call "
        "Samaritans on 116 123.",
    ),
    RedFlagRule(
        "possible anaphylaxis",
        "emergency",
        _rx(
            r"anaphyla\w*|(throat|tongue|lips?)\s+(is\s+|are\s+)?(closing|swelling|swollen)|swollen\s+(throat|tongue|lips?)|"
            r"(can'?t|cannot|struggling to|hard to)\s+breathe?\b|difficulty\s+breathing|trouble\s+breathing"
        ),
        "Swelling of the lips, tongue or throat, or difficulty breathing can be a severe allergic reaction "
        "(anaphylaxis). Use an adrenaline (epinephrine) auto-injector if one is available, then " + THEN_CALL,
    ),
    RedFlagRule(
        "possible meningitis or sepsis",
        "emergency",
        _rx(
            r"stiff\s+neck.{0,40}fever|fever.{0,40}stiff\s+neck|(rash|spots).{0,30}(does\s*n[o']t|doesn'?t|won'?t)\s+fade|"
            r"non[- ]blanching|purple\s+(rash|spots)|sepsis|septic"
        ),
        "Fever with a stiff neck, a rash that does not fade under a pressed glass, confusion or a very unwell "
        "person can be meningitis or sepsis. " + EMERGENCY_CALL,
    ),
    RedFlagRule(
        "serious bleeding",
        "emergency",
        _rx(
            r"(vomit\w*|throw\w*\s+up|coughing\s+up)\s+blood|black,?\s+(tarry\s+)?(stool|poo|poop)s?|"
            r"blood\s+in\s+(my|his|her)?\s*vomit|bleeding\s+(that\s+)?(won'?t|will not|does\s*n[o']t)\s+stop|heavy\s+bleeding.{0,30}pregnan"
        ),
        "Vomiting or coughing up blood, black tarry stools, or bleeding that will not stop need urgent "
        "assessment. " + EMERGENCY_CALL,
    ),
    RedFlagRule(
        "possible agranulocytosis on an antithyroid drug",
        "urgent",
        _rx(r"sore\s+throat|fever|temperature|mouth\s+ulcers?|ulcers?\s+in\s+(my|his|her|the)\s+mouth|high\s+temp"),
        "A fever, sore throat or mouth ulcers while taking carbimazole, methimazole or propylthiouracil can mean a "
        "dangerously low white cell count (agranulocytosis). Stop the tablets and get an urgent blood count, the same day.",
        requires=_rx(r"carbimazole|methimazole|thiamazole|propylthiouracil|\bptu\b|neo[- ]?mercazole|tapazole"),
    ),
    RedFlagRule(
        "sudden hearing loss",
        "urgent",
        _rx(r"sudden(ly)?\s+(\w+\s+){0,4}(hearing\s+loss|lost\s+(\w+\s+){0,2}hearing|deaf\w*|can'?t\s+hear)|"
            r"(lost|losing|lose)\s+(the\s+|my\s+|his\s+|her\s+|all\s+)?hearing\s+(\w+\s+){0,3}(suddenly|overnight|this\s+morning|"
            r"today|yesterday|all\s+at\s+once)|(went|gone|going)\s+deaf\s+(\w+\s+){0,3}(suddenly|overnight|this\s+morning|today)|"
            r"woke\s+up\s+(\w+\s+){0,3}(deaf|(can'?t|cannot|could\s*n'?t)\s+hear)"),
        "Hearing loss that comes on suddenly, over hours to a few days, especially in one ear, needs to be assessed "
        "by a doctor the same day.",
    ),
    RedFlagRule(
        "possible heat stroke",
        "emergency",
        _rx(r"(heat|hot\s+(day|weather|sun)|heatwave|sauna).{0,80}(collaps\w*|confus\w*|passed\s+out|"
            r"unconscious|seizure|fit(ting)?\b|not\s+making\s+sense|delirious)|(collaps\w*|confus\w*|passed\s+out|unconscious|"
            r"seizure).{0,80}(in\s+the\s+heat|heatwave|hot\s+(day|weather|sun))"),
        "Confusion, odd behaviour, collapse or a seizure in someone who is hot, during or after exertion or in a "
        "heatwave, can be heat stroke. Start cooling them straight away (cold water, wet cloths, fanning, shade) and "
        + THEN_CALL,
    ),
    RedFlagRule(
        "possible quinsy or deep neck infection",
        "urgent",
        _rx(r"quinsy|peritonsillar|(one|1)[- ]sided\s+(throat|tonsil)|one\s+side\s+of\s+(my|his|her|their|the)\s+throat|"
            r"(can'?t|cannot|unable\s+to|hard\s+to|struggl\w*\s+to)\s+(open\s+(my|his|her|their|the)\s+mouth|swallow\s+"
            r"(my|his|her|their)\s+(own\s+)?(saliva|spit))|drooling|muffled\s+voice|hot\s+potato\s+voice|trismus"),
        "A sore throat with swelling on one side, trouble opening the mouth, drooling or a muffled voice can be an "
        "abscess beside the tonsil (quinsy) or a deeper neck infection and needs hospital assessment the same day. "
        "If breathing is difficult, " + THEN_CALL,
        requires=_rx(r"throat|tonsil|swallow|mouth|neck|quinsy|peritonsillar"),
    ),
    RedFlagRule(
        "possible testicular torsion",
        "emergency",
        _rx(r"torsion|sudden(ly)?\s+(\w+\s+){0,3}(pain|ache|swelling)\s+(\w+\s+){0,3}(testic\w*|testes|testis|scrot\w*|balls?|nuts?)\b|"
            r"(testic\w*|testes|testis|scrot\w*|balls?)\s+(\w+\s+){0,3}(pain|hurts?|ache)\s+(\w+\s+){0,3}(suddenly|came\s+on\s+suddenly|"
            r"all\s+of\s+a\s+sudden|woke\s+(me|him)\s+up)"),
        "Sudden, severe pain in a testicle can be testicular torsion, which needs surgery within hours to save the "
        "testicle; do not wait for a scan. " + EMERGENCY_CALL,
        requires=_rx(r"testic\w*|testes|testis|scrot\w*|\bballs?\b|\bnuts?\b|groin"),
    ),
    RedFlagRule(
        "possible ectopic pregnancy",
        "emergency",
        _rx(r"ectopic|shoulder[- ]tip|(pain|cramps?|cramping)\s+(on|in)\s+one\s+side|one[- ]sided\s+(\w+\s+){0,2}(pain|cramps?)|"
            r"(severe|sharp|stabbing|intense|agonising|agonizing)\s+(\w+\s+){0,2}(tummy|abdominal|belly|stomach|pelvic|lower\s+abdo\w*)\s+"
            r"(pain|cramps?)|faint\w*|passed\s+out|collaps\w*"),
        "Pain on one side of the lower tummy, shoulder-tip pain, dizziness or fainting, or heavy bleeding in early "
        "pregnancy can be an ectopic pregnancy or serious bleeding. " + EMERGENCY_CALL,
        requires=_rx(r"pregnan\w*|missed\s+(my\s+|a\s+|her\s+)?period|period\s+is\s+late|late\s+period|positive\s+(pregnancy\s+)?test|"
                     r"\b\d{1,2}\s+weeks?\s+(pregnant|gone|along)"),
    ),
    RedFlagRule(
        "head injury on a blood thinner",
        "urgent",
        _rx(r"(hit|hitting|bang\w*|bump\w*|knock\w*|injur\w*|struck|fell\s+on)\s+(\w+\s+){0,3}head|head\s+(injury|trauma|knock|bump)|"
            r"concuss\w*"),
        "A head injury in someone taking an anticoagulant blood thinner needs a hospital assessment and usually a "
        "CT scan within 8 hours, even if they feel well.",
        requires=_rx(r"warfarin|coumadin|apixaban|eliquis|rivaroxaban|xarelto|dabigatran|pradaxa|edoxaban|lixiana|savaysa|"
                     r"anticoagula\w*|blood[- ]thinner|\bdoac\b|\bnoac\b|heparin|enoxaparin"),
    ),
    RedFlagRule(
        "fever in a young baby",
        "urgent",
        _rx(r"(newborn|new born|neonate|\b[0-9]\s*(week|wk)s?[- ]old|\b[0-2]\s*months?[- ]old).{0,60}(fever|temperature|hot)|"
            r"(fever|temperature).{0,60}(newborn|\b[0-9]\s*(week|wk)s?[- ]old|\b[0-2]\s*months?[- ]old)"),
        "A young baby (under 3 months) with a fever needs to be checked by a doctor urgently, the same day."
        " If the baby is floppy, hard to wake, has a rash that does not fade or is "
        "breathing with difficulty, " + THEN_CALL,
    ),
)


# Knowledge-base topics whose red-flag sections describe each presentation (first one present is used).
RULE_TOPICS: dict[str, tuple[str, ...]] = {
    "possible cauda equina syndrome": ("acute-low-back-pain", "sciatica", "chronic-low-back-pain"),
    "possible heart attack or acute coronary syndrome": ("stable-angina",),
    "possible stroke": ("stroke-prevention",),
    "suicidal thoughts or self-harm": ("depression",),
    "possible anaphylaxis": ("urticaria",),
    "possible meningitis or sepsis": ("fever-in-children",),
    "fever in a young baby": ("fever-in-children",),
    "possible agranulocytosis on an antithyroid drug": ("hyperthyroidism",),
    "sudden hearing loss": ("tinnitus",),
    "possible heat stroke": ("heat-illness",),
    "possible quinsy or deep neck infection": ("sore-throat",),
    "possible testicular torsion": ("testicular-pain",),
    "possible ectopic pregnancy": ("miscarriage",),
    "head injury on a blood thinner": ("concussion",),
}


def detect_red_flags(text: str) -> Safety | None:
    """An urgent-care message when the question describes a red-flag presentation, else None."""
    hits = [rule for rule in RED_FLAG_RULES if rule.pattern.search(text) and (rule.requires is None or rule.requires.search(text))]
    if not hits:
        return None
    level = "emergency" if any(r.level == "emergency" for r in hits) else "urgent"
    message = " ".join(dict.fromkeys(r.message for r in hits))
    return Safety(level=level, message=message, matched=[r.name for r in hits])


_NON_MEDICAL = _rx(
    r"\b(recipe|bake|baking|cook(ing)?|weather|forecast|stock|stocks|bitcoin|crypto|football|soccer|basketball|"
    r"baseball|movie|film|song|lyrics|poem|capital of|president|election|python|javascript|code|coding|program(ming)?|"
    r"compile|sql|excel|bicycle|bike|puncture|repair|garden|furniture|phone|laptop|computer|wifi|password|joke|jokes|riddle|story|stories|hello|hi there|who are you|spreadsheet|car|engine oil|tyre|tire|flight|hotel|vacation|holiday|translate|homework|"
    r"math|equation|population of|who won|world cup|tax|taxes|mortgage|loan|invest|investment|resume|job interview)\b"
)


_ANIMALS = r"(dog|dogs|puppy|pup|cat|cats|kitten|pet|horse|pony|rabbit|bunny|hamster|guinea\s+pig|parrot|budgie|ferret|cow|sheep|goat)"
_ABOUT_AN_ANIMAL = _rx(
    rf"\b(my|our|the|his|her|their)\s+{_ANIMALS}('s|s')?\s+(has|have|had|is|was|keeps|kept|ate|eaten|swallowed|threw|"
    r"vomit\w*|won'?t|seems|got|gets|diarrh\w*|ear|ears|eye|eyes|skin|paw|paws|fur|coat|stool|poo|poop|tummy|teeth|gums)\b|"
    rf"\b(vet|vets|veterinar\w*)\b|\b(for|give|giving|gave|treat)\s+(my|our|a|the)\s+{_ANIMALS}\b(?!\s*(bite|bites|bit|scratch\w*|lick\w*))"
)


def about_an_animal(text: str) -> bool:
    """True when the patient is an animal ("my dog has diarrhoea", "can I give my cat paracetamol"): curbside's
    sources are about people, and their doses and advice can harm a pet. A person bitten or scratched by an
    animal is still our patient."""
    return bool(_ABOUT_AN_ANIMAL.search(text))


def looks_non_medical(text: str) -> bool:
    """True when the question contains a clear non-medical subject cue (used only when no medical term matched)."""
    return bool(_NON_MEDICAL.search(text))
