"""Input channels configured from the environment."""
