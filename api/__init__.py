"""newsindex API."""
