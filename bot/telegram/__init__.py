"""The Telegram channel: an aiogram 3 bot over the knowledge base.

Importing this package is cheap; aiogram is imported by the modules that need it.
"""
