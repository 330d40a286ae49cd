"""Analysis: NLTK tokenization for the index, and people and places."""

from search.analysis.entities import ORGANISATION, PERSON, PLACE, Entity, recognise_entities
from search.analysis.tokenize import text_analyzer

__all__ = ["Entity", "PERSON", "PLACE", "ORGANISATION", "recognise_entities", "text_analyzer"]
