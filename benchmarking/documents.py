"""Shared by the document generators."""

import dataclasses

from .excel import clean_text


def without_control_characters(value):
    """The same data with control characters (pasted from other programs) dropped from every
    string: Word and Excel files cannot hold them. Walks dataclasses, lists and tuples."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [without_control_characters(item) for item in value]
    if isinstance(value, tuple):
        return tuple(without_control_characters(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{
                f.name: without_control_characters(getattr(value, f.name))
                for f in dataclasses.fields(value)
                if f.init
            },
        )
    return value
