from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def number(value):
    """A number as people write it: no trailing zeros, the language's decimal sign
    (8.7000 -> "8,7", 10.0000 -> "10")."""
    if value is None or value == "":
        return ""
    try:
        exact = Decimal(str(value))
    except InvalidOperation:
        return value
    plain = format(exact.normalize(), "f")
    return formats.number_format(Decimal(plain), use_l10n=True)
