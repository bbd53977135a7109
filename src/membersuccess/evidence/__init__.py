"""Evidence: how well the Success Vector predicts renewal, which inputs matter, and what retention is worth."""
