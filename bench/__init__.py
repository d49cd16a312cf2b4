"""The benchmark: `make bench`. See bench/run.py."""
