"""Encours: know who owes what, chase late payers, see the cash coming in."""

__version__ = "0.1.0"
