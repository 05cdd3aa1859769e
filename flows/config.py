"""``claimledger.toml``: what a scheduled ingest watches and how often.

The file uses the same names as the ``serve`` command's flags (``db``,
``report``, ``cron``, ``interval``, ``ner``) plus a ``[sources]`` table and
an optional ``[fetch]`` table; flags given on the command line win over the
file (see :func:`with_overrides`).  Relative folder paths are read relative to
the file, so a config keeps working when the scheduler starts elsewhere.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = "claimledger.toml"
DEFAULT_GLOB = "**/*"
DEFAULT_NAME = "claimledger-scheduled-ingest"
_TOP_KEYS = {"db", "report", "cron", "interval", "ner", "name", "dask", "sources", "fetch"}
_SOURCE_KEYS = {"folders", "urls", "feeds"}
_FETCH_KEYS = {"timeout", "max_bytes", "retry_delays", "allow_private"}
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_RETRY_DELAYS = (1.0, 4.0, 10.0)
MAX_RETRIES = 50  # Prefect refuses a longer retry_delay_seconds list
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_HOST_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$")


class ConfigError(ValueError):
    """The scheduled-ingest configuration cannot be used."""


@dataclass(frozen=True, slots=True)
class FolderSource:
    """A watched folder: files under ``path`` matching ``glob`` (``**`` recurses)."""

    path: str
    glob: str = DEFAULT_GLOB
    reference: bool = False  # its documents are reference sources (official reports, bulletins)


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How sources are read: the ``[fetch]`` table, for ``ingest`` and ``serve`` alike.

    ``timeout`` and ``max_bytes`` are passed to the fetch task as arguments;
    ``retry_delays`` become the task's Prefect retries (one retry per delay).
    ``allow_private`` lists the networks (``10.0.0.0/8``, ``127.0.0.1``) and
    host names (``intranet.example``) that addresses discovered in content may
    reach although they are loopback, private or link-local; ``discovered`` is
    not configured but filled per cycle with the feed item links, so that the
    fetch knows which sources nobody named (see :mod:`flows.fetch`).
    """

    timeout: float = DEFAULT_TIMEOUT_S
    max_bytes: int = DEFAULT_MAX_BYTES
    retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS
    allow_private: tuple[str, ...] = ()
    discovered: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ServeConfig:
    db: str | None = None
    report: str | None = None
    cron: str | None = None
    interval: str | None = None
    ner: str = "rules"
    name: str = DEFAULT_NAME
    dask: str | None = None  # scheduler address: run each cycle's tasks on that Dask cluster
    folders: tuple[FolderSource, ...] = ()
    urls: tuple[str, ...] = ()
    reference_urls: tuple[str, ...] = ()  # those of ``urls`` given as { url = ..., reference = true }
    feeds: tuple[str, ...] = ()
    fetch: FetchSettings = field(default_factory=FetchSettings)

    @property
    def interval_seconds(self) -> float | None:
        return parse_interval(self.interval) if self.interval else None

    @property
    def has_sources(self) -> bool:
        return bool(self.folders or self.urls or self.feeds)


def parse_interval(text: str | int | float) -> float:
    """``"15m"`` -> 900.0; a bare number is seconds.  Zero or negative is refused."""
    match = _INTERVAL.match(str(text))
    if not match:
        raise ConfigError(f"[C001] interval {text!r} is not like 90, 30s, 15m, 2h or 1d")
    seconds = float(match.group(1)) * _UNITS[match.group(2) or "s"]
    if seconds <= 0:
        raise ConfigError(f"[C002] interval {text!r} must be longer than zero")
    return seconds


def load_config(path: str | Path | None = None, *, required: bool = False) -> ServeConfig:
    """Read ``path`` (default ./claimledger.toml); a missing default file is an empty config."""
    chosen = Path(path or DEFAULT_CONFIG).expanduser()
    if not chosen.exists():
        if required or path is not None:
            raise ConfigError(f"[C003] config file {chosen} does not exist")
        return ServeConfig()
    try:
        data = tomllib.loads(chosen.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"[C004] {chosen} is not valid TOML: {exc}") from None
    return config_from_mapping(data, base_dir=chosen.resolve().parent)


def config_from_mapping(data: Mapping[str, Any], *, base_dir: Path | None = None) -> ServeConfig:
    _no_unknown(data, _TOP_KEYS, "top level")
    sources = data.get("sources", {})
    _no_unknown(sources, _SOURCE_KEYS, "[sources]")
    fetch = data.get("fetch", {})
    _no_unknown(fetch, _FETCH_KEYS, "[fetch]")
    config = ServeConfig(
        db=_opt_str(data, "db"),
        report=_opt_str(data, "report"),
        cron=_opt_str(data, "cron"),
        interval=str(data["interval"]) if "interval" in data else None,
        ner=str(data.get("ner", "rules")),
        name=str(data.get("name", DEFAULT_NAME)),
        dask=_opt_str(data, "dask"),
        folders=tuple(_folder(item, base_dir) for item in sources.get("folders", [])),
        urls=tuple(_url(u)[0] for u in sources.get("urls", [])),
        reference_urls=tuple(url for url, ref in map(_url, sources.get("urls", [])) if ref),
        feeds=tuple(str(u) for u in sources.get("feeds", [])),
        fetch=_fetch(fetch),
    )
    return validate(config)


