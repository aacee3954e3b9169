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


@register.inclusion_tag("_breadcrumbs.html")
def breadcrumbs(*links, current):
    """The trail above a page: ``{% breadcrumbs url1 label1 url2 label2 current=label %}``."""
    if len(links) % 2:
        raise ValueError("breadcrumbs takes pairs of url and label")
    return {"links": list(zip(links[::2], links[1::2], strict=True)), "current": current}
