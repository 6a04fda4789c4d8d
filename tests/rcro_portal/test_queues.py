from rcro_portal.celery import app


def _queue(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_heavy_jobs_and_mail_go_to_their_own_queues():
    assert _queue("reports.build_appendix1_export") == "heavy"
    assert _queue("reports.build_analytic_report") == "heavy"
    assert _queue("monitoring.send_workflow_notification") == "light"
    assert _queue("monitoring.send_deadline_reminders") == "light"
    assert _queue("projects.send_assignment_notification") == "light"


def test_a_worker_without_queue_options_serves_every_queue():
    assert {q.name for q in app.conf.task_queues} == {"celery", "heavy", "light"}
