"""Checking report values: one cell at a time (type, sign, bounds) and across indicators
(the period's validation rules). Shared by the web form, the autosave endpoint and the
Excel import, so a rule lives here once."""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _


class ValueProblem(ValueError):
    """`str(problem)` is the Vietnamese message for the user."""


def parse_number(indicator, raw) -> int | None:
    """The integer value of `raw` for a quantitative indicator, None when empty.

    Accepts ints, integral floats (LibreOffice and Excel store 12 as 12.0 sometimes) and
    text digits with Vietnamese thousands separators ("1.250", "1 250"); raises ValueProblem.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueProblem(_("Giá trị phải là một số nguyên."))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise ValueProblem(_("Giá trị phải là số nguyên (không có phần thập phân)."))
        value = int(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if text.startswith("="):
            raise ValueProblem(_("Ô chứa công thức; vui lòng nhập trực tiếp giá trị số."))
        if text.count(".") >= 1 and all(len(part) == 3 for part in text.lstrip("-").split(".")[1:]):
            text = text.replace(".", "")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueProblem(_("“%(raw)s” không phải là số.") % {"raw": str(raw)[:40]}) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueProblem(_("Giá trị phải là số nguyên (không có phần thập phân)."))
        value = int(number)
    if value < 0:
        raise ValueProblem(_("Giá trị không được là số âm."))
    if value < indicator.min_value or value > indicator.max_value:
        raise ValueProblem(
            _("Giá trị phải nằm trong khoảng từ %(min)s đến %(max)s.")
            % {"min": f"{indicator.min_value:,}".replace(",", "."), "max": f"{indicator.max_value:,}".replace(",", ".")}
        )
    return value


MAX_TEXT = 20_000


def parse_text(indicator, raw) -> str:
    if raw is None:
        return ""
    text = str(raw).strip()
    if text.startswith("="):
        raise ValueProblem(_("Ô chứa công thức; vui lòng nhập văn bản thường."))
    if len(text) > MAX_TEXT:
        raise ValueProblem(_("Nội dung quá dài (tối đa %(n)s ký tự).") % {"n": MAX_TEXT})
    return text


def parse_value(indicator, raw):
    return parse_text(indicator, raw) if indicator.is_narrative else parse_number(indicator, raw)


def rule_problems(rules: Iterable, numbers: Mapping[str, int | None]) -> dict[str, str]:
    """{left code: message} for every rule broken by `numbers` (code → value). A rule whose
    operands are not all filled is not checked yet (completeness catches empty values)."""
    problems: dict[str, str] = {}
    for rule in rules:
        codes = [rule.left, *rule.right_codes]
        if any(code not in numbers or numbers[code] is None for code in codes):
            continue
        left = numbers[rule.left]
        right = sum(numbers[code] for code in rule.right_codes)
        if rule.when_right_positive and right <= 0:
            continue
        broken = left > right if rule.operator == "lte" else left < right
        if broken:
            problems.setdefault(rule.left, rule.message)
    return problems


def missing_required(indicators: Iterable, filled_codes: set[str]) -> list:
    """Required indicators without a value (0 is a value; empty is not)."""
    return [ind for ind in indicators if ind.required and ind.code not in filled_codes]
