import pytest

from steward.desk import services
from steward.desk.choices import Source
from steward.desk.models import Category, Software


@pytest.fixture
def ticket_a(technician, client_a, client_a_user):
    """A ticket of Acme requested by Bob (client_a_user)."""
    return services.open_ticket(
        technician,
        client=client_a,
        requester=client_a_user.contact,
        subject="Printer on reception jams",
        description="It jams on every second page.",
        source=Source.PHONE,
    )


@pytest.fixture
def ticket_b(technician, client_b, client_b_user):
    """A ticket of Birch requested by Charlie (client_b_user)."""
    return services.open_ticket(
        technician,
        client=client_b,
        requester=client_b_user.contact,
        subject="Cannot open case files",
        source=Source.EMAIL,
    )


@pytest.fixture
def category(db):
    return Category.objects.create(name="Hardware")


@pytest.fixture
def printers(category):
    """A subcategory: Hardware › Printers."""
    return Category.objects.create(name="Printers", parent=category)


@pytest.fixture
def outlook(db):
    return Software.objects.create(name="Outlook", vendor="Microsoft")
