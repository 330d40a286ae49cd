"""newsindex engine."""
