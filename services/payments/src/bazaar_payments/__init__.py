"""Bazaar payments: one payment per order, captured, declined, refunded or voided."""
