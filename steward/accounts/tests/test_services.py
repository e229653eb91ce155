import pytest

from steward.accounts.models import ApiToken
from steward.accounts.services import authenticate_token, create_api_token, revoke_api_token


def test_token_is_stored_hashed_and_authenticates(technician):
    token, raw = create_api_token(technician, scope="write", name="ci")
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.token_hash, stored.prefix)
    found = authenticate_token(raw)
    assert found.user == technician and found.can_write
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_revoked_or_wrong_token_is_refused(technician):
    token, raw = create_api_token(technician)
    assert authenticate_token(raw + "x") is None
    revoke_api_token(token)
    assert authenticate_token(raw) is None


def test_token_of_deactivated_user_is_refused(technician):
    _, raw = create_api_token(technician)
    technician.is_active = False
    technician.save(update_fields=["is_active"])
    assert authenticate_token(raw) is None


def test_unknown_scope_is_refused(technician):
    with pytest.raises(ValueError, match="scope"):
        create_api_token(technician, scope="admin")
