from django.utils.functional import SimpleLazyObject

from .selectors import visible_clusters


def navigation(request):
    """The user's clusters for the header, queried only if a template uses them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_clusters": []}
    return {
        "nav_clusters": SimpleLazyObject(
            lambda: list(visible_clusters(user).select_related("programme")[:20])
        )
    }
