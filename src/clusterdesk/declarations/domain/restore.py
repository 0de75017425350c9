"""恢复到此版本之前: bring back the form as it was before a Word import.

An import's revision holds, box by box, the value before and after. Restoring writes the values
before back through the editing door, as a new revision (history is never rewritten), so the
restore itself can be seen — and undone — like any other save.
"""

from __future__ import annotations

from typing import Any

from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain.editing import SaveResult, locked_update
from clusterdesk.declarations.domain.values import get_path, with_value
from clusterdesk.declarations.enums import RevisionSource
from clusterdesk.declarations.models import Application
from clusterdesk.errors import DomainError

RESTORABLE = frozenset({RevisionSource.IMPORT})


def restorable(revision_source: str) -> bool:
    return revision_source in RESTORABLE


def restore_before(application: Application, version: int, actor: User) -> int:
    """Put back every box the import of ``version`` changed to its value before it; boxes the
    import did not touch keep their current values. Returns the new version."""
    revision = application.revisions.filter(version=version).first()
    if revision is None or not restorable(revision.source):
        raise DomainError(f"第 {version} 版不是 Word 导入，没有可恢复的导入前版本。")
    changes = list(revision.changes)

    def restore(data: dict[str, Any], result: SaveResult) -> bool:
        restored = data
        for change in changes:
            if get_path(restored, change["path"]) != change.get("before"):
                restored = with_value(restored, change["path"], change.get("before"))
        if restored is data:
            return False
        data.clear()
        data.update(restored)
        return True

    result = locked_update(application, actor, restore, source=RevisionSource.RESTORE)
    return result.version
