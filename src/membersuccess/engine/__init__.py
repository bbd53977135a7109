"""The Success Vector engine: pure Ibis expressions over interaction tables, run on DuckDB or Spark.

Nothing here imports Django: it takes tables (inputs.py) and configuration (signals.py, params.py,
milestones.py) and returns tables (vector.py), which explain.py puts in words."""
