"""One module per CLI command; each is a thin layer: settings -> pipeline -> writer -> exit code."""
