"""The policy in effect, setting by setting: the value (the person's, from policy.toml, or the
default), the default's unit, meaning, source and evidence grade; or, when policy.toml cannot
be used, the one line ``makertime`` prints about it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from makertime.app.options import opened
from makertime.defaults import SETTINGS, Setting, toml_value
from makertime.errors import PolicyError
from makertime.limits import limit
from makertime.store import Store
from makertime.tomlfile import load_toml


@dataclass(frozen=True, slots=True)
class InEffect:
    """One setting of the policy in effect; ``changed``: policy.toml sets it."""

    setting: Setting
    value: str
    changed: bool


@dataclass(frozen=True, slots=True)
class PolicyInEffect:
    """The policy a plan is made by: its file (None: the defaults), zone, settings, or the
    error that keeps it from being used."""

    path: str | None
    timezone: str
    settings: tuple[InEffect, ...]
    error: PolicyError | None = None


def policy_in_effect(path: str | Path | None = None, *,
                     db: str | Store | None = None) -> PolicyInEffect:
    """The policy of ``path``, else of the current plan, else the defaults; each of its
    settings with the value in effect."""
    from makertime.policy import load_policy

    if path is None:
        with opened(db) as store:
            stored = store.current_plan()
            path = stored.inputs.policy_path if stored is not None else None
    chosen = Path(path) if path else None
    try:
        policy = load_policy(chosen)
        data = (load_toml(chosen, PolicyError, "policy.toml", most=limit("policy.file_bytes"))
                if chosen else {})
    except PolicyError as error:
        return PolicyInEffect(str(chosen), "", (), error)
    shown = tuple(_in_effect(setting, data) for setting in SETTINGS
                  if setting.in_policy and not setting.where)
    return PolicyInEffect(str(chosen) if chosen else None, str(policy.timezone), shown)


def _in_effect(setting: Setting, data: dict[str, Any]) -> InEffect:
    found: Any = data
    for part in setting.key.split("."):
        found = found.get(part) if isinstance(found, dict) else None
    if found is None:
        return InEffect(setting, toml_value(setting.default), changed=False)
    return InEffect(setting, toml_value(found), changed=True)


__all__ = ["InEffect", "PolicyInEffect", "policy_in_effect"]
