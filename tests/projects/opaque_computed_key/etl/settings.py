import os

# Decided when the code location loads: no source says which key it is.
ENVIRONMENT = os.environ.get("ENVIRONMENT", "dev")
