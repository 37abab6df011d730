"""Handoffs from the assistant to human agents: priority, business hours, queue and delivery."""
