"""What every Bazaar service shares."""
