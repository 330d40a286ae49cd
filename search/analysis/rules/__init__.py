"""Rules applied to the CRF's tags: the word lists they read (`words`) and the span
edits they make (`spans`). The rules themselves are still in `entity_rules`."""
