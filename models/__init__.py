"""Trained models shipped with medtext (installed as ``medtext._models``).

Each sub-folder is one model with a ``meta.json``; ``medtext.models.find_model``
resolves names against ``$MEDTEXT_MODELS`` first, then this folder.
"""
