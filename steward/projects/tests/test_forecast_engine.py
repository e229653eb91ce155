"""The Monte Carlo engine on hand-made portfolios: pure NumPy, no database."""

from datetime import date, timedelta

import numpy as np
import pytest

from steward.projects.forecast.engine import (
    PortfolioInput,
    ProjectInput,
    TaskInput,
    TechnicianInput,
    simulate,
)
from steward.projects.forecast.scenarios import apply_changes

AS_OF = date(2026, 1, 5)  # a Monday
HORIZON = 105
RATIOS = np.array([0.9, 1.0, 1.0, 1.1, 1.2, 0.95, 1.05, 1.3])


def tech(id, name="Tom", weekly=40.0, reactive=None, share=0.4):
    history = np.zeros(0) if reactive is None else np.asarray(reactive, dtype=float)
    return TechnicianInput(id, name, np.full(HORIZON, weekly), history, share)


def portfolio(technicians, projects, ratios=RATIOS):
    return PortfolioInput(AS_OF, 7, technicians, projects, ratios, {})


def one_project(tasks, deadline=AS_OF + timedelta(days=60), priority=1, id=1):
    return ProjectInput(id, f"Project {id}", priority, deadline, tasks)


def test_dependent_task_finishes_after_its_dependency_in_every_simulation():
    # given: B (Tara) needs A (Tom); with priority 1 Tara has nothing else to do
    techs = [tech(1, "Tom", reactive=[10, 12, 8, 15]), tech(2, "Tara", reactive=[5, 5, 6, 4])]
    first = one_project([TaskInput(1, 1, "A", 1, 60.0)])
    second = one_project([TaskInput(2, 2, "B", 2, 4.0, depends_on=(1,))], priority=2, id=2)
    alone = one_project([TaskInput(2, 2, "B", 2, 4.0)], priority=2, id=2)

    # when
    waiting = simulate(portfolio(techs, [first, second]), simulations=2000)
    free = simulate(portfolio(techs, [first, alone]), simulations=2000)

    # then: B alone takes a few hours; waiting for A's 60 h it ends after A's P50
    assert free[2].p50_date <= AS_OF + timedelta(days=7)
    assert waiting[2].p50_date > waiting[1].p50_date - timedelta(days=1)
    assert waiting[2].p50_date >= AS_OF + timedelta(days=14)
    assert waiting[2].bottleneck_name == "Tara"


def test_more_reactive_load_gives_later_dates_and_lower_probability():
    tasks = [TaskInput(i, 1, f"T{i}", 1, 20.0) for i in range(1, 9)]  # 160 h
    deadline = AS_OF + timedelta(days=41)
    light = simulate(portfolio([tech(1, reactive=[5, 8, 6, 4, 7, 5])], [one_project(tasks, deadline)]), 3000)[1]
    heavy = simulate(portfolio([tech(1, reactive=[20, 25, 18, 22, 30, 19])], [one_project(tasks, deadline)]), 3000)[1]

    assert heavy.p50_date > light.p50_date
    assert heavy.p90_date > light.p90_date
    assert heavy.probability_on_time < light.probability_on_time
    assert light.probability_on_time > 0.5
    assert heavy.reactive_delay_share > light.reactive_delay_share > 0


def test_priority_order_decides_who_gets_the_hours_first():
    techs = [tech(1, reactive=[8, 10, 9, 12])]
    a = [TaskInput(1, 1, "A work", 1, 80.0)]
    b = [TaskInput(2, 2, "B work", 1, 80.0)]
    deadline = AS_OF + timedelta(days=30)

    a_first = simulate(portfolio(techs, [one_project(a, deadline, 1, 1), one_project(b, deadline, 2, 2)]), 2000)
    b_first = simulate(portfolio(techs, [one_project(a, deadline, 2, 1), one_project(b, deadline, 1, 2)]), 2000)

    assert a_first[1].p50_date < a_first[2].p50_date
    assert b_first[2].p50_date < b_first[1].p50_date
    assert a_first[1].probability_on_time > a_first[2].probability_on_time


def test_same_seed_gives_the_same_forecast():
    world = portfolio([tech(1, reactive=[8, 10, 9, 12])], [one_project([TaskInput(1, 1, "A", 1, 50.0)])])
    assert simulate(world, 1000, seed=3) == simulate(world, 1000, seed=3)


def test_circular_dependencies_are_cut_and_named():
    tasks = [
        TaskInput(1, 1, "Order server", 1, 4.0, depends_on=(3,)),
        TaskInput(2, 1, "Install server", 1, 8.0, depends_on=(1,)),
        TaskInput(3, 1, "Migrate data", 1, 8.0, depends_on=(2,)),
    ]
    result = simulate(portfolio([tech(1, reactive=[5, 6, 7, 5])], [one_project(tasks)]), 1000)[1]

    assert result.p50_date is not None
    cycle = [line for line in result.explanations if line.startswith("Circular dependencies")]
    assert len(cycle) == 1
    assert all(name in cycle[0] for name in ("Order server", "Install server", "Migrate data"))


