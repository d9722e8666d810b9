"""The words and rules every concern shares: settings from the config, TSV tables, the ASCO/CAP HER2 and EGFR rules."""
