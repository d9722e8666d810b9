"""Variant regions, hotspot reads, single-cell genotype states, origin and allelic dropout, per patient."""