def test_task_without_estimate_uses_the_projects_median_and_says_so():
    tasks = [TaskInput(1, 1, "Plan", 1, 10.0), TaskInput(2, 1, "Cabling", 1, 30.0), TaskInput(3, 1, "Mystery", 1, None)]
    result = simulate(portfolio([tech(1, reactive=[5, 6])], [one_project(tasks)]), 1000)[1]
    assert "No estimate for “Mystery”: using the project's median estimate of 20 h" in " ".join(result.explanations)

    lone = simulate(portfolio([tech(1, reactive=[5, 6])], [one_project([TaskInput(1, 1, "Mystery", 1, None)])]), 500)[1]
    assert "using a default of 8 h" in " ".join(lone.explanations)


def test_unassigned_task_goes_to_the_least_loaded_technician():
    techs = [tech(1, "Tom", reactive=[5]), tech(2, "Tara", reactive=[5])]
    tasks = [TaskInput(1, 1, "Busy work", 1, 100.0), TaskInput(2, 1, "Loose end", None, 10.0)]
    result = simulate(portfolio(techs, [one_project(tasks)]), 1000)[1]
    assert "No assignee for “Loose end”: planned for Tara, the least-loaded technician" in " ".join(result.explanations)


def test_technician_without_capacity_means_no_chance_and_names_them():
    techs = [tech(1, "Tom", reactive=[5]), tech(2, "Zed Zero", weekly=0.0)]
    tasks = [TaskInput(1, 1, "Configure", 1, 8.0), TaskInput(2, 1, "Stuck job", 2, 8.0)]
    result = simulate(portfolio(techs, [one_project(tasks)]), 1000)[1]

    assert result.probability_on_time == 0.0
    assert result.p50_date is None and result.p90_date is None
    text = " ".join(result.explanations)
    assert "Zed Zero has no working hours" in text and "“Stuck job”" in text and "/time/capacity/" in text
    assert "beyond" in text


def test_zero_capacity_dependency_does_not_block_the_technicians_other_projects():
    techs = [tech(1, "Tom", reactive=[5]), tech(2, "Zed Zero", weekly=0.0)]
    stuck = one_project([TaskInput(1, 1, "Stuck", 2, 8.0), TaskInput(2, 1, "After", 1, 8.0, depends_on=(1,))], id=1)
    other = one_project([TaskInput(3, 2, "Other", 1, 8.0)], priority=2, id=2)
    result = simulate(portfolio(techs, [stuck, other]), 1000)
    assert result[1].p50_date is None
    assert result[2].p50_date <= AS_OF + timedelta(days=7)


def test_deadline_in_the_past_is_explained():
    project = one_project([TaskInput(1, 1, "Late", 1, 8.0)], deadline=AS_OF - timedelta(days=3))
    result = simulate(portfolio([tech(1, reactive=[5])], [project]), 1000)[1]
    assert result.probability_on_time == 0.0
    assert result.p50_date is not None
    assert any("has already passed" in line for line in result.explanations)


def test_new_team_without_history_uses_the_default_share_and_says_where_to_edit_it():
    result = simulate(portfolio([tech(1, "Tom Tech")], [one_project([TaskInput(1, 1, "Setup", 1, 24.0)])], ratios=np.array([])), 1000)[1]
    text = " ".join(result.explanations)
    assert "No history for Tom Tech: using the default reactive share of 40%; edit it under Time → Capacity" in text
    assert "/time/capacity/" in text
    assert "Fewer than 5 finished tasks" in text
    assert result.probability_on_time is not None


def test_project_without_open_work_or_deadline_says_so():
    empty = one_project([], deadline=None)
    result = simulate(portfolio([tech(1, reactive=[5])], [empty]), 100)[1]
    assert result.probability_on_time is None and result.p50_date is None
    assert any("No deadline" in line for line in result.explanations)
    assert any("Nothing left to plan" in line for line in result.explanations)


def test_distribution_adds_up_to_the_share_that_finishes():
    result = simulate(portfolio([tech(1, reactive=[10, 15, 8])], [one_project([TaskInput(1, 1, "A", 1, 60.0)])]), 2000)[1]
    assert sum(share for _, share in result.distribution) == pytest.approx(1.0)
    dates = [day for day, _ in result.distribution]
    assert dates == sorted(dates) and dates[0] <= result.p50_date <= dates[-1]


