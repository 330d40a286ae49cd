"""The engine with its answers as plain data, keyed as the JSON API shows them.

The engine answers typed values (search.answers); most engine tests compare whole
answers with dicts and lists, so they read them through `as_data`."""

from __future__ import annotations

import functools

from search import open_index
from search.answers import as_data


class PlainAnswers:
    """A backend whose answers come back as plain data; errors pass through."""

    def __init__(self, backend):
        self.backend = backend

    def __getattr__(self, name):
        attribute = getattr(self.backend, name)
        if not callable(attribute):
            return attribute

        @functools.wraps(attribute)
        def call(*args, **kwargs):
            result = attribute(*args, **kwargs)
            is_answer = type(result).__module__ == "search.answers" or isinstance(result, (list, tuple))
            return as_data(result) if is_answer else result

        return call


def open_plain(path, **options) -> PlainAnswers:
    return PlainAnswers(open_index(path, **options))
