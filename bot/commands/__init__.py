"""The ``/cop`` command surface: declared once, parsed, checked and explained from one spec."""
