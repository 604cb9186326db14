"""Tests of ui/: sign-in, roles and the writes that check them."""
