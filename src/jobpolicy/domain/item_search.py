"""Finding checklist items the way people name them: by id in any case, by measure or its official number, by words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.matching import chinese_number, fold, nearest


@dataclass(frozen=True, slots=True)
class ItemSearch:
    """The items a text names, and how it named them.

    ``kind`` is ``id`` (one item by its id), ``measure`` or ``section`` (every item of it; ``label`` is its
    heading), ``keyword`` (items whose title or measure heading holds every word), or ``none``.
    """

    items: tuple[Item, ...]
    kind: str
    label: str = ""


def item_by_id(policy: Policy, text: str) -> Item | None:
    """The item whose id is ``text`` in any case and width (``Guidance.4.A`` is guidance.4.a), or None."""
    exact = policy.item(text)  # how sheets and scripts name items: found without folding every id
    if exact is not None:
        return exact
    key = fold(text)
    return next((item for item in policy.items() if fold(item.id) == key), None)


def search_items(policy: Policy, text: str, within: Sequence[Item] | None = None) -> ItemSearch:
    """The items ``text`` names, kept to ``within`` (an institution's checklist) when given, in document order.

    Tried in turn, the first that names anything wins: an item id; a measure id (``guidance.4``) or a measure's
    official number (``（十一）``, ``十一``, ``(11)``, ``11``); a section id (``support``); keywords, every one of
    which must appear in the item's title or its measure's heading.
    """
    pool = list(policy.items()) if within is None else list(within)
    item = item_by_id(policy, text)
    if item is not None:
        return ItemSearch(tuple(i for i in pool if i.id == item.id), "id", item.id)
    key, number = fold(text), chinese_number(text)
    for measure in policy.measures():
        if fold(measure.id) == key or (number is not None and measure.number and
                                       chinese_number(measure.number) == number):
            ids = {i.id for i in measure.items}
            return ItemSearch(tuple(i for i in pool if i.id in ids), "measure", measure.heading)
    for section in policy.sections:
        if fold(section.id) == key:
            return ItemSearch(tuple(i for i in pool if policy.section_of(i.id) is section), "section", section.heading)
    words = [fold(word) for word in text.split()]
    if not any(words):
        return ItemSearch((), "none")
    found = tuple(i for i in pool if all(w in fold(f"{i.title}{policy.measure_of(i.id).heading}") for w in words))
    return ItemSearch(found, "keyword" if found else "none")


def similar_ids(text: str, items: Iterable[Item], *, n: int = 3) -> list[str]:
    """The item and measure ids closest to a text that named nothing (``guidanc.4`` → guidance.4), best first."""
    ids = [item.id for item in items]
    measures = dict.fromkeys(item_id.rsplit(".", 1)[0] for item_id in ids)
    return nearest(text, [*measures, *ids], n=n, cutoff=0.6)


def item_line(item: Item, *, width: int = 40) -> str:
    """One item as a candidate to choose from: its id and its title, cut to ``width`` characters."""
    title = item.title if len(item.title) <= width else f"{item.title[:width - 1]}…"
    return f"{item.id}  {title}"
