"""Field checks of the registry: the INN control digits and the website address.

The INN (ИНН) check follows the Federal Tax Service algorithm: each control digit is the
weighted sum of the preceding digits modulo 11, then modulo 10 (so a remainder of 10 gives 0).
A 10-digit INN (legal entity) has one control digit, a 12-digit INN (individual) has two.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError

INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def inn_control_digit(digits: str, weights: tuple[int, ...]) -> int:
    """The control digit for ``digits`` (as many as ``weights``): sum(w × d) mod 11 mod 10."""
    return sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11 % 10


def inn_error(value: str) -> str | None:
    """Why ``value`` is not a valid INN, in Russian, or None when it is valid."""
    if not value.isdigit() or len(value) not in (10, 12):
        return "ИНН должен состоять из 10 или 12 цифр"
    if len(value) == 10:
        ok = inn_control_digit(value[:9], INN10_WEIGHTS) == int(value[9])
    else:
        ok = (
            inn_control_digit(value[:10], INN11_WEIGHTS) == int(value[10])
            and inn_control_digit(value[:11], INN12_WEIGHTS) == int(value[11])
        )
    return None if ok else "неверное контрольное число ИНН"


def validate_inn(value: str) -> None:
    """Django validator: 10 or 12 digits with correct control digits."""
    error = inn_error(value)
    if error is not None:
        raise ValidationError(error, code="inn")


def normalize_website(value: str) -> str:
    """``Example.RU/about`` -> ``https://example.ru/about``; '' stays ''.

    Adds ``https://`` when the scheme is missing, lower-cases scheme and host and drops a bare
    trailing slash, so the same site is always stored the same way.
    """
    value = value.strip()
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value.lstrip("/")
    try:
        parts = urlsplit(value)
    except ValueError:  # "[" or "[::x": not a URL at all; the URL validator says so
        return value
    path = "" if parts.path == "/" else parts.path
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, parts.fragment))
