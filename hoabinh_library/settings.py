"""Settings of the Hòa Bình library cooperation portal.

Everything that differs between a developer's laptop and production is read from the
environment (documented in `.env.example`). The defaults are the embedded ones: SQLite and a
filesystem Celery broker under `var/`, e-mail written to files, so that `make run` works on a
machine with nothing but Python. Production values are refused when unsafe.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-for-hoabinh-portal"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "core.apps.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_ratelimit",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "directory",
    "programs",
    "reports",
    "training",
    "circulation",
    "notifications",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.UploadSizeLimitMiddleware",
    "core.middleware.CleanInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "hoabinh_library.urls"
WSGI_APPLICATION = "hoabinh_library.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
# Persistent connections are checked before each request reuses them, so that after a
# PostgreSQL restart the portal answers again at once, without being restarted itself.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0), conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: wait for the lock instead of failing, take the
    # write lock at the start of a transaction so two writers never deadlock, and use WAL so
    # readers never block the writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The test database is a file (one per test run), so that a real Celery worker started
    # by a test can open the same database the test writes.
    DATABASES["default"]["TEST"] = {
        "NAME": env_str("SQLITE_TEST_NAME", str(VAR_DIR / f"test-{os.getpid()}.sqlite3")),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The portal's queries are each read once per request: PostgreSQL's JIT compiles those
    # whose estimated cost is a country's (the completeness counts over every office) and the
    # compiling takes longer than it saves: 35 of the 80 ms measured at 700 districts.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "directory.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor sign-in (django-otp): leadership, focal officers and administrators may enrol an
# authenticator app (TOTP) with recovery codes; once enrolled, every sign-in asks for a code.
# Required for staff on the admin site in production (the demo, with DEBUG on, does without).
TWO_FACTOR_REQUIRED_FOR_ADMIN = env_bool("TWO_FACTOR_REQUIRED_FOR_ADMIN", not DEBUG)
OTP_TOTP_ISSUER = "Cổng Thư viện Hòa Bình"
# No page of the admin shows a device's key or its QR code, to anyone.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# django-axes: lock a user name (however it is spelled, from any address) after
# AXES_FAILURE_LIMIT failures, and an address after AXES_IP_FAILURE_LIMIT failures on any
# names (core.security). The client address is read from X-Forwarded-For only when the
# request comes from one of TRUSTED_PROXIES (addresses or networks of the reverse proxy).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # the order core.security relies on
AXES_HANDLER = "core.security.PortalAxesHandler"
AXES_USERNAME_CALLABLE = "core.security.axes_username"
AXES_CLIENT_IP_CALLABLE = "core.security.axes_client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# django-ratelimit: password-reset requests and the public certificate check, per client
# address (core.security.client_ip). The counters live in the cache: set CACHE_URL (Redis)
# when more than one web process runs, otherwise each process counts on its own.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    # The keys carry the database's name: two portals on one Redis (a staging copy beside
    # production, the benchmark's two scales) never read each other's kept figures, which are
    # keyed by ids both databases hold.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": re.sub(r"[^\w.-]", "_", str(DATABASES["default"]["NAME"]))[-80:],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}
# With a shared cache, sessions are read from it and written through to the database: one
# query fewer on every signed-in request, and nothing lost when the cache restarts.
if CACHE_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
RATELIMIT_IP_META_KEY = "core.security.client_ip"
RATELIMIT_VIEW = "core.views.ratelimited"
RATELIMIT_PASSWORD_RESET = env_str("RATELIMIT_PASSWORD_RESET", "5/15m")
RATELIMIT_VERIFY = env_str("RATELIMIT_VERIFY", "30/m")
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]  # Django's own Redis cache is atomic
if not CACHE_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")  # one process: its memory is shared enough

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["hoabinh_library.formats"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # never routed: uploads are private (core.files)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Private downloads (django-sendfile2): after the access check, "nginx" answers with
# X-Accel-Redirect to SENDFILE_URL, an `internal` nginx location aliasing MEDIA_ROOT, so a
# large file never ties up a worker; "simple" streams from Django (development, tests).
_SENDFILE_BACKENDS = {"simple": "django_sendfile.backends.simple", "nginx": "django_sendfile.backends.nginx"}
SENDFILE_BACKEND_NAME = env_str("SENDFILE_BACKEND", "simple" if DEBUG else "nginx")
if SENDFILE_BACKEND_NAME not in _SENDFILE_BACKENDS:
    raise ImproperlyConfigured("SENDFILE_BACKEND must be 'simple' or 'nginx'.")
SENDFILE_BACKEND = _SENDFILE_BACKENDS[SENDFILE_BACKEND_NAME]
SENDFILE_ROOT = str(MEDIA_ROOT)
SENDFILE_URL = "/_private/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "core.staticfiles.StaticFilesStorage"
        )
    },
}

# Uploads: a request body over this size is refused before Django reads it.
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- Backups (core/backups.py) ------------------------------------------------------------
# Nightly archive (database, uploaded files, manifest) from beat, kept 7 daily and 4 weekly.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP_DAILY = env_int("BACKUP_KEEP_DAILY", 7)
BACKUP_KEEP_WEEKLY = env_int("BACKUP_KEEP_WEEKLY", 4)
BACKUP_HOUR = env_int("BACKUP_HOUR", 2)  # local hour (Asia/Ho_Chi_Minh) of the nightly backup

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cổng phối hợp thư viện Hòa Bình <noreply@thuvien.hoabinh.gov.vn>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://localhost//")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"
    for _d in (_queue_dir, _processed_dir, _control_dir):
        _d.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
else:
    # Tasks are short; a visibility timeout longer than any task means an unacknowledged
    # task of a killed worker is redelivered, never lost (acks_late below).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
REMINDER_SWEEP_MINUTES = env_int("REMINDER_SWEEP_MINUTES", 15)
REMINDER_SEND_HOUR = env_int("REMINDER_SEND_HOUR", 7)  # local hour reminders go out
REMINDER_DIGEST_HOUR = env_int("REMINDER_DIGEST_HOUR", 7)  # local hour of the daily digest
NOTIFICATIONS_LEASE_SECONDS = env_int("NOTIFICATIONS_LEASE_SECONDS", 300)  # a delivery claimed longer is retried
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 12)  # then marked failed, retry from the admin

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# django-csp 4: everything from the portal itself, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Bootstrap components and progress bars set style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- REST API (api/) ------------------------------------------------------------------------
# Personal tokens or the browser session; JSON only (the interactive docs are at /api/docs/).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle", "api.throttling.AddressRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("API_THROTTLE_TOKEN", "120/minute"),
        "address": env_str("API_THROTTLE_ADDRESS", "300/minute"),
        "certificate": env_str("API_THROTTLE_CERTIFICATE", "20/minute"),
    },
    # Client address for the per-address throttle: REMOTE_ADDR unless N trusted proxies in front
    # (then the N-th address from the right of X-Forwarded-For), so the header cannot be forged.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Cổng phối hợp Thư viện - Giáo dục tỉnh Hòa Bình",
    "DESCRIPTION": (
        "API đọc và gửi số liệu của cổng: danh bạ, chương trình và kế hoạch, báo cáo 6 tháng "
        "(kể cả nhập hàng loạt theo kiểu dataValueSets của DHIS2), đào tạo, luân chuyển sách, thông báo. "
        "Xác thực bằng khóa API cá nhân (tạo ở trang Khóa API trong hồ sơ): `Authorization: Bearer <khóa>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public validator: the page stays within the portal's CSP.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "persistAuthorization": False},
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "TAGS": [
        {"name": "Danh bạ", "description": "Đơn vị hành chính, cơ quan và đơn vị."},
        {"name": "Chương trình", "description": "Chương trình phối hợp, điều khoản, kế hoạch năm, hoạt động."},
        {"name": "Báo cáo", "description": "Kỳ báo cáo, chỉ tiêu, báo cáo 6 tháng, tình hình nộp, tổng hợp."},
        {"name": "Trao đổi số liệu", "description": "Nhập, xuất giá trị báo cáo theo dataValueSets của DHIS2."},
        {"name": "Đào tạo", "description": "Khóa đào tạo, buổi học, đề cử, xác thực giấy chứng nhận."},
        {"name": "Luân chuyển sách", "description": "Bộ sách, tên sách, đợt luân chuyển."},
        {"name": "Thông báo", "description": "Hộp thư thông báo của người dùng."},
        {"name": "Khóa API", "description": "Khóa API cá nhân."},
    ],
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "reports.models.Report.Status",
        "PlanStatusEnum": "programs.models.AnnualPlan.Status",
        "ActivityStatusEnum": "programs.models.PlanActivity.Status",
        "CourseStatusEnum": "training.models.Course.Status",
        "RotationStatusEnum": "circulation.models.Rotation.Status",
        "SideEnum": "programs.models.Side",
        "SchoolLevelEnum": "directory.models.Organisation.SchoolLevel",
        "PrefillEnum": "reports.models.Indicator.Prefill",
        "ImportValueStatusEnum": [
            ("imported", "imported"),
            ("updated", "updated"),
            ("ignored", "ignored"),
            ("conflict", "conflict"),
        ],
        "ImportStatusEnum": [("SUCCESS", "SUCCESS"), ("WARNING", "WARNING"), ("ERROR", "ERROR")],
    },
}
# How long a token's "last used" time may lag behind: one write per token per minute at most.
API_TOKEN_TOUCH_SECONDS = env_int("API_TOKEN_TOUCH_SECONDS", 60)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}, "dbbackup": {"level": "WARNING"}},
}

PORTAL_NAME = _("Cổng phối hợp Thư viện - Giáo dục tỉnh Hòa Bình")
