"""Knowledge-base settings (environment variables prefixed ``KB_``, or a ``.env`` file)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class KbSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KB_", env_file=".env", extra="ignore")

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    data_dir: Path = PROJECT_ROOT / "var"
    max_question_chars: int = 500
    answer_cache_size: int = 1024  # answers kept per published index for repeated questions; 0: none
    log_retention_days: int = 180
    user_hash_salt: str = "wanzhou-ip"
    cache_root: Path | None = None  # caches (jieba's, the scope model's) elsewhere than data_dir/cache
    gate_min_hit1: float = 0.80  # kb build refuses an index below this hit@1 on corpus/eval/dev*.yaml

    @property
    def index_root(self) -> Path:
        return self.data_dir / "index"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "questions.sqlite3"

    @property
    def cache_dir(self) -> Path:
        return self.cache_root or self.data_dir / "cache"
