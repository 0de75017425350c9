"""Finding and loading criteria profiles: the packaged ones by id, any other by path."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .profile import Profile, ProfileError, parse_profile

PROFILES: Traversable = files("clusterdesk.form.criteria.profiles")
SUFFIX = ".toml"


def load_profile(id_or_path: str | Path) -> Profile:
    """A packaged profile by id (``national-2022``) or a profile file by path; cached."""
    text = str(id_or_path)
    if isinstance(id_or_path, Path) or text.endswith(SUFFIX) or "/" in text or "\\" in text:
        path = Path(id_or_path).resolve()
        try:
            stat = path.stat()
        except OSError as exc:
            raise ProfileError(f"评审标准配置文件 {path} 无法读取：{exc.strerror}") from None
        return _load_file(path, stat.st_mtime_ns, stat.st_size)
    return _load_packaged(text)


def list_profiles() -> list[Profile]:
    """The packaged profiles, by id."""
    ids = sorted(
        entry.name.removesuffix(SUFFIX)
        for entry in PROFILES.iterdir()
        if entry.name.endswith(SUFFIX)
    )
    return [_load_packaged(profile_id) for profile_id in ids]


def loads_profile(text: str, source: str = "（文本）") -> Profile:
    """A profile from TOML text, e.g. a round's edited copy kept in the database."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"评审标准配置 {source} 不是有效的 TOML：{exc}") from None
    return parse_profile(data, source)


@cache
def _load_packaged(profile_id: str) -> Profile:
    entry = PROFILES / f"{profile_id}{SUFFIX}"
    if not entry.is_file():
        known = "、".join(
            sorted(
                e.name.removesuffix(SUFFIX) for e in PROFILES.iterdir() if e.name.endswith(SUFFIX)
            )
        )
        raise ProfileError(f"未找到评审标准“{profile_id}”，已有：{known}")
    return _checked(loads_profile(entry.read_text(encoding="utf-8"), entry.name), entry.name)


@cache
def _load_file(path: Path, mtime_ns: int, size: int) -> Profile:
    # mtime and size are part of the key, so an edited file is read again.
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"评审标准配置文件 {path.name} 无法读取：{exc}") from None
    return _checked(loads_profile(text, path.name), path.name)


def _checked(profile: Profile, file_name: str) -> Profile:
    stem = file_name.removesuffix(SUFFIX)
    if profile.id != stem:
        raise ProfileError(
            f"评审标准配置 {file_name} 有误：\n  id：“{profile.id}”须与文件名“{stem}”一致"
        )
    return profile
