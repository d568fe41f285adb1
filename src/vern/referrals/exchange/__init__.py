"""Referrals between two systems: Bufdir's protocol messages over a transport."""
