"""API schemas for users and teams."""

from ninja import Field, Schema

from steward.accounts.choices import Role


class UserRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj):
        return obj.display_name


class UserOut(Schema):
    id: int
    username: str
    name: str
    email: str
    role: Role
    client_id: int | None = Field(description="The client company of a client-side user; null for staff.")
    is_active: bool

    @staticmethod
    def resolve_name(obj):
        return obj.display_name


class UserFilters(Schema):
    role: Role | None = None
    q: str | None = Field(None, description="Part of the username, name or email address.")
    is_active: bool | None = None


class TeamOut(Schema):
    id: int
    name: str
    members: list[UserRef]

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())