def test_what_if_extra_contractor_takes_reassigned_work_and_brings_the_date_forward():
    techs = [tech(1, "Tom", reactive=[20, 25, 22])]
    project = one_project([TaskInput(1, 1, "Big", 1, 120.0), TaskInput(2, 1, "Also big", 1, 120.0)])
    base = portfolio(techs, [project])
    changed = apply_changes(base, {
        "extra_capacity": [{"technician": None, "name": "Contractor", "hours_per_week": 30}],
        "reassign": {"2": "contractor"},
    })
    before, after = simulate(base, 1000)[1], simulate(changed, 1000)[1]
    assert after.p50_date < before.p50_date
    assert base.technicians[0].capacity_hours is techs[0].capacity_hours  # the input is not modified
    with pytest.raises(ValueError, match="Unknown change"):
        apply_changes(base, {"fire_everyone": True})
    with pytest.raises(ValueError, match="between 0 and 1"):
        apply_changes(base, {"reactive_reduction": 2})


def test_hours_free_while_waiting_for_a_colleague_go_to_the_next_project():
    # given: Tom's priority-1 task waits for Tara's 60 h; Tom also has a priority-2 job
    techs = [tech(1, "Tom", reactive=[5, 6, 5, 4]), tech(2, "Tara", reactive=[5, 6, 5, 4])]
    first = one_project([TaskInput(1, 1, "Prepare", 2, 60.0), TaskInput(2, 1, "Finish", 1, 8.0, depends_on=(1,))])
    second = one_project([TaskInput(3, 2, "Other job", 1, 25.0)], priority=2, id=2)

    result = simulate(portfolio(techs, [first, second]), 2000)

    # then: the other job is done in Tom's first week instead of after "Finish"
    assert result[2].p50_date <= AS_OF + timedelta(days=7)
    assert result[1].p50_date > result[2].p50_date


def test_two_tasks_waiting_for_the_same_dependency_do_not_share_hours():
    techs = [tech(1, "Tom", reactive=[5, 6, 5, 4]), tech(2, "Tara", reactive=[5, 6, 5, 4])]
    split = one_project([
        TaskInput(1, 1, "Order", 2, 40.0),
        TaskInput(2, 1, "Install A", 1, 30.0, depends_on=(1,)),
        TaskInput(3, 1, "Install B", 1, 30.0, depends_on=(1,)),
    ])
    whole = one_project([TaskInput(1, 1, "Order", 2, 40.0), TaskInput(2, 1, "Install", 1, 60.0, depends_on=(1,))])

    split_p50 = simulate(portfolio(techs, [split]), 2000)[1].p50_date
    whole_p50 = simulate(portfolio(techs, [whole]), 2000)[1].p50_date
    assert abs((split_p50 - whole_p50).days) <= 1


def test_a_year_of_history_keeps_the_seasonal_pattern():
    # given: two years in which the reactive load is heavy in the weeks around this time of year
    # (the last weeks of the history and the first weeks of it a year later), quiet otherwise
    weeks = np.arange(104)
    busy = ((weeks % 52) < 6) | ((weeks % 52) >= 46)
    history = np.where(busy, 30.0, 2.0)
    task = [TaskInput(1, 1, "Migration", 1, 60.0)]
    seasonal = simulate(portfolio([tech(1, reactive=history)], [one_project(task)]), 2000)[1]
    shuffled = simulate(portfolio([tech(1, reactive=np.random.default_rng(1).permutation(history))], [one_project(task)]), 2000)[1]

    # then: the busy season ahead shows in the forecast; a shuffled history of the same weeks hides it
    assert seasonal.p50_date > shuffled.p50_date


def test_proactive_and_admin_hours_take_time_but_are_not_counted_as_reactive_delay():
    task = [TaskInput(1, 1, "Rollout", 1, 120.0)]
    calm = tech(1, reactive=[0, 0, 0, 0])
    busy = tech(1, reactive=[0, 0, 0, 0])
    busy.other_history = np.array([15.0, 18, 12, 15])

    without_other = simulate(portfolio([calm], [one_project(task)]), 2000)[1]
    with_other = simulate(portfolio([busy], [one_project(task)]), 2000)[1]

    assert with_other.p50_date >= without_other.p50_date + timedelta(days=7)
    assert with_other.reactive_delay_share == 0.0


def test_a_started_task_overruns_on_its_whole_estimate_not_only_on_what_is_left():
    # given: a 100 h task with 80 h logged, and a team that always needs 1.5 × its estimates
    overrun = np.full(20, 1.5)
    techs = [tech(1, reactive=[0, 0, 0, 0])]
    naive = one_project([TaskInput(1, 1, "Migrate", 1, 20.0)])
    started = one_project([TaskInput(1, 1, "Migrate", 1, 20.0, spent_hours=80.0)])

    # when
    as_if_fresh = simulate(portfolio(techs, [naive], ratios=overrun), 2000)[1]
    knowing_the_hours_spent = simulate(portfolio(techs, [started], ratios=overrun), 2000)[1]

    # then: 20 h × 1.5 is under a week; 150 h − 80 h = 70 h is about two 40-hour weeks
    assert as_if_fresh.p50_date <= AS_OF + timedelta(days=7)
    assert AS_OF + timedelta(days=10) <= knowing_the_hours_spent.p50_date <= AS_OF + timedelta(days=14)
