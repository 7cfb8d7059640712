"""Runtime mode: load the project's Definitions in a child process and check the real graph."""
