"""The standard project templates an MSP starts from; admins adjust them later."""

from decimal import Decimal

from django.db import migrations

# name → (description, [(phase, task, estimate hours, [names of tasks it depends on])])
TEMPLATES = {
    "Server replacement": (
        "Replace an ageing on-premises server: new hardware, data and roles moved over one weekend.",
        [
            ("Preparation", "Assess current server", 4, []),
            ("Preparation", "Order hardware", 2, ["Assess current server"]),
            ("Build", "Build and configure", 8, ["Order hardware"]),
            ("Build", "Install line-of-business applications", 4, ["Build and configure"]),
            ("Migration", "Migrate data", 6, ["Install line-of-business applications"]),
            ("Migration", "Cut-over weekend", 8, ["Migrate data"]),
            ("Close-out", "Decommission old server", 3, ["Cut-over weekend"]),
            ("Close-out", "Documentation", 3, ["Cut-over weekend"]),
        ],
    ),
    "CRM roll-out": (
        "Introduce a CRM: requirements, configuration, data import, training and go-live.",
        [
            ("Discovery", "Requirements workshop", 4, []),
            ("Discovery", "Map sales process and fields", 4, ["Requirements workshop"]),
            ("Configuration", "Set up tenant and licences", 2, ["Requirements workshop"]),
            ("Configuration", "Configure pipelines, fields and permissions", 8, [
                "Map sales process and fields", "Set up tenant and licences"]),
            ("Configuration", "Email and calendar integration", 4, ["Set up tenant and licences"]),
            ("Data", "Clean and export existing contacts", 4, ["Map sales process and fields"]),
            ("Data", "Import data and check", 4, [
                "Clean and export existing contacts", "Configure pipelines, fields and permissions"]),
            ("Go-live", "User training", 6, ["Import data and check", "Email and calendar integration"]),
            ("Go-live", "Go-live and hypercare", 6, ["User training"]),
            ("Go-live", "Documentation and handover", 2, ["Go-live and hypercare"]),
        ],
    ),
    "Microsoft 365 migration": (
        "Move mail, files and identities to Microsoft 365 with a staged cut-over.",
        [
            ("Planning", "Audit mailboxes, shares and licences", 4, []),
            ("Planning", "Migration plan and user communication", 2, ["Audit mailboxes, shares and licences"]),
            ("Tenant", "Set up tenant, domains and DNS", 3, ["Audit mailboxes, shares and licences"]),
            ("Tenant", "Identity sync and MFA", 4, ["Set up tenant, domains and DNS"]),
            ("Tenant", "Security baseline and conditional access", 4, ["Identity sync and MFA"]),
            ("Migration", "Pilot migration (IT and two users)", 3, [
                "Identity sync and MFA", "Migration plan and user communication"]),
            ("Migration", "Migrate mailboxes", 8, ["Pilot migration (IT and two users)"]),
            ("Migration", "Migrate file shares to SharePoint and OneDrive", 8, [
                "Pilot migration (IT and two users)"]),
            ("Migration", "MX cut-over", 1, ["Migrate mailboxes"]),
            ("Adoption", "Set up Outlook and Teams on devices", 6, ["MX cut-over"]),
            ("Adoption", "User training", 3, ["Set up Outlook and Teams on devices"]),
            ("Adoption", "Decommission old mail server and documentation", 3, [
                "MX cut-over", "Migrate file shares to SharePoint and OneDrive"]),
        ],
    ),
    "Office move": (
        "Move a client's IT to new premises: network, phones and desks working on day one.",
        [
            ("Survey", "Site survey of the new office", 4, []),
            ("Survey", "Order internet line", 1, ["Site survey of the new office"]),
            ("Survey", "Cabling and network design", 4, ["Site survey of the new office"]),
            ("Preparation", "Order network equipment", 2, ["Cabling and network design"]),
            ("Preparation", "Install and configure network and Wi-Fi", 8, [
                "Order network equipment", "Order internet line"]),
            ("Preparation", "Port phone numbers", 2, ["Order internet line"]),
            ("Move", "Label and pack equipment", 3, ["Install and configure network and Wi-Fi"]),
            ("Move", "Move weekend: set up desks and printers", 10, [
                "Label and pack equipment", "Port phone numbers"]),
            ("Move", "Day-one support on site", 6, ["Move weekend: set up desks and printers"]),
            ("Close-out", "Update network documentation", 2, ["Move weekend: set up desks and printers"]),
        ],
    ),
}


def add_templates(apps, schema_editor):
    ProjectTemplate = apps.get_model("projects", "ProjectTemplate")
    TemplateTask = apps.get_model("projects", "TemplateTask")
    for name, (description, tasks) in TEMPLATES.items():
        template, created = ProjectTemplate.objects.get_or_create(name=name, defaults={"description": description})
        if not created:
            continue
        rows = {}
        for position, (phase, task, hours, _) in enumerate(tasks, start=1):
            rows[task] = TemplateTask.objects.create(
                template=template, phase=phase, name=task, estimate_hours=Decimal(hours), position=position
            )
        for _, task, _, depends_on in tasks:
            rows[task].depends_on.set([rows[dependency] for dependency in depends_on])


def remove_templates(apps, schema_editor):
    apps.get_model("projects", "ProjectTemplate").objects.filter(name__in=TEMPLATES, projects__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_forecast_settings")]

    operations = [migrations.RunPython(add_templates, remove_templates)]
