from axes.utils import reset
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Let a locked-out user sign in again: clears their failed sign-ins (django-axes)."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", metavar="USERNAME", help="the account(s) to unlock")
        parser.add_argument("--all", action="store_true", help="unlock every locked-out account")

    def handle(self, *args, usernames, all, **options):
        if all and usernames:
            raise CommandError("Give usernames or --all, not both.")
        if not all and not usernames:
            raise CommandError("Say which account to unlock: unlock_admin USERNAME (or --all).")
        if all:
            count = reset()
            self.stdout.write(f"Unlocked every account: removed {count} record(s) of failed sign-ins.")
            return
        for username in usernames:
            count = reset(username=username)
            if count:
                self.stdout.write(f"Unlocked {username}: removed {count} record(s) of failed sign-ins.")
            else:
                self.stdout.write(f"{username} was not locked out: nothing to remove.")
