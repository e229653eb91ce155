import getpass
import secrets
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from steward.accounts.choices import Role
from steward.accounts.models import User


class Command(BaseCommand):
    help = "Create an admin (role admin, superuser). Asks for what is missing, or generates the password."

    def add_arguments(self, parser):
        parser.add_argument("--username", help="Default: admin.")
        parser.add_argument("--email", default=None)
        parser.add_argument("--password", help="Default: asked for, or generated and printed once.")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Never prompt; use defaults for what is missing."
        )

    def handle(self, *args, username, email, password, interactive, **options):
        interactive = interactive and sys.stdin.isatty()
        if username is None:
            username = (input("Username [admin]: ").strip() if interactive else "") or "admin"
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        if email is None:
            email = input("Email (optional): ").strip() if interactive else ""

        generated = False
        if password is None and interactive:
            password = getpass.getpass("Password (empty to generate one): ")
            if password and getpass.getpass("Password again: ") != password:
                raise CommandError("The passwords do not match.")
        if not password:
            password, generated = secrets.token_urlsafe(12), True
        candidate = User(username=username, email=email)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError("Password rejected: " + " ".join(exc.messages)) from exc

        User.objects.create_superuser(username=username, email=email, password=password, role=Role.ADMIN)
        self.stdout.write(self.style.SUCCESS(f"Created admin {username!r}."))
        if generated:
            self.stdout.write(f"Password: {password}  (shown only this once)")
