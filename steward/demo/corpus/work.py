"""Notes of logged time outside tickets and projects: proactive maintenance and internal admin."""

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
