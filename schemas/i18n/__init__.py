"""Message catalogues the packages share: ``findings_<language>.json`` (`schemas.findings_text`)."""
