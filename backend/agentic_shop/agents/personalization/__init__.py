"""Personalization: memories -> candidate products -> ranking -> explanation, for the "For you" list and
the personalized section of a product page."""
