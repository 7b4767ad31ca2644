"""The public side: i18n wiring, URL building, the reading site, feeds and error pages.

It reads content through mlo.content and mlo.search, and never imports the back office.
"""
