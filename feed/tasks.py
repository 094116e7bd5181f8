"""Celery tasks of the change feed: thin, they call a service (Celery beat: ``feed-prune``, ``feed-snapshot``,
``feed-package`` in ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task


@shared_task(name="feed.snapshot")
def feed_snapshot_task() -> int:
    """Nightly: everything published or shared, with the cursor to read the feed from (a platform's restart point)."""
    from .services import feed_snapshot_write

    return feed_snapshot_write().pk


@shared_task(name="feed.package")
def feed_package_task() -> int:
    """File mode (GB/T 39443): the feed since the last package's end, as a package with its manifest; the first
    package starts where the latest snapshot ends."""
    from .models import FeedFile
    from .services import feed_package_write

    last = FeedFile.objects.filter(kind__in=[FeedFile.Kind.PACKAGE, FeedFile.Kind.SNAPSHOT]).order_by(
        "-created_at", "-id"
    )
    package = last.filter(kind=FeedFile.Kind.PACKAGE).first() or last.first()
    return feed_package_write(after=package.cursor if package is not None else None).pk


@shared_task(name="feed.prune")
def feed_prune_task() -> int:
    """Nightly: the feed's entries past ``FEED_RETENTION_DAYS`` deleted (the outbox's housekeeping, never case data)."""
    from .services import feed_prune

    return feed_prune()
