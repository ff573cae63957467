"""Layout: pages of lines and rulings → headings, paragraphs and tables in reading order."""
