from pipeline.assets.bronze import *  # noqa: F403
from pipeline.assets.silver import cleaned_events
