"""Files damaged on purpose, for the readers' property tests: a few bytes replaced, inserted or deleted at
random places, with chunks a format is sensitive to (its separators, signs, tags) among the random ones."""

from __future__ import annotations

from hypothesis import strategies as st


def mutations(size: int, sensitive: list[bytes], longest: int = 6) -> st.SearchStrategy:
    """A list of 1 to 6 edits of a file of about ``size`` bytes."""
    edit = st.tuples(st.sampled_from(("replace", "insert", "delete")), st.integers(0, size),
                     st.binary(min_size=1, max_size=longest) | st.sampled_from(sensitive))
    return st.lists(edit, min_size=1, max_size=6)


def garbled(data: bytes, edits: list[tuple[str, int, bytes]]) -> bytes:
    """``data`` with the edits applied in turn (positions wrap around the current length)."""
    result = bytearray(data)
    for kind, where, chunk in edits:
        at = where % (len(result) + 1)
        if kind == "replace":
            result[at:at + len(chunk)] = chunk
        elif kind == "insert":
            result[at:at] = chunk
        else:
            del result[at:at + len(chunk)]
    return bytes(result)
