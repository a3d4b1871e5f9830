"""Developer tools behind the Makefile targets (serve, devserver, bench)."""
