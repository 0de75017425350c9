"""The round export (轮次数据交换格式): one round, every application with its submitted snapshot,
history, evidence metadata, scores, 会审 outcome and certification, as one documented JSON file.

``format`` is the pure description (pydantic, no Django: another system can read it with the
models alone), ``build`` writes it from the database in chunks, ``check`` reads a file back.
See docs/round-export.md.
"""
