"""Set-up promises: production refuses to start without a secret, `check --deploy` is
clean in production mode, pages are served. (The demo's tests are in flourish/demo/tests.)"""

import os
import subprocess
import sys


def run(args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "flourish", *args], capture_output=True,
                          text=True, env=environment, check=False)


def test_production_mode_refuses_to_start_without_a_secret():
    result = run(["check"], DEBUG="false", ALLOWED_HOSTS="flourish.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_cache_is_per_process_by_default_shared_with_a_redis_url_and_anything_else_is_refused():
    from flourish.settings import cache_from_url

    assert cache_from_url("")["BACKEND"].endswith("LocMemCache")
    assert cache_from_url("redis://cache.internal:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache.internal:6379/1",
        "KEY_PREFIX": "flourish"}
    result = run(["check"], CACHE_URL="memcached://cache.internal:11211")
    assert result.returncode != 0
    assert "CACHE_URL must be empty or a redis:// address, not 'memcached://cache.internal:11211'" in result.stderr


def test_check_deploy_passes_without_warnings_in_production_mode():
    result = run(["check", "--deploy", "--fail-level", "WARNING"], DEBUG="false",
                 SECRET_KEY="x" * 30 + "a-long-random-production-secret-value-42",
                 ALLOWED_HOSTS="flourish.example.org", EMAIL_HOST="smtp.example.org")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_home_page_and_health_check_are_served(client, db):
    assert client.get("/").status_code == 200
    assert client.get("/healthz").content == b"ok"
