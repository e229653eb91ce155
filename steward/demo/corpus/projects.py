"""The provider's projects: phases and tasks with estimates and assignees, and the bad weeks that delay them.

Each phase's tasks can start once every task of the phase before is done. ``start`` is in days
relative to the demo's today; ``outcome`` is what the story of the project should show: a
finished project delivered ``on_time`` or ``late``, or an open one that is ``at_risk``,
``tight``, ``safe`` or still ``planned``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ProjectSpec:
    code: str | None  # client code; None for the provider's own work
    name: str
    description: str
    start: int
    outcome: str
    phases: tuple  # (phase name, ((task name, estimate hours, technician username), ...))
    overrun: float = 0.1  # mean log of actual/estimate: 0.1 is about 10% over


PROJECTS = (
    ProjectSpec(
        "PENN", "Server room refresh: new Hyper-V host and SAN",
        "Replace the 2017 host and direct-attached storage with a two-node Hyper-V cluster and a SAN, "
        "and move the four servers across with as little downtime as possible.",
        -330, "on_time",
        (
            ("Design", (("Capacity review of current servers", 8, "rachel"), ("Cluster and SAN design", 12, "rachel"),
                        ("Order hardware", 4, "marek"))),
            ("Build", (("Rack, cable and power the new hosts", 16, "marek"), ("Configure SAN and cluster", 24, "rachel"),
                       ("Backup jobs for the new cluster", 8, "rachel"))),
            ("Migration", (("Migrate PENN-FS01 and PENN-DC01", 16, "rachel"), ("Migrate PENN-SQL01 out of hours", 12, "rachel"),
                           ("Failover test with the client", 6, "marek"))),
            ("Handover", (("Update documentation and diagrams", 8, "rachel"), ("Decommission the old host", 6, "marek"))),
        ),
    ),
    ProjectSpec(
        "ASHC", "Windows 11 upgrade before the tax year",
        "Upgrade or replace every Windows 10 PC before the January self-assessment rush.",
        -310, "on_time",
        (
            ("Preparation", (("Inventory and compatibility check", 6, "priya"), ("Test image with the tax software", 10, "aisha"))),
            ("Roll-out", (("Upgrade partners' laptops", 12, "aisha"), ("Upgrade the front office PCs", 16, "priya"),
                          ("Replace four incompatible PCs", 12, "priya"))),
            ("Close", (("Check-up visit and snag list", 6, "aisha"),)),
        ),
        overrun=0.0,
    ),
    ProjectSpec(
        "WLAW", "Move documents to SharePoint",
        "Move the shared drive and matter folders from WLAW-DC01 to SharePoint Online with the same permissions, "
        "then retire the mapped drives.",
        -250, "late",
        (
            ("Discovery", (("Folder and permission audit", 12, "marek"), ("Information architecture with the partners", 8, "marek"))),
            ("Pilot", (("Build site structure and groups", 12, "marek"), ("Pilot migration for the property team", 10, "tom"),
                       ("Fix issues found in the pilot", 8, "marek"))),
            ("Migration", (("Migrate matter folders (batch 1)", 16, "marek"), ("Migrate matter folders (batch 2)", 16, "marek"),
                           ("Map OneDrive sync on every laptop", 12, "tom"), ("Staff training sessions", 8, "tom"))),
            ("Close", (("Retire mapped drives and old shares", 6, "marek"), ("Handover notes", 4, "marek"))),
        ),
        overrun=0.2,
    ),
    ProjectSpec(
        "MERL", "LIMS server upgrade and validation",
        "Upgrade the laboratory system to the supported version on a new server and validate it before go-live.",
        -175, "late",
        (
            ("Planning", (("Validation plan with the QA manager", 8, "rachel"), ("Build the new MERL-LIMS02", 12, "rachel"))),
            ("Upgrade", (("Test upgrade on a copy of the database", 16, "rachel"), ("Install instrument interfaces", 12, "marek"))),
            ("Validation", (("Run validation scripts", 16, "rachel"), ("Fix findings from validation", 10, "rachel"),
                            ("Sign-off meeting", 4, "rachel"))),
            ("Go-live", (("Weekend cut-over", 12, "rachel"), ("Hypercare week", 8, "marek"))),
        ),
        overrun=0.35,
    ),
    ProjectSpec(
        "NGL", "Warehouse Wi-Fi and handheld scanner roll-out",
        "Cover the Leeds warehouse with Wi-Fi that the new handheld scanners can roam on, and enrol the scanners.",
        -70, "at_risk",
        (
            ("Survey", (("Site survey of the warehouse", 12, "marek"), ("Wi-Fi design and heat map", 10, "marek"))),
            ("Install", (("Order access points and switches", 4, "marek"),
                         ("Cable runs with the electrician (goods-in and aisles 1–6)", 18, "marek"),
                         ("Cable runs with the electrician (aisles 7–14 and yard)", 18, "marek"),
                         ("Mount and adopt access points", 24, "marek"), ("Core switch and VLANs", 12, "rachel"))),
            ("Scanners", (("Enrol scanners in Intune", 12, "daniel"), ("Warehouse app profile and kiosk mode", 12, "daniel"),
                          ("Roaming test on the forklifts", 10, "marek"), ("Fix roaming dead spots", 12, "marek"))),
            ("Go-live", (("Cut-over of the picking teams", 20, "marek"), ("Train the shift leads", 6, "daniel"),
                         ("Documentation", 8, "marek"))),
        ),
    ),
    ProjectSpec(
        "HMA", "NAS replacement and file migration",
        "Replace the ageing HMA-NAS01 with a new NAS with snapshots and off-site replication, and move the CAD archive.",
        -45, "at_risk",
        (
            ("Preparation", (("Size the new NAS", 6, "rachel"), ("Order NAS and disks", 2, "marek"))),
            ("Build", (("Install and configure the NAS", 12, "marek"), ("Snapshots and off-site replication", 10, "marek"))),
            ("Migration", (("Copy the CAD archive", 16, "marek"), ("Copy live projects over a weekend", 12, "marek"),
                           ("Re-map drives on the Macs", 8, "marek"))),
            ("Close", (("Test restore with the client", 4, "marek"), ("Wipe and recycle the old NAS", 4, "marek"))),
        ),
    ),
    ProjectSpec(
        "STAL", "Classroom Wi-Fi upgrade over the Christmas holidays",
        "Replace the classroom access points and the hall switch while the school is closed.",
        -20, "tight",
        (
            ("Preparation", (("Survey classrooms", 8, "rachel"), ("Order access points", 2, "rachel"),
                             ("Agree access with the caretaker", 2, "priya"))),
            ("Install", (("Replace the hall switch", 8, "rachel"), ("Swap classroom access points", 16, "rachel"),
                         ("Move the staff and pupil SSIDs", 6, "rachel"))),
            ("Check", (("Test every classroom with a laptop trolley", 8, "priya"), ("Documentation", 4, "rachel"))),
        ),
    ),
    ProjectSpec(
        "SAFF", "New EPOS and guest Wi-Fi at Micklegate",
        "Network the new EPOS tills and kitchen printers at the Micklegate restaurant and add a separate guest Wi-Fi.",
        -30, "tight",
        (
            ("Design", (("Meet the EPOS supplier", 4, "tom"), ("Network design with a guest VLAN", 6, "rachel"))),
            ("Install", (("Configure the firewall and VLANs", 10, "rachel"), ("Set up the tills and kitchen printers", 12, "tom"),
                         ("Guest Wi-Fi with a captive portal", 6, "rachel"))),
            ("Go-live", (("Opening night support", 8, "tom"), ("Handover to the manager", 4, "tom"))),
        ),
    ),
    ProjectSpec(
        None, "Standard Windows 11 build and Autopilot profiles",
        "Our own standard build: one Autopilot profile and app set per client type, so new PCs ship ready to use.",
        -40, "safe",
        (
            ("Design", (("Agree the standard app set", 6, "aisha"), ("Compliance and update ring policies", 8, "aisha"))),
            ("Build", (("Autopilot profile for office clients", 8, "aisha"), ("Autopilot profile for shared PCs", 8, "tom"),
                       ("Package the common apps", 12, "tom"))),
            ("Pilot", (("Pilot on two new PCs", 6, "aisha"), ("Write the build checklist", 4, "tom"))),
        ),
    ),
    ProjectSpec(
        "KING", "Microsoft 365 security baseline",
        "Multi-factor sign-in for everyone, Conditional Access and mailbox auditing across both branches.",
        12, "planned",
        (
            ("Plan", (("Review current sign-ins and licences", 4, "aisha"), ("Agree the policies with the directors", 4, "aisha"))),
            ("Roll-out", (("Enrol staff in MFA", 10, "priya"), ("Conditional Access in report-only mode", 6, "rachel"),
                          ("Switch Conditional Access on", 4, "rachel"), ("Mailbox auditing and alert policies", 6, "rachel"))),
            ("Close", (("Security awareness session", 4, "aisha"),)),
        ),
    ),
)

# Bad weeks: a client is attacked or has an outage and one technician spends days cleaning up.
# (client code, technician username, first day relative to today, working days of clean-up)
CRISES = (
    ("WLAW", "marek", -195, 9),
    ("NGL", "marek", -21, 12),
)
CRISIS_SUBJECT = "Clean-up after the phishing campaign: compromised mailboxes, MFA and mail rules"
CRISIS_DESCRIPTION = (
    "Two mailboxes were signed into from abroad after the phishing campaign and sent more phishing to customers. "
    "Tracking the clean-up here: password resets, sign-in review, forwarding rules, MFA for everyone."
)
CRISIS_NOTES = (
    "Reset passwords and revoked sessions for the affected accounts; checked their sign-ins for the last 30 days.",
    "Removed hidden forwarding and delete rules from {n} mailboxes.",
    "Called customers who received the fake invoice emails, with {name}.",
    "Enrolled another group of staff in MFA; helped the warehouse shift with the authenticator app.",
    "Reviewed the audit log for mail sent from the compromised accounts and exported it for the insurer.",
    "Blocked legacy authentication and tightened the spam policy.",
    "Answered staff questions about suspicious emails and password prompts.",
    "Checked the file shares for anything opened from the compromised accounts; nothing found.",
)
CRISIS_DONE = (
    "The clean-up is finished: every account has MFA, no forwarding rules remain and the insurer has the report."
)
