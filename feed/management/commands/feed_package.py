"""``manage.py feed_package [--after CURSOR] [--max N] [--snapshot]``: write a file-mode package of the change feed
(GB/T 39443 file mode) from a cursor, or the snapshot to restart from, into media storage; prints where, and the
cursor to continue from."""

from django.core.management.base import BaseCommand, CommandError

from feed.selectors import FeedCursorRefused
from feed.services import feed_package_write, feed_snapshot_write


class Command(BaseCommand):
    help = "Write a file-mode package of the change feed from a cursor (or the nightly snapshot) into media storage."

    def add_arguments(self, parser):
        parser.add_argument("--after", default=None, help="the cursor to start after (default: the feed's start)")
        parser.add_argument("--max", type=int, default=None, help="at most this many entries")
        parser.add_argument("--snapshot", action="store_true", help="write the snapshot of the current state instead")

    def handle(self, *args, after=None, max=None, snapshot=False, **options):
        try:
            if snapshot:
                written = feed_snapshot_write()
            else:
                written = feed_package_write(after=after, max_entries=max)
        except FeedCursorRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"{written.file.name}\t{written.lines}\t{written.sha256}")
        self.stdout.write(f"cursor\t{written.cursor}")
