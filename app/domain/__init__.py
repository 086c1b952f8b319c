"""The business rules of DOMAIN.md as plain functions over plain values: no Qt, no database session."""
