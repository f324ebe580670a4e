"""Accounts, roles, sessions, API tokens and the audit trail.

Passwords are kept as argon2 hashes only, sessions and tokens as SHA-256 digests only: a copy of the database
gives no one a way in. Every sign-in, failed or not, and every change is written to the append-only audit
trail in the same transaction as the change itself.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from renkei.core.permissions import Action, Grant, Principal, RoleName
from renkei.store import rows
from renkei.store.clock import UTC, now
from renkei.store.core import Database
from renkei.store.errors import StoreError
from renkei.store.reads import PublishedReads
from renkei.store.schema import (
    AccountRow,
    AuditRow,
    GrantRow,
    MunicipalityRow,
    SessionRow,
    SphereRow,
    TokenRow,
)

MIN_PASSWORD = 10
# Sign-in limits: failures within the window, counted per name and address together, per address (any name:
# many people may share one address) and per name (any address). Past a limit each further attempt waits
# FIRST_WAIT seconds after the newest failure, doubled for each failure beyond, up to LONGEST_WAIT.
PAIR_LIMIT, ADDRESS_LIMIT, ACCOUNT_LIMIT = 5, 30, 20
WINDOW = datetime.timedelta(minutes=15)
FIRST_WAIT, LONGEST_WAIT = 30, 15 * 60
SESSION_HOURS = 12
TOKEN_PREFIX = "rk_"
_HASHER = PasswordHasher()
# A hash of no password, verified when the username is unknown so that a wrong name takes as long as a wrong
# password and response times do not tell which accounts exist.
_DUMMY = _HASHER.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class Actor:
    """Who does something, and from where: what the audit trail records."""

    principal: Principal | None
    address: str | None = None
    user_agent: str | None = None

    @property
    def username(self) -> str:
        return self.principal.username if self.principal else "-"


class Forbidden(StoreError):
    """An action that the actor's grants do not allow (``permissions.allowed``) on a sphere."""

    def __init__(self, action: Action, sphere: str) -> None:
        super().__init__("forbidden", action=action.value, sphere=sphere)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the principal, or none; ``retry_after`` seconds when refused unchecked."""

    principal: Principal | None
    retry_after: int = 0


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    is_admin: bool
    disabled: bool
    created_at: datetime.datetime
    grants: tuple[Grant, ...]


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime.datetime
    username: str
    action: str
    sphere: str | None
    target: str | None
    before: Any
    after: Any
    address: str | None
    user_agent: str | None


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: Actor,
    action: str,
    sphere: str | None = None,
    target: str | None = None,
    before: Any = None,
    after: Any = None,
    username: str | None = None,
) -> None:
    """Append one entry to the audit trail, in the caller's transaction."""
    session.add(
        AuditRow(
            at=now(),
            account_id=actor.principal.id if actor.principal else None,
            username=username or actor.username,
            action=action,
            sphere_key=sphere,
            target=target,
            before=before,
            after=after,
            address=(actor.address or "")[:64] or None,
            user_agent=(actor.user_agent or "")[:300] or None,
        )
    )


