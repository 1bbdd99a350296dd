"""``dedup check``'s findings: one per repeated paragraph, with a role (copy or boilerplate),
a fail level, and a baseline of accepted repeats.
"""
