"""Two counties with one declaration each and evidence on file, and a token per role."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.api import tokens
from clusterdesk.api.models import ApiToken
from clusterdesk.declarations.models import Application
from clusterdesk.evidence.domain.uploads import upload_evidence
from tests.declarations.county_world import World as CountyWorld
from tests.declarations.county_world import make_world
from tests.evidence import samples

EVIDENCE_PATH = "part2.chain_map"
OWN_FILE = "本县产业链图谱.pdf"
OTHER_FILE = "他县产业链图谱.png"
OWN_NAME = "本县模具产业集群"
OTHER_NAME = "他县纺织产业集群"
ROLES = ("anonymous", "own", "other_county", "city", "expert", "admin")


@dataclass
class World:
    county: CountyWorld
    own_sha: str
    other_sha: str
    secrets: dict[str, str] = field(default_factory=dict)  # role → token

    @property
    def own(self) -> Application:
        return self.county.application

    @property
    def other(self) -> Application:
        return self.county.other_application

    def headers(self, role: str) -> dict[str, str]:
        secret = self.secrets.get(role)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}


def expert_token(user: User) -> str:
    """A token row for an expert, written past ``issue`` (which refuses experts): as if the
    user's role changed after issue. The API must still refuse it."""
    secret = tokens.PREFIX + "expert-" + "x" * 36
    ApiToken.objects.create(
        user=user,
        name="专家",
        prefix=secret[: tokens.PREFIX_SHOWN],
        token_hash=tokens.hash_of(secret),
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    return secret


def make_api_world() -> World:
    county = make_world()
    own, other = county.application, county.other_application
    for application, name, content, user in (
        (own, OWN_FILE, samples.PDF, county.own),
        (other, OTHER_FILE, samples.png(), county.other_county),
    ):
        upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
        upload_evidence(application, EVIDENCE_PATH, [upload], user)
    world = World(
        county=county,
        own_sha=hashlib.sha256(samples.PDF).hexdigest(),
        other_sha=hashlib.sha256(samples.png()).hexdigest(),
    )
    for role in ("own", "other_county", "city", "admin"):
        world.secrets[role] = tokens.issue(getattr(county, role), f"测试-{role}").secret
    world.secrets["expert"] = expert_token(county.expert)
    return world
