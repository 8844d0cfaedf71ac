"""Layout: section order, paragraph numbering, [[label]] references, the Markdown subset; the Prepared report."""
