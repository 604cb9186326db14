"""Who may see Takt and who may change it: optional sign-in and two roles.

Without an `[auth]` section in `.streamlit/secrets.toml`, Takt runs for one local user who
may do everything, and nobody is asked to sign in. With one, Streamlit's own OIDC sign-in
(`st.login`) guards every page, and the `[takt]` section names the roles:

    [takt]
    editors = ["anna@plant.example"]        # import, undo, targets, settings, actions, notes
    viewers = ["@plant.example"]            # browse every page; "@domain" admits a domain
    default_role = "none"                   # anyone else who signs in: "none" or "viewer"

A signed-in user on neither list gets `default_role`, "none" unless set: an identity
provider such as Google lets anybody sign in, so access is granted by name, never by
default. With `TAKT_ROLLUPS` set the app serves precomputed rollups and nobody edits.

The decisions are pure functions (`role_for`, `access`) over plain dicts; `current()` feeds
them Streamlit's secrets and `st.user`. Pages hide write controls when `can_edit()` is
False, and every write goes through `ui.writes`, which refuses it on the server as well.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from analytics.scale.serving import DEMO_READ_ONLY
from ui.boot import ensure_app
from ui.cache import STORE_CHOICE

EDITOR, VIEWER = "editor", "viewer"
DEFAULT_ROLES = ("none", VIEWER)  # what `default_role` may say; "none" means no access


class EditRefused(PermissionError):
    """A write was asked for by someone who may not edit (a viewer, or read-only serving)."""


@dataclass(frozen=True)
class Roles:
    editors: frozenset[str] = frozenset()
    viewers: frozenset[str] = frozenset()
    default: str | None = None  # the role of a signed-in user on neither list


def roles_from(section: Mapping | None) -> Roles:
    """The `[takt]` secrets section as Roles; a malformed one is refused, not guessed at."""
    section = section or {}
    default = section.get("default_role", "none")
    if default not in DEFAULT_ROLES:
        raise ValueError(f"[takt] default_role must be one of {DEFAULT_ROLES}, not {default!r}")
    return Roles(
        editors=_entries(section.get("editors", []), "editors"),
        viewers=_entries(section.get("viewers", []), "viewers"),
        default=None if default == "none" else default,
    )


def _entries(values, name: str) -> frozenset[str]:
    if isinstance(values, str) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"[takt] {name} must be a list of e-mail addresses or '@domain'")
    return frozenset(v.strip().lower() for v in values if v.strip())


def _listed(email: str, entries: frozenset[str]) -> bool:
    """An exact address, or '@domain' for every address of that domain (not its subdomains)."""
    return email in entries or ("@" + email.rpartition("@")[2]) in entries


def role_for(email: str | None, roles: Roles, *, verified: bool = True) -> str | None:
    """EDITOR, VIEWER or None (no access) for a signed-in user; editors win over viewers.

    An address the identity provider says it has not verified names nobody: such a user
    gets only the default role.
    """
    address = (email or "").strip().lower() if verified else ""
    if "@" in address:
        if _listed(address, roles.editors):
            return EDITOR
        if _listed(address, roles.viewers):
            return VIEWER
    return roles.default


@dataclass(frozen=True)
class Access:
    """What this session may do, and why not when it may not."""

    role: str | None  # EDITOR, VIEWER, or None: may not see the data
    sign_in: bool  # a provider is configured (else: one local user, no sign-in)
    signed_in: bool
    email: str | None = None
    read_only: str | None = None  # why nobody edits here (serving rollups), else None

    @property
    def must_sign_in(self) -> bool:
        return self.sign_in and not self.signed_in

    @property
    def can_edit(self) -> bool:
        return self.role == EDITOR and self.read_only is None


ROLLUPS_READ_ONLY = (
    "Read-only: Takt is serving precomputed rollups. Imports, undo and edits are made "
    "where the rollups are computed."
)


def access(secrets: Mapping, user: Mapping, environ: Mapping, demo: bool = False) -> Access:
    """The decision, from the secrets, the `st.user` claims, the environment and whether
    the session looks at the demo plant (read-only for everybody) alone."""
    read_only = ROLLUPS_READ_ONLY if environ.get("TAKT_ROLLUPS") else None
    read_only = DEMO_READ_ONLY if demo and not read_only else read_only
    if "auth" not in secrets:
        return Access(EDITOR, sign_in=False, signed_in=False, read_only=read_only)
    if not user.get("is_logged_in"):
        return Access(None, sign_in=True, signed_in=False, read_only=read_only)
    email = user.get("email")
    verified = user.get("email_verified", True) is not False
    role = role_for(email, roles_from(secrets.get("takt")), verified=verified)
    return Access(role, sign_in=True, signed_in=True, email=email, read_only=read_only)


# -- Streamlit side -----------------------------------------------------------------------
def _secrets() -> dict:
    return st.secrets.to_dict() if st.secrets.load_if_toml_exists() else {}


def current() -> Access:
    """This session's access (cheap: the secrets are parsed once per process)."""
    choice = st.session_state.get(STORE_CHOICE)
    return access(_secrets(), st.user.to_dict(), os.environ, demo=bool(choice and choice.demo))


def can_edit() -> bool:
    return current().can_edit


def require_editor() -> None:
    """Called by every write (`ui.writes`): hidden controls are not the only guard."""
    now = current()
    if not now.can_edit:
        raise EditRefused(read_only_text(now))


def read_only_text(now: Access) -> str:
    if now.read_only:
        return now.read_only
    if now.role == VIEWER:
        return (
            "Read-only: you are signed in as a viewer. You can browse every page; importing, "
            "undoing and editing need the editor role."
        )
    return "Read-only: this session may not change anything."


def read_only_notice() -> bool:
    """Say plainly, once per page, that nothing can be changed here; True when read-only."""
    now = current()
    if now.can_edit:
        return False
    st.info(read_only_text(now), icon=":material/visibility:")
    return True


def gate() -> Access:
    """Stop the run unless this session may see the data: app.py and every page call it
    (a page opened by URL right after a server start can run without app.py)."""
    ensure_app()
    now = current()
    if now.must_sign_in:
        st.title("Takt")
        st.write("Sign in to see the plant's figures.")
        if st.button("Sign in", type="primary", icon=":material/login:"):
            provider = (_secrets().get("takt") or {}).get("provider")
            st.login(provider) if provider else st.login()
        st.stop()
    if now.role is None:
        st.title("Takt")
        st.error("Your account has no access to Takt. Ask whoever runs it to add you.")
        st.text(now.email or "")  # the provider's claim: shown as plain text
        if st.button("Sign out", icon=":material/logout:"):
            st.logout()
        st.stop()
    return now


def sidebar_identity(now: Access) -> None:
    """Who is signed in and in which role, with a way out; nothing for the local user."""
    if now.read_only:
        st.sidebar.badge("Read-only", icon=":material/visibility:", color="gray")
    if not now.signed_in:
        return
    st.sidebar.caption(f"Signed in ({now.role})")
    st.sidebar.text(now.email or "")
    if st.sidebar.button("Sign out", icon=":material/logout:", key="sign-out"):
        st.logout()
