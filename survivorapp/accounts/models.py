"""Users and their roles. A person may hold several roles (a survivor who becomes a mentor)."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import EncryptedText, UTCDateTime, enum_type, new_public_id, utcnow
from ..extensions import db


class Role(enum.StrEnum):
    SURVIVOR = "survivor"
    MENTOR = "mentor"
    STAFF = "staff"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    # Random bytes that stand for the person inside passkeys; never the pseudonym.
    user_handle: Mapped[bytes] = mapped_column(
        LargeBinary(32), unique=True, default=lambda: secrets.token_bytes(32)
    )
    pseudonym: Mapped[str] = mapped_column(EncryptedText)
    locale: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    # Read only: loaded with the signed-in person (load_user) so the PIN check costs no query.
    security: Mapped[AccountSecurity | None] = relationship(viewonly=True)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: Role | str) -> bool:
        return any(Role(r) in self.roles for r in roles)

    def add_role(self, role: Role | str) -> None:
        if not self.has_role(role):
            self.role_rows.append(UserRole(role=Role(role)))

    def remove_role(self, role: Role | str) -> None:
        self.role_rows = [r for r in self.role_rows if r.role != Role(role)]

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    def __repr__(self) -> str:  # never the pseudonym: reprs end up in logs
        return f"<User {self.public_id}>"


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_type(Role, 16), primary_key=True)
    user: Mapped[User] = relationship(back_populates="role_rows")


class CaseloadLink(db.Model):
    """A survivor's case worker: at most one member of staff per survivor."""

    __tablename__ = "caseload_link"

    survivor_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    staff_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Passkey(db.Model):
    """A WebAuthn credential. Revoked ones are kept (revoked_at) so a use of one is audited;
    they never sign anyone in and are never listed."""

    __tablename__ = "passkey"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1024), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    transports: Mapped[str] = mapped_column(String(200), default="")  # comma-separated
    backup_eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    backup_state: Mapped[bool] = mapped_column(Boolean, default=False)
    nickname: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Added while the account already had a passkey: every sign-in says so until acknowledged.
    notice_pending: Mapped[bool] = mapped_column(Boolean, default=False)

    def __repr__(self) -> str:
        return f"<Passkey {self.public_id}>"


class EnrolmentCode(db.Model):
    """A one-time code that lets a person create a passkey. Only a keyed hash is stored."""

    __tablename__ = "enrolment_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AccountSecurity(db.Model):
    """Per-person security settings: the optional app PIN and its failure counter."""

    __tablename__ = "account_security"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    pin_failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
