"""Flourish: tools for leaders of integrated services, built on a published leadership model."""
