"""Bazaar inventory: products, prices, stock and reservations per order."""
