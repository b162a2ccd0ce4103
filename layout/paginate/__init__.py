"""Pagination: stories flow through their modules' columns (and jump slots), page furniture,
ads and teasers are placed, and each page becomes a PageFrame."""
