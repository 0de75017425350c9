"""Nothing stored yet: the tracking app reads the reports and the certifications."""