class Accounts:
    """Accounts, roles, sessions, API tokens and the audit trail (a room of ``Store``), in its database; the
    published reads give the visions that a grant's municipality is looked up in."""

    def __init__(self, database: Database, reads: PublishedReads) -> None:
        self.database = database
        self.reads = reads

    # Accounts ------------------------------------------------------------------------------------------

    def add(
        self,
        username: str,
        password: str,
        display_name: str = "",
        *,
        is_admin: bool = False,
        actor: Actor | None = None,
        must_change: bool = False,
    ) -> Account:
        username = username.strip()
        if not username or len(username) > 100 or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in username):
            raise StoreError("username-invalid", username=username)
        _check_password(password)
        with self.database.write() as session:
            if session.scalar(select(AccountRow).where(AccountRow.username == username)):
                raise StoreError("username-taken", username=username)
            row = AccountRow(
                username=username,
                display_name=display_name or username,
                password_hash=_HASHER.hash(password),
                is_admin=is_admin,
                disabled=False,
                created_at=now(),
                must_change_password=must_change,
            )
            session.add(row)
            session.flush()
            record(session, actor or Actor(None), "account-add", target=username, after={"admin": is_admin})
            return self._account(session, row)

    def all(self) -> list[Account]:
        with self.database.read() as session:
            return [
                self._account(session, r) for r in session.scalars(select(AccountRow).order_by(AccountRow.username))
            ]

    def get(self, username: str) -> Account:
        with self.database.read() as session:
            return self._account(session, self._row(session, username))

    def _row(self, session: Session, username: str) -> AccountRow:
        row = session.scalar(select(AccountRow).where(AccountRow.username == username))
        if row is None:
            raise StoreError("account-unknown", username=username)
        return row

    def _account(self, session: Session, row: AccountRow) -> Account:
        return Account(
            row.id,
            row.username,
            row.display_name,
            row.is_admin,
            row.disabled,
            row.created_at,
            self._grants(session, row.id),
        )

    def _grants(self, session: Session, account_id: int) -> tuple[Grant, ...]:
        rows = session.execute(
            select(GrantRow.role, SphereRow.key, MunicipalityRow.code, MunicipalityRow.name)
            .join(SphereRow, SphereRow.id == GrantRow.sphere_id)
            .outerjoin(MunicipalityRow, MunicipalityRow.id == GrantRow.municipality_id)
            .where(GrantRow.account_id == account_id)
            .order_by(SphereRow.key, GrantRow.role)
        ).all()
        return tuple(Grant(key, RoleName(role), code or name) for role, key, code, name in rows)

    def disable(self, username: str, disabled: bool = True, actor: Actor | None = None) -> None:
        """Disable (or enable) an account; its sessions end at once."""
        with self.database.write() as session:
            row = self._row(session, username)
            before = row.disabled
            row.disabled = disabled
            if disabled:
                for s in session.scalars(select(SessionRow).where(SessionRow.account_id == row.id)):
                    session.delete(s)
            record(
                session,
                actor or Actor(None),
                "account-disable" if disabled else "account-enable",
                target=username,
                before={"disabled": before},
                after={"disabled": disabled},
            )

    def set_password(
        self, username: str, password: str, actor: Actor | None = None, *, must_change: bool = False
    ) -> None:
        """Reset a password (an administrator's task); the account's sessions end. ``must_change`` sends the
        person to the change-password page at the next sign-in (a password handed out by someone else)."""
        _check_password(password)
        with self.database.write() as session:
            row = self._row(session, username)
            row.password_hash = _HASHER.hash(password)
            row.must_change_password = must_change
            for s in session.scalars(select(SessionRow).where(SessionRow.account_id == row.id)):
                session.delete(s)
            record(session, actor or Actor(None), "password-reset", target=username)

    def grant(
        self,
        username: str,
        sphere: str,
        role: RoleName,
        municipality: str | None = None,
        *,
        remove: bool = False,
        actor: Actor | None = None,
    ) -> None:
        """Give (or take back) a role on a sphere; a municipality editor's role names its municipality."""
        if (role is RoleName.MUNICIPALITY) != (municipality is not None):
            raise StoreError("grant-municipality", role=role.value)
        with self.database.write() as session:
            account = self._row(session, username)
            sphere_row = rows.sphere_row(session, sphere)
            municipality_id = self._municipality_id(session, sphere_row, municipality) if municipality else None
            existing = session.scalar(
                select(GrantRow).where(
                    GrantRow.account_id == account.id,
                    GrantRow.sphere_id == sphere_row.id,
                    GrantRow.role == role.value,
                    GrantRow.municipality_id.is_(None)
                    if municipality_id is None
                    else GrantRow.municipality_id == municipality_id,
                )
            )
            target = f"{username}@{sphere_row.key}"
            change = {"role": role.value, "municipality": municipality}
            if remove and existing is not None:
                session.delete(existing)
                record(session, actor or Actor(None), "grant-remove", sphere_row.key, target, before=change)
            elif not remove and existing is None:
                session.add(
                    GrantRow(
                        account_id=account.id, sphere_id=sphere_row.id, role=role.value, municipality_id=municipality_id
                    )
                )
                record(session, actor or Actor(None), "grant-add", sphere_row.key, target, after=change)

    def _municipality_id(self, session: Session, sphere: SphereRow, wanted: str) -> int:
        vision = self.reads.vision(sphere.key)
        member = vision.find_municipality(wanted)
        if member is None:
            raise StoreError("not-a-member", sphere=sphere.key, municipality=wanted)
        query = select(MunicipalityRow.id).where(
            MunicipalityRow.code == member.code if member.code else MunicipalityRow.name == member.name
        )
        found = session.scalar(query)
        assert found is not None
        return found

    def principal(self, account_id: int) -> Principal | None:
        with self.database.read() as session:
            row = session.get(AccountRow, account_id)
            if row is None or row.disabled:
                return None
            return Principal(row.id, row.username, row.is_admin, self._grants(session, row.id))

    # Signing in ----------------------------------------------------------------------------------------

    def sign_in(self, username: str, password: str, actor: Actor) -> SignIn:
        """Check a name and password under the sign-in limits; every attempt is audited once.

        Atomic per key: the name, the address and the pair are locked for the transaction (advisory locks on
        PostgreSQL; SQLite's write lock serialises every writer), so a burst of parallel guesses is counted one
        by one and at most ``PAIR_LIMIT`` passwords are checked before the delays begin. Fair: the delays are
        per pair (name and address), then per address (any name) and per name (any address) with higher
        limits, so a stranger guessing from elsewhere slows only their own address, never the real user's."""
        # No account's name holds a control character (``add`` refuses them), and PostgreSQL cannot hold a NUL:
        # such a name is looked up, limited and audited with each one replaced by U+FFFD, and matches no one.
        username = "".join("\ufffd" if ord(c) < 32 or ord(c) == 127 else c for c in username[:100])
        with self.database.write() as session:
            _lock(session, _keys(username, actor.address))
            wait = _wait(session, username, actor.address, now())
            if wait:
                # Audited once, as refused: only checked passwords count towards the limits, so a burst of
                # refused attempts neither lengthens the wait nor reaches the limit of the name.
                record(session, actor, "login-refused", username=username, after={"retry_after": wait})
                return SignIn(None, wait)
            row = session.scalar(select(AccountRow).where(AccountRow.username == username))
            ok = False
            try:
                ok = _HASHER.verify(row.password_hash if row else _DUMMY, password) and row is not None
            except (VerificationError, InvalidHashError):
                ok = False
            if not ok or row is None or row.disabled:
                record(session, actor, "login-failed", username=username)
                return SignIn(None)
            if _HASHER.check_needs_rehash(row.password_hash):
                row.password_hash = _HASHER.hash(password)
            principal = Principal(row.id, row.username, row.is_admin, self._grants(session, row.id))
            record(session, Actor(principal, actor.address, actor.user_agent), "login")
            return SignIn(principal)

    def must_change_password(self, username: str) -> bool:
        """Whether the account's password was given by an administrator and not yet changed by its owner."""
        with self.database.read() as session:
            return bool(self._row(session, username).must_change_password)

    def change_password(self, username: str, current: str, new: str, actor: Actor) -> None:
        """A person's own change of password: the new one long enough, the current one right (else
        ``password-wrong``); audited, and the administrator's request to change it is met."""
        _check_password(new)
        with self.database.write() as session:
            row = self._row(session, username)
            try:
                right: bool = _HASHER.verify(row.password_hash, current)
            except (VerificationError, InvalidHashError):
                right = False
            if not right:
                raise StoreError("password-wrong")
            row.password_hash = _HASHER.hash(new)
            row.must_change_password = False
            record(session, actor, "password-change", target=username)

    def authenticate(self, username: str, password: str, actor: Actor) -> Principal | None:
        """The account for a correct name and password (not disabled), under the sign-in limits."""
        return self.sign_in(username, password, actor).principal

    def open_session(self, principal: Principal) -> tuple[str, str]:
        """A new session: the cookie's secret and the session's CSRF token."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.database.write() as session:
            session.add(
                SessionRow(
                    id=digest(token),
                    account_id=principal.id,
                    csrf=csrf,
                    created_at=now(),
                    expires_at=now() + datetime.timedelta(hours=SESSION_HOURS),
                )
            )
        return token, csrf

    def session(self, token: str) -> tuple[Principal, str] | None:
        """The principal and CSRF token of a live session, or None."""
        with self.database.read() as session:
            row = session.get(SessionRow, digest(token))
            if row is None or _aware(row.expires_at) < now():
                return None
            account_id, csrf = row.account_id, row.csrf
        principal = self.principal(account_id)
        return (principal, csrf) if principal else None

    def close_session(self, token: str, actor: Actor) -> None:
        with self.database.write() as session:
            row = session.get(SessionRow, digest(token))
            if row is not None:
                session.delete(row)
                record(session, actor, "logout")

    # API tokens ----------------------------------------------------------------------------------------

    def create_token(self, username: str, name: str, actor: Actor | None = None) -> tuple[int, str]:
        """A new API token: its id and the secret, shown once and never stored."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.database.write() as session:
            account = self._row(session, username)
            row = TokenRow(account_id=account.id, name=name, token_hash=digest(secret), created_at=now())
            session.add(row)
            session.flush()
            record(session, actor or Actor(None), "token-create", target=f"{username}:{row.id}", after={"name": name})
            return row.id, secret

    def tokens(self, username: str) -> list[tuple[int, str, datetime.datetime, datetime.datetime | None]]:
        with self.database.read() as session:
            account = self._row(session, username)
            rows = session.scalars(select(TokenRow).where(TokenRow.account_id == account.id).order_by(TokenRow.id))
            return [(r.id, r.name, r.created_at, r.revoked_at) for r in rows]

    def revoke_token(self, token_id: int, actor: Actor | None = None) -> None:
        with self.database.write() as session:
            row = session.get(TokenRow, token_id)
            if row is None:
                raise StoreError("token-unknown", token=token_id)
            if row.revoked_at is None:
                row.revoked_at = now()
                record(session, actor or Actor(None), "token-revoke", target=str(token_id))

    def by_token(self, secret: str) -> Principal | None:
        with self.database.read() as session:
            row = session.scalar(select(TokenRow).where(TokenRow.token_hash == digest(secret)))
            if row is None or row.revoked_at is not None:
                return None
            account_id = row.account_id
        return self.principal(account_id)

    # The audit trail -----------------------------------------------------------------------------------

    def audit(self, sphere: str | None = None, limit: int = 200, offset: int = 0) -> tuple[list[AuditEntry], int]:
        """Entries newest first (of one sphere, or all), and how many there are."""
        with self.database.read() as session:
            query = select(AuditRow)
            count = select(func.count()).select_from(AuditRow)
            if sphere is not None:
                query, count = query.where(AuditRow.sphere_key == sphere), count.where(AuditRow.sphere_key == sphere)
            rows = session.scalars(query.order_by(AuditRow.id.desc()).limit(limit).offset(offset))
            entries = [
                AuditEntry(
                    r.id,
                    _aware(r.at),
                    r.username,
                    r.action,
                    r.sphere_key,
                    r.target,
                    r.before,
                    r.after,
                    r.address,
                    r.user_agent,
                )
                for r in rows
            ]
            return entries, session.scalar(count) or 0


