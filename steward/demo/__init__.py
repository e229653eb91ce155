"""A believable demo provider: clients, people, a year of tickets and timesheets (`steward demo`)."""

# Known passwords of the demo accounts; the demo is for trying Steward out, never for production.
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "steward-admin"
TECHNICIAN_USERNAME = "priya"
TECHNICIAN_PASSWORD = "steward-tech"
PORTAL_PASSWORD = "steward-portal"
CLIENT_ADMIN_USERNAME = "claire.dawson@whitcombe-lowe.example"
CLIENT_USER_USERNAME = "ben.carter@whitcombe-lowe.example"


def logins():
    """(role, username, password) of the demo accounts worth trying first, for the CLI to print."""
    return [
        ("Owner / admin", ADMIN_USERNAME, ADMIN_PASSWORD),
        ("Technician (service desk)", TECHNICIAN_USERNAME, TECHNICIAN_PASSWORD),
        ("Client admin (Whitcombe & Lowe Solicitors)", CLIENT_ADMIN_USERNAME, PORTAL_PASSWORD),
        ("Client user (Whitcombe & Lowe Solicitors)", CLIENT_USER_USERNAME, PORTAL_PASSWORD),
    ]
