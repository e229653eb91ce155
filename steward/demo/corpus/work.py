"""Notes of logged time outside tickets: proactive maintenance, projects and internal admin."""

PROACTIVE = (
    "Monthly patch review and approvals",
    "Checked backup jobs and test-restored a sample file",
    "Reviewed anti-virus alerts and exclusions",
    "Firewall firmware update",
    "Disk space and event log review on servers",
    "Reviewed Microsoft 365 secure score and sign-in logs",
    "Licence reconciliation (Microsoft 365 seats vs staff list)",
    "Warranty and lifecycle check of workstations",
    "Quarterly user access review with the client",
    "Updated network documentation",
    "Reviewed RMM alerts and tuned thresholds",
    "Checked UPS battery status and runtime",
)
PROACTIVE_SERVER = (
    "Server health check: {server}",
    "Applied monthly updates to {server} out of hours",
    "Test restore of {server} from backup",
)

# Projects of the year: (client code, name, months from the start of the year, length in months, team).
PROJECTS = (
    ("PENN", "Server room refresh: new Hyper-V host and SAN", 1, 4, "Projects & infrastructure"),
    ("NGL", "Rotterdam depot network and VPN", 3, 3, "Projects & infrastructure"),
    ("WLAW", "Move documents to SharePoint", 5, 4, "Projects & infrastructure"),
    ("MERL", "LIMS server upgrade and validation", 7, 3, "Projects & infrastructure"),
    ("STAL", "Summer Windows 11 roll-out", 9, 2, "Service desk"),
    ("BWM", "Mac fleet enrolment in Intune", 2, 3, "Service desk"),
    ("CALD", "Site cabin 4G routers and Wi-Fi", 6, 2, "Projects & infrastructure"),
    ("ASHC", "Windows 11 upgrade before the tax year", 0, 2, "Service desk"),
    ("SAFF", "New EPOS and guest Wi-Fi at Micklegate", 8, 2, "Service desk"),
    ("HMA", "NAS replacement and file migration", 10, 2, "Projects & infrastructure"),
)
PROJECT_TASKS = (
    "{project}: planning and design",
    "{project}: build and configuration",
    "{project}: testing",
    "{project}: user migration",
    "{project}: documentation and handover",
    "{project}: progress meeting with the client",
)

ADMIN = (
    "Timesheets and ticket housekeeping",
    "Training: Intune and Autopilot",
    "Training: Microsoft security fundamentals",
    "Internal: documentation of standard builds",
    "1:1 with team lead",
    "Internal: RMM policy review",
    "Vendor webinar",
)
STANDUP = "Team stand-up"
