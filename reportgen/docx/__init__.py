"""DOCX output: the WordprocessingML writer, rendering into the house-style template, scrubbing, the agenda front sheet."""
