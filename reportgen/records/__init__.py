"""Records stage: the statutory records made from the same content as the reports (forward plan, notices)."""
