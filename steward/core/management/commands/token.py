from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from steward.accounts.choices import TokenScope
from steward.accounts.models import ApiToken, User
from steward.accounts.services import create_api_token, revoke_api_token

SCOPES = " or ".join(TokenScope.values)


class Command(BaseCommand):
    help = "Create, list and revoke REST API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")

        create = actions.add_parser(
            "create", help="Create a token; prints only the token, so that TOKEN=$(steward token create ...) works."
        )
        create.add_argument("--user", required=True, help="Username the token acts as.")
        create.add_argument("--scope", default=TokenScope.READ.value, help=f"{SCOPES} (default: %(default)s).")
        create.add_argument("--name", default="", help="What the token is for, e.g. 'monitoring'.")

        listing = actions.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("--user", help="Only this user's tokens.")

        revoke = actions.add_parser("revoke", help="Revoke a token; it stops working at once.")
        revoke.add_argument("prefix", help="The token's prefix, as shown by `steward token list`.")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, user, scope, name, **options):
        if scope not in TokenScope.values:
            raise CommandError(f"Unknown scope {scope!r}: use {SCOPES}.")
        account = _get_user(user)
        if not account.is_active:
            raise CommandError(f"User {user!r} is inactive; a token for it would not work.")
        token, raw = create_api_token(account, scope=scope, name=name)
        self.stderr.write(
            f"Created {token.scope} token {token.prefix} for {account.username}. "
            "It is shown only this once: store it now."
        )
        self.stdout.write(raw)

    def _list(self, user, **options):
        tokens = ApiToken.objects.select_related("user").order_by("created_at")
        if user:
            tokens = tokens.filter(user=_get_user(user))
        rows = [
            (
                token.prefix,
                token.user.username,
                token.scope,
                token.name or "-",
                _when(token.created_at),
                _when(token.last_used_at),
                _when(token.revoked_at),
            )
            for token in tokens
        ]
        if not rows:
            self.stderr.write("No tokens.")
            return
        header = ("PREFIX", "USER", "SCOPE", "NAME", "CREATED", "LAST USED", "REVOKED")
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())

    def _revoke(self, prefix, **options):
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token with prefix {prefix!r}; see `steward token list`.")
        if token.revoked_at is not None:
            self.stdout.write(f"Token {prefix} ({token.user.username}) was already revoked on {_when(token.revoked_at)}.")
            return
        revoke_api_token(token)
        self.stdout.write(f"Revoked token {prefix} ({token.user.username}).")


def _get_user(username):
    account = User.objects.filter(username=username).first()
    if account is None:
        raise CommandError(f"No user named {username!r}.")
    return account


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"
