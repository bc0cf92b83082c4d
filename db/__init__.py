"""Database layer: models, engine set-up and the query functions the dashboard uses."""
