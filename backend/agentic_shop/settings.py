"""The one source of truth for configuration (environment variables or a `.env` file).

Every variable is documented in `.env.example` at the repository root.
"""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# backend/agentic_shop/settings.py -> repository root
REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=REPO_ROOT / ".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # --- database -------------------------------------------------------------------------------
    database_url: str | None = Field(
        default=None,
        description="Any PostgreSQL with pgvector. Unset: an embedded PostgreSQL is started on demand.",
    )
    embedded_pg_dir: Path = Field(default=REPO_ROOT / "var" / "pgdata", description="Embedded server data.")
    embedded_pg_port: int = Field(
        default=54329, ge=1024, le=65535, description="Port of the embedded server (unix socket name; TCP)."
    )

    db_pool_size: int = Field(default=20, ge=1, le=200, description="Database connections kept open.")
    db_pool_overflow: int = Field(default=10, ge=0, le=200, description="Extra connections under load.")
    db_pool_timeout_s: float = Field(
        default=5.0, gt=0, description="Wait for a free connection; then 503 'very busy'."
    )

    # --- embeddings -----------------------------------------------------------------------------
    embedding_provider: Literal["local", "openai", "azure"] = "local"
    embedding_threads: int = Field(default=2, ge=1, le=64, description="onnxruntime intra-op threads.")
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_embedding_model: str = "text-embedding-3-small"
    azure_openai_endpoint: str | None = None
    azure_openai_api_version: str = "2024-10-21"
    embedding_timeout_s: float = Field(default=15.0, gt=0)

    # --- LLM (fact extraction now; the agents build on it) -------------------------------------
    llm_provider: Literal["offline", "openai", "azure", "openai-compatible"] = Field(
        default="offline", description="offline: deterministic engine, no network."
    )
    llm_model: str = Field(default="gpt-4o-mini", description="Model name (Azure: the deployment name).")
    llm_base_url: str | None = Field(
        default=None, description="For openai-compatible servers (Ollama, vLLM)."
    )
    llm_api_key: SecretStr | None = Field(default=None, description="Unset: OPENAI_API_KEY.")
    llm_timeout_s: float = Field(default=15.0, gt=0, description="Per LLM call; then the offline engine.")
    llm_json_mode: Literal["auto", "json_schema", "json_object_schema", "json_object", "text"] = Field(
        default="auto",
        description="How JSON is asked for. auto: strict json_schema first, stepping down to what the"
        " server takes (remembered per endpoint and model).",
    )
    llm_max_in_flight: int = Field(
        default=4, ge=1, le=256, description="LLM calls at once per process; beyond it, offline at once."
    )
    llm_breaker_failures: int = Field(
        default=3, ge=1, description="Failures in a row after which the LLM is not asked for a while."
    )
    llm_breaker_s: float = Field(default=10.0, ge=0, description="How long that pause lasts.")

    # --- memory ---------------------------------------------------------------------------------
    memory_half_life_days: float = Field(
        default=90.0,
        gt=0,
        description="Recall weighs recency: a memory last stated, confirmed or used this many days ago"
        " counts half as recent as one from today (it fades in ranking; age alone deletes nothing).",
    )
    memory_recency_weight: float = Field(
        default=0.3,
        ge=0,
        le=1,
        description="Share of a search score that recency can take away: 0 ranks by meaning alone; at"
        " 0.3 the oldest memory keeps 70% of its relevance.",
    )
    learn_min_shoppers: int = Field(
        default=3,
        ge=2,
        description="Agents use what they learned from all shoppers (agent-level memories) only once"
        " this many distinct shoppers showed it.",
    )
    learn_every_s: float = Field(
        default=60.0, ge=0, description="At most one relearn per this many seconds (when conversations end)."
    )
    conversation_idle_minutes: float = Field(
        default=30.0,
        gt=0,
        description="A conversation with no message for this long has ended: it is summarized into one"
        " memory and the next message starts a new one.",
    )

    # --- web ------------------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: SecretStr | None = Field(
        default=None, description="Signs the session cookie. Unset: a random key kept in var/secret_key."
    )
    search_max_results: int = Field(default=48, ge=1, le=500)
    demo_reset: bool = Field(
        default=True,
        description="Whether the footer's Reset demo may put the whole database back to the seed (as"
        " `shop reset`). Turn off where shoppers should not reset each other's demo.",
    )
    allowed_hosts: list[str] = Field(
        default=["localhost", "127.0.0.1", "::1"],
        description="Host names the shop answers to (the Host header); any other gets a 400, so a"
        " DNS-rebinding page cannot reach the API. Add a proxy's public name, e.g. a Codespace's."
        ' JSON list; ["*"] answers any.',
    )
    trusted_origins: list[str] = Field(
        default=[],
        description="Origins besides the shop's own address that may post forms (a forwarding proxy's"
        " public URL, e.g. a Codespace's). JSON list.",
    )

    # --- paths ----------------------------------------------------------------------------------
    data_dir: Path = REPO_ROOT / "data"
    frontend_dir: Path = REPO_ROOT / "frontend"
    catalog_cache_s: float = Field(
        default=5.0,
        ge=0,
        description="Seconds an app process keeps a catalog read (0: off); another process's import"
        " shows within that.",
    )
    reload_templates: bool = Field(
        default=False, description="Re-read a template when its file changes (while editing them)."
    )
    var_dir: Path = REPO_ROOT / "var"

    @field_validator("embedded_pg_dir", "data_dir", "frontend_dir", "var_dir")
    @classmethod
    def _relative_to_repo(cls, path: Path) -> Path:
        # Relative paths in .env mean "from the repository root", wherever the command runs.
        return path if path.is_absolute() else REPO_ROOT / path


@lru_cache
def get_settings() -> Settings:
    return Settings()
