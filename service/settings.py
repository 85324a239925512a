"""The one settings object of the service, from ATTEST_* environment variables (pydantic-settings).

The embedded default is SQLite, a local content-addressed file store and an in-process worker.
Outside development, placeholder secrets are refused.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_data_dir", "get_settings"]

_PLACEHOLDER_SECRET = "dev-only-change-me"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "attest"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ATTEST_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None  # default: sqlite in data_dir
    secret_key: str = _PLACEHOLDER_SECRET

    # jobs
    job_backend: Literal["inprocess", "celery"] = "inprocess"
    redis_url: str = "redis://127.0.0.1:6379/0"
    inprocess_workers: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1))  # about one per core
    inprocess_processes: bool = True  # the embedded worker's jobs in child processes (False: threads of the web)
    upload_threads: int = 8  # uploads in their database step at once, per web process
    web_pin_cpu: bool = True  # each web process on one core (service.webserver.pin_to_one_cpu)
    job_niceness: int = 19  # background jobs yield the CPU to requests (service.jobs.priority); 0 = same priority
    job_lease_s: float = 60.0  # a running job's lease; renewed by a heartbeat, expired = worker died
    job_max_attempts: int = 3
    # a job process whose memory (RSS) is above this after a job is replaced by a fresh one (0: never)
    job_max_rss_mb: int = 1536

    # files
    storage_backend: Literal["local", "s3"] = "local"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    max_upload_bytes: int = 50 * 1024 * 1024
    upload_spool_stale_s: float = 3600.0  # a partial upload not written to for this long is from a dead process
    prepared_signing_max_age_s: float = 86400.0  # a PDF prepared for a signing not finished by then is removed

    # generation / LibreOffice converter
    converter_host: str = "127.0.0.1"
    converter_port: int = 2003
    converter_uno_port: int = 2002
    converter_python: str | None = None  # Debian's python3 with uno (default: .venv-uno beside the running venv)
    converter_timeout_s: float = 60.0
    organisation_p12: Path | None = None  # signing key of the organisation (PKCS#12)
    organisation_p12_password: str | None = None
    tsa_url: str | None = None
    ncalayer_url: str = "wss://127.0.0.1:13579"  # NCALayer's WebSocket on the official's computer (tests: a test server)
    ncalayer_timeout_s: float = 120.0  # how long the signing page waits for NCALayer's answer

    # verification
    trust_dir: Path | None = None
    allow_online_revocation: bool = False

    # web
    session_max_age_s: int = 8 * 3600
    cookie_secure: bool = False
    login_max_attempts: int = 5
    login_max_attempts_per_ip: int = 50  # failed logins from one address (a school's NAT) per window
    login_window_s: int = 300

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key == _PLACEHOLDER_SECRET:
            raise ValueError("ATTEST_SECRET_KEY must be set to a random value in production")
        return self

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'attest.db'}"

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
