"""align: bilingual sentence alignment and translation QA, offline."""
