"""The risk matrix: likelihood × impact (each 1–5) gives a score 1–25 and a level.

    score  1–4   低 low
    score  5–9   中 medium
    score 10–16  高 high
    score 20–25  极高 critical

(Scores 17–19 cannot occur: no two numbers from 1 to 5 multiply to them.)
"""

from .choices import RiskLevel


def risk_score(likelihood: int, impact: int) -> int:
    if not (1 <= likelihood <= 5 and 1 <= impact <= 5):
        raise ValueError("likelihood and impact are 1–5")
    return likelihood * impact


def risk_level(likelihood: int, impact: int) -> RiskLevel:
    score = risk_score(likelihood, impact)
    if score <= 4:
        return RiskLevel.LOW
    if score <= 9:
        return RiskLevel.MEDIUM
    if score <= 16:
        return RiskLevel.HIGH
    return RiskLevel.CRITICAL
