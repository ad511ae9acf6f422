"""The Forgejo forge kind: a Gitea fork with the same ``/api/v1`` (the Gitea crawler serves it),
told apart by ``/api/forgejo/v1/version``. Codeberg runs Forgejo.

`FORGEJO` is the kind's spec, registered in `crawler.kinds`.
"""

from __future__ import annotations

import dataclasses

from crawler.gitea import GITEA
from crawler.spec import ForgeKindSpec, Probe

FORGEJO: ForgeKindSpec = dataclasses.replace(
    GITEA,
    name="forgejo",
    label="Forgejo",
    probes=(
        Probe(
            "/api/forgejo/v1/version",
            "a JSON object with 'version' (Forgejo's own API)",
            GITEA.probes[0].proves,
            from_base=True,
        ),
    ),
    public_hosts={"codeberg.org": "https://codeberg.org"},
    host_words=("forgejo", "codeberg"),
    registry_names=frozenset({"forgejo"}),
)

__all__ = ["FORGEJO"]
