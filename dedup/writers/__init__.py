"""Writers turn a Report into what users read or parse: notes, summaries, check formats."""
