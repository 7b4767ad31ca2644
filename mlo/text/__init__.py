"""Text: transliteration, the search fold, slugs, HTML sanitizing and plain text, dates.

Plain functions on strings and datetimes: no Flask, no database. Everything above uses them.
"""
