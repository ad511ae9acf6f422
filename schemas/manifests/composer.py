"""composer.json (PHP). Publishes ``name`` (vendor/package); uses ``require`` and
``require-dev``, leaving out the platform (``php``, ``hhvm``, ``ext-*``, ``lib-*``,
``composer-*``), which names no package."""

from __future__ import annotations

import json

from schemas.manifests.model import Scope
from schemas.manifests.npm import json_sections, load_json_object
from schemas.manifests.purls import split_path
from schemas.manifests.reading import Collector, exact_version

_SECTIONS: tuple[tuple[str, Scope], ...] = (("require", "runtime"), ("require-dev", "development"))


def _platform(name: str) -> bool:
    lowered = name.lower()
    return "/" not in lowered or lowered.startswith(("ext-", "lib-", "composer-"))


def read_composer_json(collector: Collector) -> None:
    """Fill `collector` from a composer.json text (see the module docstring)."""
    data = load_json_object(collector)
    if data is None:
        return
    name = data.get("name")
    if isinstance(name, str) and "/" in name:
        vendor, package = split_path(name)
        collector.publish(
            "composer", package, namespace=vendor, line=collector.line_of(json.dumps(name))
        )
    for dependency, spec, scope, line in json_sections(collector, data, _SECTIONS):
        if _platform(dependency):
            continue
        requirement = spec if isinstance(spec, str) else None
        vendor, package = split_path(dependency)
        collector.use(
            "composer",
            package,
            namespace=vendor,
            version=exact_version(requirement) if requirement else None,
            requirement=requirement,
            scope=scope,
            line=line,
        )
