"""Outreach to members: the value check every draft passes before it is sent (never "just checking in")."""