def with_overrides(config: ServeConfig, **flags: Any) -> ServeConfig:
    """Command-line flags win; a flag left at ``None`` keeps the file's value.

    Giving ``--cron`` clears the file's ``interval`` and vice versa, so the
    flag replaces the schedule rather than conflicting with it.
    """
    given = {k: v for k, v in flags.items() if v is not None}
    if "cron" in given and "interval" not in given:
        given["interval"] = None
    if "interval" in given and "cron" not in given:
        given["cron"] = None
    return validate(replace(config, **given))


def validate(config: ServeConfig) -> ServeConfig:
    if config.cron and config.interval:
        raise ConfigError("[C005] give either cron or interval, not both")
    if config.interval:
        parse_interval(config.interval)
    if config.cron and len(config.cron.split()) not in (5, 6):
        raise ConfigError(f"[C006] cron {config.cron!r} needs 5 fields, like '0 * * * *'")
    return config


def _folder(item: Any, base_dir: Path | None) -> FolderSource:
    if isinstance(item, str):
        item = {"path": item}
    if not isinstance(item, Mapping) or "path" not in item:
        raise ConfigError(f"[C007] each [sources] folders entry needs a path, got {item!r}")
    _no_unknown(item, {"path", "glob", "reference"}, "a folders entry")
    path = Path(str(item["path"])).expanduser()
    if base_dir is not None and not path.is_absolute():
        path = base_dir / path
    return FolderSource(str(path), str(item.get("glob", DEFAULT_GLOB)), _flag(item, "reference"))


def _url(item: Any) -> tuple[str, bool]:
    """A ``urls`` entry: a string, or ``{ url = "...", reference = true }``."""
    if isinstance(item, str):
        return item, False
    if not isinstance(item, Mapping) or "url" not in item:
        raise ConfigError(f"[C011] each [sources] urls entry is a string or a table with url, got {item!r}")
    _no_unknown(item, {"url", "reference"}, "a urls entry")
    return str(item["url"]), _flag(item, "reference")


def _flag(item: Mapping[str, Any], key: str) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"[C012] {key} must be true or false, got {value!r}")
    return value


def _fetch(data: Mapping[str, Any]) -> FetchSettings:
    return fetch_overrides(FetchSettings(), timeout=data.get("timeout"), max_bytes=data.get("max_bytes"),
                           retry_delays=data.get("retry_delays"), allow_private=data.get("allow_private"))


def fetch_overrides(settings: FetchSettings, *, timeout: Any = None, max_bytes: Any = None,
                    retry_delays: Any = None, allow_private: Any = None) -> FetchSettings:
    """``settings`` with the given values (file or command line) checked and applied.

    ``retry_delays`` may be a list of seconds or a comma-separated string
    (``"1,4,10"``; ``""`` means no retries), as typed after ``--retry-delays``.
    """
    allowed = () if allow_private is None else _allow_list(allow_private)
    try:
        if isinstance(retry_delays, str):
            retry_delays = [part for part in retry_delays.replace(" ", "").split(",") if part]
        updated = replace(
            settings,
            timeout=settings.timeout if timeout is None else float(timeout),
            max_bytes=settings.max_bytes if max_bytes is None else int(max_bytes),
            retry_delays=settings.retry_delays if retry_delays is None
            else tuple(float(d) for d in retry_delays),
            allow_private=settings.allow_private if allow_private is None else allowed,
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[C008] bad [fetch] value: {exc}") from None
    if updated.timeout <= 0 or updated.max_bytes <= 0 or any(d < 0 for d in updated.retry_delays):
        raise ConfigError("[C008] bad [fetch] value: timeout and max_bytes must be positive, "
                          "retry delays zero or more")
    if len(updated.retry_delays) > MAX_RETRIES:
        raise ConfigError(f"[C008] bad [fetch] value: at most {MAX_RETRIES} retry delays")
    return updated


def _allow_list(entries: Any) -> tuple[str, ...]:
    """``[fetch] allow_private``: each entry a network or address (normalized) or a host name (lowercased)."""
    if isinstance(entries, str) or not isinstance(entries, (list, tuple)):
        raise ConfigError(f"[C008] bad [fetch] value: allow_private must be a list, got {entries!r}")
    return tuple(_allow_entry(entry) for entry in entries)


def _allow_entry(entry: Any) -> str:
    text = str(entry).strip().lower().rstrip(".")
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError:
        pass
    if not isinstance(entry, str) or not _HOST_NAME.match(text):
        raise ConfigError(f"[C008] bad [fetch] value: allow_private entry {entry!r} is neither "
                          "a network (10.0.0.0/8), an address nor a host name")
    return text


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None or value == "" else str(value)


def _no_unknown(data: Any, allowed: set[str], where: str) -> None:
    if not isinstance(data, Mapping):
        raise ConfigError(f"[C009] {where} must be a table, got {type(data).__name__}")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(f"[C010] unknown key(s) {', '.join(unknown)} in {where}; "
                          f"known: {', '.join(sorted(allowed))}")
