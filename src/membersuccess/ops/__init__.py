"""Operating Member Success: backup and restore, and the load test. No models, no views."""
