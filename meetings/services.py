from .enums import MeetingKind
from .models import Meeting


def create_meetings_for_cluster(cluster) -> list[Meeting]:
    """Give a new cluster its four meetings (start-up and benchmarking 1-3), not yet dated."""
    return Meeting.objects.bulk_create(
        [
            Meeting(cluster=cluster, kind=kind, sequence=index)
            for index, kind in enumerate(MeetingKind)
        ]
    )
