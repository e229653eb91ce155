"""REST endpoints for users (read only) and teams."""

from ninja import Query, Router

from steward.accounts import queries
from steward.accounts.models import User
from steward.accounts.schemas import TeamOut, UserFilters, UserOut
from steward.core.api import READ_ERRORS, PageOut, PageQuery, get_visible_or_404
from steward.core.pagination import offset_page

router = Router(tags=["users"])


@router.get("/users", response={200: PageOut[UserOut], **READ_ERRORS}, summary="List users")
def list_users(request, filters: Query[UserFilters], page: Query[PageQuery]):
    return offset_page(queries.users_for(request.user, **filters.dict()), cursor=page.cursor, limit=page.limit)


@router.get("/users/me", response={200: UserOut, **READ_ERRORS}, summary="Show the token's own user")
def show_current_user(request):
    return request.user


@router.get("/users/{user_id}", response={200: UserOut, **READ_ERRORS}, summary="Show a user")
def show_user(request, user_id: int):
    return get_visible_or_404(User.objects.select_related("contact"), request.user, pk=user_id)


@router.get("/teams", response={200: list[TeamOut], 401: READ_ERRORS[401]}, summary="List teams (staff)", tags=["catalogues"])
def list_teams(request):
    return queries.teams_for(request.user)
