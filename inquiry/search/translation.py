from inquiry.editorial.history import track_history

from .models import Recommendation

# Editors' picks are content: who chose which page for which words, and when, is kept.
track_history(Recommendation)
