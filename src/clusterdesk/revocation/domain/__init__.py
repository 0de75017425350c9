"""What happens in the revocation app: ``revoke`` (the one door), ``revocation_refusal`` (why a
button is unavailable) and the 通报 (``notice``)."""

from clusterdesk.revocation.domain.revoke import revocation_refusal, revoke

__all__ = ["revocation_refusal", "revoke"]
