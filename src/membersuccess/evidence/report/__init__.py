"""The executive report: figures, sections, HTML and PDF."""
