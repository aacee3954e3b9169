from django.utils import translation


class BilingualMixin:
    """Model texts are kept in Swedish (``x``) and, where the source has it, English (``x_en``)."""

    def localized(self, field: str) -> str:
        if translation.get_language() == "en":
            english = getattr(self, f"{field}_en", "")
            if english:
                return english
        return getattr(self, field)