def _keys(username: str, address: str | None) -> list[str]:
    keys = [f"name:{username}"]
    if address:
        keys += [f"address:{address}", f"pair:{address}\n{username}"]
    return sorted(keys)


def _lock(session: Session, keys: list[str]) -> None:
    """Advisory locks for this transaction, in a fixed order (PostgreSQL); SQLite holds its write lock already."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in keys:
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 7))"), {"key": "renkei-signin:" + key}
        )


def _wait(session: Session, username: str, address: str | None, moment: datetime.datetime) -> int:
    """Seconds the attempt must still wait, 0 when it may go ahead."""
    matches = AuditRow.username == username
    if address:
        matches = or_(matches, AuditRow.address == address)
    rows = session.execute(
        select(AuditRow.at, AuditRow.username, AuditRow.address).where(
            AuditRow.action == "login-failed", AuditRow.at >= moment - WINDOW, matches
        )
    ).all()
    pair = [r for r in rows if address is not None and r.username == username and r.address == address]
    by_address = [r for r in rows if address is not None and r.address == address]
    by_name = [r for r in rows if r.username == username]
    waits = [0.0]
    for limit, counted in ((PAIR_LIMIT, pair), (ADDRESS_LIMIT, by_address), (ACCOUNT_LIMIT, by_name)):
        if len(counted) >= limit:
            delay = min(FIRST_WAIT * 2 ** min(len(counted) - limit, 20), LONGEST_WAIT)
            newest = max(_aware(r.at) for r in counted)
            waits.append((newest + datetime.timedelta(seconds=delay) - moment).total_seconds())
    return max(0, math.ceil(max(waits)))


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise StoreError("password-short", minimum=MIN_PASSWORD)
