"""Inputs: which files a run reads (folders walked, globs, git's ignores), and how each is read
(encodings, JSONL records, compressed files, partitions, limits).
"""
