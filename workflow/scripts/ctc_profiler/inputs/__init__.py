"""What the user gives, checked before any job: config, sheets, FASTQs, reference, the gene/hotspot/region tables."""
