"""Client A's planning rows (projects, tasks, scenarios, absences) for the isolation sweeps."""

import datetime as dt


def acme_planning_rows(technician, client_a, ticket_a):
    from steward.projects.models import Forecast, Phase, Project, ProjectTemplate, Scenario, Task
    from steward.work.models import Absence

    project = Project.objects.create(client=client_a, name="Acme server replacement", owner=technician)
    phase = Phase.objects.create(project=project, name="Acme preparation")
    task = Task.objects.create(project=project, phase=phase, name="Acme order server", estimate_hours=4)
    forecast = Forecast.objects.create(
        project=project, computed_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), as_of=dt.date(2026, 1, 5),
        simulations=10, explanations=["Acme forecast"],
    )
    return {
        "project_id": project.pk,
        "phase_id": phase.pk,
        "task_id": task.pk,
        "forecast_id": forecast.pk,
        "scenario_id": Scenario.objects.create(project=project, name="Acme what-if").pk,
        "template_id": ProjectTemplate.objects.create(name="Acme template").pk,
        "absence_id": Absence.objects.create(
            technician=technician, starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 1, 6), note="Acme leave"
        ).pk,
        "week": "2026-W02",
        "technician_id": technician.pk,
    }
