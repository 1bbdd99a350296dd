"""Engines: the same core run where the data lives: in memory (``pipeline``), streamed in
bounded memory with spill files (``stream``), or on a Dask cluster (``dask_engine``).
``choice`` picks one for a run.
"""
