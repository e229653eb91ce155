import pytest

from steward.accounts.tests.fixtures import PASSWORD
from steward.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_technician_signs_in_and_wrong_password_is_explained(page, technician, screenshot):
    # given the sign-in page
    page.goto("/")
    assert "Sign in" in page.title()
    screenshot(page, "sign-in")
    # when a wrong password is typed, the page says so and keeps the username
    sign_in(page, "tom", "wrong")
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Username").input_value() == "tom"
    # then with the right one the technician lands in Steward, signed in
    sign_in(page, "tom", PASSWORD)
    assert page.get_by_text("Tom Tech").first.is_visible()
