"""Import stage: read a finished Word report back into content (report.yaml), in a house style's shape."""
