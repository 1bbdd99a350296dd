"""Core: what a candidate is and how it becomes a verified, decided repeat.

Settings and the data passed between stages (``models``), per-document preparation
(``prepare``), MinHash signatures (``sketch``), candidate keys and pairs (``index``),
verification and the keep policy (``group``), and the cut of removed paragraphs
(``cleaner``). Engines call these; they never re-implement them.
"""
