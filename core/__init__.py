"""Shared building blocks that every app may use and that import no app of the portal:
Russian-language helpers, admin and command helpers, the transition engine, shared errors."""
