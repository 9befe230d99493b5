"""The recurring-sessions loop (APScheduler 3.11) and the calendar of schedule expressions."""
