"""What every concern shares: the sheets' and tables' words, settings from the config, TSV tables, BED
reading, outputs written atomically, the ASCO/CAP HER2 and EGFR rules."""
