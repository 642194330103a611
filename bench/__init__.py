"""`make bench`: how fast and how heavy the site is (see run.py)."""
