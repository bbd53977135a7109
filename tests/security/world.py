"""The people and objects the access matrix is checked against: one user per role, one token per scope."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.test import Client

from membersuccess.accounts.models import Role
from membersuccess.api.models import ApiToken
from membersuccess.api.services import api_token_create
from membersuccess.members.models import Member
from tests.factories import make_member, make_staff_user, make_task, make_team


class Who(enum.Enum):
    """Everyone who may knock on a door: the four roles, nobody, and the two API token scopes."""

    ANONYMOUS = "anonymous"
    ADMIN = "admin"
    SUCCESS_MANAGER = "success manager"
    STAFF = "staff"
    EXECUTIVE = "executive"
    INGEST_TOKEN = "ingest token"
    READ_TOKEN = "read token"


ROLE_OF = {
    Who.ADMIN: Role.ADMIN,
    Who.SUCCESS_MANAGER: Role.SUCCESS_MANAGER,
    Who.STAFF: Role.STAFF,
    Who.EXECUTIVE: Role.EXECUTIVE,
}
SCOPE_OF = {Who.INGEST_TOKEN: ApiToken.Scope.INGEST, Who.READ_TOKEN: ApiToken.Scope.READ}


@dataclass
class World:
    """A small association: a staff member with one member they work on, and a member nobody works on.

    `member` is the one the staff user works on (a task assigned to them); `stranger` is one they
    do not, so a row can check that staff are refused what is outside their work."""

    users: dict[Who, User]
    tokens: dict[Who, str]
    member: Member
    stranger: Member
    clients: dict[Who, Client] = field(default_factory=dict)

    def client(self, who: Who) -> Client:
        """A test client acting as `who`: signed in for a role, a bearer header for a token, bare for anonymous."""
        if who not in self.clients:
            if who in self.tokens:
                self.clients[who] = Client(HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}")
            else:
                self.clients[who] = Client()
                if who in self.users:
                    self.clients[who].force_login(self.users[who])
        return self.clients[who]


def build_world() -> World:
    """One user per role and one token per scope, on the same small association."""
    team = make_team(name="Events")
    users = {who: make_staff_user(role=role, username=f"matrix-{role}", team=team if who is Who.STAFF else None)
             for who, role in ROLE_OF.items()}
    tokens = {who: api_token_create(name=f"matrix {scope}", scope=scope)[1] for who, scope in SCOPE_OF.items()}
    member = make_member(name="Worked-On Member", external_id="M-WORKED")
    make_task(member=member, assignee=users[Who.STAFF])
    stranger = make_member(name="Stranger Member", external_id="M-STRANGER")
    return World(users=users, tokens=tokens, member=member, stranger=stranger)
