"""The users API (read only): staff see everyone, client admins their own company."""

from steward.accounts.choices import TokenScope
from steward.accounts.models import Team


def usernames(response):
    return [item["username"] for item in response.json()["items"]]


def test_current_user_for_each_persona(api_as, technician, client_a_admin, client_b_user, client_a):
    me = api_as(technician, TokenScope.READ).get("/users/me").json()
    assert me == {
        "id": technician.pk,
        "username": "tom",
        "name": "Tom Tech",
        "email": "tom@example.test",
        "role": "technician",
        "client_id": None,
        "is_active": True,
    }
    assert api_as(client_a_admin).get("/users/me").json()["client_id"] == client_a.pk
    assert api_as(client_b_user).get("/users/me").json()["role"] == "client_user"


def test_current_user_needs_a_token(api_as):
    assert api_as(None).get("/users/me").status_code == 401


def test_staff_list_every_user(api_as, admin_user, technician, client_a_admin, client_b_user):
    response = api_as(technician).get("/users")
    assert set(usernames(response)) == {"olivia", "tom", "alice", "charlie"}
    assert usernames(api_as(technician).get("/users", {"role": "client_user"})) == ["charlie"]
    assert usernames(api_as(technician).get("/users", {"q": "OLIV"})) == ["olivia"]


def test_client_admin_lists_only_their_company(api_as, technician, client_a_admin, client_a_user, client_b_user):
    response = api_as(client_a_admin).get("/users")
    assert set(usernames(response)) == {"alice", "bob"}
    assert api_as(client_a_admin).get(f"/users/{client_b_user.pk}").status_code == 404
    assert api_as(client_a_admin).get(f"/users/{technician.pk}").status_code == 404
    assert api_as(client_a_admin).get(f"/users/{client_a_user.pk}").json()["name"] == "Bob"


def test_client_user_sees_no_user_list(api_as, client_a_user, client_a_admin):
    assert api_as(client_a_user).get("/users").json()["items"] == []
    assert api_as(client_a_user).get(f"/users/{client_a_admin.pk}").status_code == 404


def test_unknown_user_is_not_found(api_as, technician):
    assert api_as(technician).get("/users/999999").status_code == 404
    assert api_as(technician).get("/users/abc").status_code == 422


def test_users_are_read_only(client, token_for, technician):
    response = client.post("/api/v1/users", {}, content_type="application/json", **token_for(technician))
    assert response.status_code == 405


def test_staff_list_teams_with_members(api_as, technician, other_technician):
    team = Team.objects.create(name="Field")
    team.members.set([technician, other_technician])
    assert api_as(technician).get("/teams").json() == [
        {"id": team.pk, "name": "Field", "members": [{"id": other_technician.pk, "name": "Tara Tech"}, {"id": technician.pk, "name": "Tom Tech"}]}
    ]
