"""Every change to the pipeline goes through these actions (one module per part of the
pipeline): atomic, audited, notifying on commit."""
