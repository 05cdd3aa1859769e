"""Numbers: numerals, quantities and their context as typed numeric assertions."""
