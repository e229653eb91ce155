"""Settings come from STEWARD_* variables, with defaults that work on a laptop."""

import os
import runpy
import secrets

import pytest

from steward import settings as settings_module
from steward.core.testing import run_steward, steward_env


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    """load_settings(DEBUG="1", ...) -> the settings module's namespace, evaluated afresh under that env."""

    def load(**variables):
        for key in list(os.environ):
            if key.startswith("STEWARD_"):
                monkeypatch.delenv(key)
        monkeypatch.setenv("STEWARD_DATA_DIR", str(tmp_path / "data"))
        for key, value in variables.items():
            monkeypatch.setenv(f"STEWARD_{key}", str(value))
        return runpy.run_path(settings_module.__file__)

    return load


def test_defaults_use_sqlite_in_wal_mode_with_immediate_transactions(load_settings, tmp_path):
    settings = load_settings()

    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(tmp_path / "data" / "steward.sqlite3")
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert "busy_timeout=5000" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert settings["HUEY"]["huey_class"] == "huey.SqliteHuey"
    assert settings["HUEY"]["filename"] == str(tmp_path / "data" / "tasks.sqlite3")
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]


def test_postgres_url_selects_postgresql_with_connect_timeout(load_settings):
    settings = load_settings(DATABASE_URL="postgres://steward:secret@db.internal:5433/steward")

    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.internal", 5433, "steward")
    assert (database["USER"], database["PASSWORD"]) == ("steward", "secret")
    assert database["OPTIONS"]["connect_timeout"] == 5
    assert database["CONN_HEALTH_CHECKS"] is True


def test_database_connect_timeout_and_connection_age_are_configurable(load_settings):
    settings = load_settings(DATABASE_URL="postgres://s:s@db/s", DB_CONNECT_TIMEOUT=2, DB_CONN_MAX_AGE=60)

    assert settings["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 2
    assert settings["DATABASES"]["default"]["CONN_MAX_AGE"] == 60


def test_redis_url_selects_redis_queue_and_cache_with_timeouts(load_settings):
    settings = load_settings(REDIS_URL="redis://cache.internal:6380/2")

    huey = settings["HUEY"]
    pool = huey["connection_pool"].connection_kwargs
    assert huey["huey_class"] == "huey.RedisHuey"
    assert (pool["host"], pool["port"], pool["db"]) == ("cache.internal", 6380, 2)
    assert pool["socket_connect_timeout"] == 2 and pool["socket_timeout"] == 3
    cache = settings["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6380/2"
    assert cache["OPTIONS"]["socket_timeout"] == 3


def test_secret_key_is_generated_once_and_kept_in_the_data_folder(load_settings, tmp_path):
    first = load_settings()["SECRET_KEY"]
    second = load_settings()["SECRET_KEY"]

    key_file = tmp_path / "data" / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_secret_key_from_variable_or_file(load_settings, tmp_path):
    secret_file = tmp_path / "key"
    secret_file.write_text("from-a-file\n")

    assert load_settings(SECRET_KEY="from-the-env")["SECRET_KEY"] == "from-the-env"
    assert load_settings(SECRET_KEY_FILE=secret_file)["SECRET_KEY"] == "from-a-file"


def test_lists_booleans_and_sizes_parse(load_settings):
    settings = load_settings(
        ALLOWED_HOSTS="steward.example.com, .example.net",
        DEBUG="yes",
        ATTACHMENT_MAX_MB=5,
        EMAIL_HOST="smtp.example.com",
        EMAIL_PORT=587,
        EMAIL_USE_TLS="true",
        SITE_URL="https://steward.example.com/",
    )

    assert settings["ALLOWED_HOSTS"] == ["steward.example.com", ".example.net"]
    assert settings["DEBUG"] is True
    assert settings["ATTACHMENT_MAX_BYTES"] == 5 * 1024 * 1024
    assert (settings["EMAIL_HOST"], settings["EMAIL_PORT"], settings["EMAIL_USE_TLS"]) == ("smtp.example.com", 587, True)
    assert settings["SITE_URL"] == "https://steward.example.com"


def test_https_site_url_turns_on_secure_cookies_redirect_and_hsts(load_settings):
    settings = load_settings(SITE_URL="https://steward.example.com")

    assert settings["SESSION_COOKIE_SECURE"] and settings["CSRF_COOKIE_SECURE"]
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] >= 30 * 24 * 3600


def test_sqlite_database_really_runs_in_wal_mode(tmp_path):
    result = run_steward(
        "shell",
        "-c",
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('PRAGMA journal_mode')\n"
        "    print(cursor.fetchone()[0])",
        env=steward_env(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"


def test_check_deploy_reports_no_issues_with_production_settings(tmp_path):
    env = steward_env(
        tmp_path,
        SITE_URL="https://steward.example.com",
        ALLOWED_HOSTS="steward.example.com",
        SECRET_KEY=secrets.token_urlsafe(64),
    )

    result = run_steward("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
