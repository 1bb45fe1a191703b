"""Web page and JSON API for the consultation windows (aiohttp)."""
