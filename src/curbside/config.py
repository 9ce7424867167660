"""Settings, read from ``CURBSIDE_*`` environment variables (nested with ``__``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "curbside"


class RetrievalSettings(BaseModel):
    dense: bool = Field(True, description="Use the dense (ONNX MiniLM) model: corpus search beside lexical search, and the router's semantic signal")
    top_k: int = Field(8, ge=1, le=100, description="Passages considered per corpus answer")


class WebSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Address `curbside serve` binds to")
    port: int = Field(8000, ge=1, le=65535, description="Port `curbside serve` binds to")
    rate_limit_per_minute: int = Field(120, ge=1, description="API requests per client per minute")
    secret_key: str = Field("dev-insecure-secret", description="Signs session cookies; set in production")


class Settings(BaseSettings):
    """All of curbside's settings.

    >>> Settings(data_dir="/tmp/cb").data_dir
    PosixPath('/tmp/cb')
    """

    model_config = SettingsConfigDict(env_prefix="CURBSIDE_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir, description="Where indexes, caches and the database live")
    kb_dirs: list[Path] = Field(default_factory=list, description="Extra folders of topic YAML files")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default is a SQLite file in data_dir")
    environment: str = Field("development", description="'development' or 'production'")
    max_question_chars: int = Field(8000, ge=100, description="Longer questions are refused (API) or cut (CLI)")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    web: WebSettings = Field(default_factory=WebSettings)

    @property
    def sqlite_url(self) -> str:
        return f"sqlite:///{self.data_dir / 'curbside.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
