"""Binned read counts to a copy-number profile, gene copy number, QC and the per-sample summary."""
