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
        "(anaphylaxis). Use an adrenaline (epinephrine) auto-injector if one is available, then " + EMERGENCY_CALL[0].lower()
        + EMERGENCY_CALL[1:],
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
        "fever in a young baby",
        "urgent",
        _rx(r"(newborn|new born|neonate|\b[0-9]\s*(week|wk)s?[- ]old|\b[0-2]\s*months?[- ]old).{0,60}(fever|temperature|hot)|"
            r"(fever|temperature).{0,60}(newborn|\b[0-9]\s*(week|wk)s?[- ]old|\b[0-2]\s*months?[- ]old)"),
        "A young baby (under 3 months) with a fever needs to be checked by a doctor urgently, the same day."
        " If the baby is floppy, hard to wake, has a rash that does not fade or is "
        "breathing with difficulty, " + EMERGENCY_CALL[0].lower() + EMERGENCY_CALL[1:],
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


def looks_non_medical(text: str) -> bool:
    """True when the question contains a clear non-medical subject cue (used only when no medical term matched)."""
    return bool(_NON_MEDICAL.search(text))
