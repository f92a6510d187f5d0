from inquiry.editorial.history import track_history

from .models import Recommendation, SynonymGroup

# Editors' picks and synonyms are content: who chose which page or words, and when, is kept.
track_history(Recommendation)
track_history(SynonymGroup)
