"""Realistic texts for the demo: clients and people, the catalogue, tickets, timelines and time notes."""
