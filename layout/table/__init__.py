"""Tables in the news (market quotes, results, standings, weather, listings): the table model,
CSV/TSV reading, typed cells, column widths, and setting a table into its module with the
header repeated in every column it runs into."""
