"""MultiQC content and software versions."""
