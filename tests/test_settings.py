import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_profile_passes_check_deploy(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "x7#Lk2!vQ9pZr4@Wm8^Tn1&Yb6*Hc3$Fd5%Gj0(Ke)Ls_Ua+Io=Ep-Rq",
            "DJANGO_ALLOWED_HOSTS": "monitoring.rcro.example",
            "RCRO_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_requires_secret_key(tmp_path):
    result = _manage(
        "check",
        env_extra={
            "DJANGO_ENV": "production",
            "DJANGO_ALLOWED_HOSTS": "x.example",
            "RCRO_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "ru"
    assert settings.TIME_ZONE == "Asia/Tomsk"


def test_russian_number_and_date_formats():
    import datetime

    from django.utils import formats, translation

    with translation.override("ru"):
        assert formats.date_format(datetime.date(2017, 9, 1)) == "01.09.2017"
        assert formats.number_format(1234567, force_grouping=True) == "1\xa0234\xa0567"
        assert formats.number_format(83.25, 1) == "83,2" or formats.number_format(83.25, 1) == "83,3"


def test_embedded_default_runs_celery_eagerly():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.DATABASES['default']['ENGINE'])",
        env_extra={"RCRO_VAR_DIR": "/tmp/rcro-settings-test"},
    )
    assert result.returncode == 0, result.stderr
    assert "True django.db.backends.sqlite3" in result.stdout


def test_redis_url_switches_to_real_broker():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
        env_extra={"REDIS_URL": "redis://127.0.0.1:6379/5", "RCRO_VAR_DIR": "/tmp/rcro-settings-test"},
    )
    assert result.returncode == 0, result.stderr
    assert "False redis://127.0.0.1:6379/5" in result.stdout


def test_postgresql_connections_run_without_jit_unless_asked():
    show = "from django.conf import settings as s; print(repr(s.DATABASES['default'].get('OPTIONS', {})))"
    base = {"DATABASE_URL": "postgres://u@127.0.0.1:5432/x", "RCRO_VAR_DIR": "/tmp/rcro-settings-test"}
    off = _manage("shell", "-c", show, env_extra=base)
    assert off.returncode == 0, off.stderr
    assert "'options': '-c jit=off'" in off.stdout
    on = _manage("shell", "-c", show, env_extra={**base, "DATABASE_JIT": "on"})
    assert on.returncode == 0, on.stderr
    assert "jit" not in on.stdout
