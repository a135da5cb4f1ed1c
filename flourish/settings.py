"""One settings module, read from the environment.

Local default: DEBUG on, a SQLite file under var/, mail printed to the console.
Production (DEBUG=false): SECRET_KEY is required and the secure-cookie/HSTS/SSL settings
are on, so `flourish check --deploy` passes without warnings.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FLOURISH_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production mode (DEBUG=false) refuses to start without "
            "a secret: set SECRET_KEY to a long random string."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Flourish's apps first, so their registration/* templates win over the admin's.
    "flourish.core",
    "flourish.home",
    "flourish.accounts",
    "flourish.frameworks",
    "flourish.selfassess",
    "flourish.feedback",
    "flourish.development",
    "flourish.disclosure",  # the ledger of what was released to whom (before its users)
    "flourish.pulse",  # the team integration pulse (issue 15)
    "flourish.sets",
    "flourish.research",
    "flourish.qualitative",
    "flourish.api",
    "flourish.orgadmin",
    "flourish.audit",
    "flourish.jobs",
    "django_tasks",
    "django_tasks_db",
    "flourish.rights",
    # Builds the demo organisation from every app above; nothing depends on it.
    "flourish.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "flourish.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session: on SQLite a request that may write is one transaction, tried again
    # when the database stays locked past the busy timeout, else a 503 (flourish/ops/sqlitelock.py).
    "flourish.ops.sqlitelock.SQLiteLockRetryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "flourish.urls"
WSGI_APPLICATION = "flourish.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'flourish.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        # Every transaction.atomic() starts with BEGIN IMMEDIATE: it takes the write lock
        # before its first read. A deferred transaction reads, then fails at once with
        # "database is locked" when it tries to write while another writer holds the lock
        # (SQLite cannot upgrade it without a deadlock, so the timeout never applies). With
        # IMMEDIATE, writers queue at BEGIN for up to `timeout`, and each action sees a
        # state no other writer can change under it: what select_for_update() gives on
        # PostgreSQL (where select_for_update() does nothing on SQLite).
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for the lock (SQLite's busy timeout) before giving up.
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        # WAL: readers never block the writer nor the writer the readers; every process
        # of gunicorn shares the one file. synchronous stays FULL: a committed answer
        # survives a power cut.
        "init_command": "PRAGMA journal_mode=WAL",
    })
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# How many more times a request that found SQLite locked past the busy timeout is tried
# before the 503 page; (retries + 1) × the busy timeout stays under `flourish serve --timeout`.
SQLITE_LOCK_RETRIES = int(os.environ.get("SQLITE_LOCK_RETRIES", "1"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's password sign-in, refused where the organisation switched it off.
    "flourish.orgadmin.oidc.PasswordBackend",
    # Each organisation's own OpenID Connect provider (per-organisation configuration).
    "flourish.orgadmin.oidc.OrganisationOIDCBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Lock-out after repeated failed sign-ins (django-axes): per account and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "flourish.accounts.permissions.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The real client address behind a trusted proxy (see TRUSTED_PROXIES), the same one the
# rate limits use.
AXES_CLIENT_IP_CALLABLE = "flourish.ops.clientip.client_ip"

# TRUSTED_PROXIES: the addresses (IPs or CIDR networks, comma-separated) of the reverse
# proxies in front of the app. Only a request from one of them has its X-Forwarded-For
# believed, read from the right. Empty (the default): the connecting address is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

# CACHE_URL: unset = Django's per-process memory cache (fine for one app process);
# redis://host:6379/0 = one cache shared by every app process, so that rate limits are exact
# and a rendered report is cached once, however many processes serve the site.
def cache_from_url(url: str) -> dict:
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                "KEY_PREFIX": "flourish"}
    raise ImproperlyConfigured(f"CACHE_URL must be empty or a redis:// address, not {url!r}")


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}

# Requests per client address to pages reached from a rater's link (django-ratelimit).
# Generous: a whole NHS trust or council may reach us from one address.
RATER_LINK_READ_RATE = os.environ.get("RATER_LINK_READ_RATE", "600/m")
RATER_LINK_WRITE_RATE = os.environ.get("RATER_LINK_WRITE_RATE", "300/m")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the apps' static folders when no collectstatic has run (local, tests).
WHITENOISE_USE_FINDERS = DEBUG or env_bool("WHITENOISE_USE_FINDERS", False)
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Flourish <flourish@localhost>")

# Background jobs (flourish/jobs) through the tasks framework (django-tasks, the backport
# of Django 6's django.tasks). TASKS_BACKEND=database (default): the queue is a table in
# the database above, no other server. TASKS_BACKEND=rq: RQ on Redis at REDIS_URL, for
# production with several workers. Either way `flourish worker` runs the jobs.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": int(os.environ.get("JOBS_TIMEOUT_SECONDS", "3600"))}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or rq, not {TASKS_BACKEND!r}")
# A running job whose worker has not reported for this long is taken for dead and re-run.
JOBS_LEASE_SECONDS = int(os.environ.get("JOBS_LEASE_SECONDS", "600"))
# A failed attempt waits base × 2^(attempt-1) seconds (at most an hour) before the next.
JOBS_RETRY_BASE_SECONDS = int(os.environ.get("JOBS_RETRY_BASE_SECONDS", "30"))
# Give up on an unresponsive mail server after this long (the job retries later).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# Filled into the privacy notice (/privacy/) and accessibility statement (/accessibility/).
FLOURISH_OPERATOR_NAME = os.environ.get("FLOURISH_OPERATOR_NAME", "")
FLOURISH_PRIVACY_CONTACT = os.environ.get("FLOURISH_PRIVACY_CONTACT", "")
FLOURISH_ACCESSIBILITY_CONTACT = os.environ.get("FLOURISH_ACCESSIBILITY_CONTACT", "")
FLOURISH_ACCESSIBILITY_REVIEWED = os.environ.get("FLOURISH_ACCESSIBILITY_REVIEWED", "")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Health probes often speak plain HTTP to the app itself: answer them, do not redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Every record goes through one console handler whose filter masks the token in rater
# links (flourish/ops/logmask.py). Django's own loggers are re-pointed at it: its defaults
# give django.server (runserver) and, under DEBUG, django its own unfiltered handlers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_tokens": {"()": "flourish.ops.logmask.MaskTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# A bench-only view that writes one row (bench/run.py's floor for the load benchmark).
# Never on in production: the URL exists only when this is set.
BENCH_FLOOR = env_bool("FLOURISH_BENCH_FLOOR", False)
