"""Write the JSON Schemas of the catalogue record and the forge registration to `schemas/json/`.

Run ``python -m schemas.export_json_schema`` after changing a model; a test fails while the
committed files are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from schemas.forge import ForgeRegistration
from schemas.record import Record

SCHEMA_DIR = Path(__file__).resolve().parent / "json"
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "record.schema.json": (Record, "https://codereuse.example/schemas/record.schema.json"),
    "forge-registration.schema.json": (
        ForgeRegistration,
        "https://codereuse.example/schemas/forge-registration.schema.json",
    ),
}


def render(name: str) -> str:
    """The JSON Schema text for the file `name` of `SCHEMAS`."""
    model, schema_id = SCHEMAS[name]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        **model.model_json_schema(mode="serialization"),
    }
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> None:
    """Write every schema file."""
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name in SCHEMAS:
        (SCHEMA_DIR / name).write_text(render(name), encoding="utf-8")


if __name__ == "__main__":
    main()
