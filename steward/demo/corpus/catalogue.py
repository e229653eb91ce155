"""The provider's catalogue: categories with subcategories, software and tags."""

CATEGORIES = (
    ("Hardware", ("Laptop", "Desktop", "Printer", "Monitor & peripherals", "Server", "Network device", "Mobile device")),
    ("Software", ("Email", "Office apps", "Line-of-business", "Browser", "Operating system", "PDF & documents")),
    ("Accounts & access", ("Password reset", "New starter", "Leaver", "Permissions", "MFA")),
    ("Network", ("Wi-Fi", "VPN", "Internet", "Firewall")),
    ("Security", ("Phishing", "Anti-virus", "Suspicious sign-in", "Data loss")),
    ("Backup", ("Failed backup", "Restore request")),
    ("Telephony", ("Desk phone", "Call queue", "Voicemail")),
)

# (name, vendor); ticket templates and clients refer to software by name.
SOFTWARE = (
    ("Microsoft 365", "Microsoft"),
    ("Outlook", "Microsoft"),
    ("Teams", "Microsoft"),
    ("Word", "Microsoft"),
    ("Excel", "Microsoft"),
    ("OneDrive", "Microsoft"),
    ("SharePoint", "Microsoft"),
    ("Windows 11", "Microsoft"),
    ("Windows Server 2019", "Microsoft"),
    ("macOS", "Apple"),
    ("Chrome", "Google"),
    ("Adobe Acrobat", "Adobe"),
    ("Adobe Creative Cloud", "Adobe"),
    ("Sage 50", "Sage"),
    ("Xero", "Xero"),
    ("QuickBooks", "Intuit"),
    ("SAP Business One", "SAP"),
    ("Dentrix", "Henry Schein One"),
    ("Clio", "Clio"),
    ("AutoCAD", "Autodesk"),
    ("Revit", "Autodesk"),
    ("SketchUp", "Trimble"),
    ("SOLIDWORKS", "Dassault Systèmes"),
    ("FortiClient VPN", "Fortinet"),
    ("Veeam Backup & Replication", "Veeam"),
    ("SIMS", "ESS"),
    ("LabWare LIMS", "LabWare"),
    ("RxWorks", "Covetrus"),
    ("Reapit", "Reapit"),
    ("Lightspeed Restaurant", "Lightspeed"),
    ("ResDiary", "ResDiary"),
    ("Procore", "Procore"),
    ("Mandata", "Mandata"),
    ("HubSpot", "HubSpot"),
    ("Slack", "Salesforce"),
    ("Figma", "Figma"),
    ("Salesforce Nonprofit Cloud", "Salesforce"),
    ("Sophos Intercept X", "Sophos"),
    ("3CX", "3CX"),
)

TAGS = ("outage", "phishing", "onsite", "hardware-order", "vendor-case", "monitoring")

# Category of a subcategory, for the templates' "Parent/Child" keys.
SUBCATEGORY_KEYS = tuple(f"{parent}/{child}" for parent, children in CATEGORIES for child in children)

# Subcategories whose tickets the projects & infrastructure team takes.
INFRASTRUCTURE = frozenset(
    {
        "Hardware/Server",
        "Hardware/Network device",
        "Network/Firewall",
        "Network/Internet",
        "Network/VPN",
        "Backup/Failed backup",
        "Security/Data loss",
    }
)
