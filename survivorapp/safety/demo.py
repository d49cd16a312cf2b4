"""Demo data for safety: add a @demo_step here."""
