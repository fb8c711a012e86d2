"""One key, one identity: every file that names an entity key must give it the same name,
kinds and location, unless it declares the difference (another name under ``aliases:``).

The roles a policy gives an organisation (controller, processor, third party, service
provider, representative ...) are facts of that policy, not of the organisation: they may
differ from file to file. Its kinds (organisation, natural person, authority ...), its name
and its location may not.

>>> from privacykg.ontology import load_ontology
>>> onto = load_ontology()
>>> D = lambda x: f"<https://w3id.org/dpv#{x}>"
>>> a = Identity.of([(NAME, '"Acme"'), (TYPE, D("Organisation")), (TYPE, D("ThirdParty"))], onto)
>>> b = Identity.of([(NAME, '"Acme Inc."'), (TYPE, D("Organisation"))], onto)
>>> a.conflicts(b)
["name 'Acme' here, 'Acme Inc.' there"]
>>> a.conflicts(Identity.of([(NAME, '"Acme"'), (TYPE, D("Organisation")), (TYPE, D("DataProcessor"))], onto))
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import namespaces as ns
from .compile import term_value
from .errors import Problem

NAME = f"<{ns.DPV}hasName>"
TYPE = f"<{ns.RDF}type>"
LOCATION = f"<{ns.DPV}hasLocation>"
ALIAS = f"<{ns.SKOS}altLabel>"

#: Types that are roles a policy gives (any term narrower than one of these), not kinds.
ROLES = tuple(
    ns.DPV + r
    for r in (
        "DataController",
        "JointDataControllers",
        "Recipient",
        "ThirdParty",
        "ServiceProvider",
        "ServiceConsumer",
        "Representative",
        "DataExporter",
        "DataSubject",
    )
)


@dataclass
class Identity:
    """What makes an entity the same entity in every file: names (with aliases), kinds, locations."""

    names: frozenset[str] = frozenset()
    aliases: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    locations: frozenset[str] = frozenset()
    where: str = ""  # the file (and line) it was read from
    line: int | None = field(default=None, compare=False)

    @classmethod
    def of(cls, statements: Iterable[tuple[str, str]], onto, where: str = "", line: int | None = None) -> Identity:
        """The identity in (predicate, object) N-Triples terms of an entity's statements."""
        names, aliases, kinds, locations = set(), set(), set(), set()
        for p, o in statements:
            if p == NAME:
                names.add(term_value(o))
            elif p == ALIAS:
                aliases.add(term_value(o))
            elif p == LOCATION:
                locations.add(ns.compact(term_value(o)))
            elif p == TYPE and not any(onto.is_a(term_value(o), r) for r in ROLES):
                kinds.add(ns.compact(term_value(o)))
        return cls(frozenset(names), frozenset(aliases), frozenset(kinds), frozenset(locations), where, line)

    def conflicts(self, other: Identity) -> list[str]:
        """What ``self`` (here) and ``other`` (there) say differently, without a declared alias."""
        out = []
        if (
            self.names
            and other.names
            and self.names != other.names
            and not (self.names <= other.names | other.aliases or other.names <= self.names | self.aliases)
        ):
            out.append(f"name {_show(self.names)} here, {_show(other.names)} there")
        if self.kinds and other.kinds and self.kinds != other.kinds:
            out.append(f"types {_show(self.kinds)} here, {_show(other.kinds)} there")
        if self.locations and other.locations and self.locations != other.locations:
            out.append(f"location {_show(self.locations)} here, {_show(other.locations)} there")
        return out


def _show(values: frozenset[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


def conflict_problem(key: str, here: Identity, there: Identity, differences: list[str]) -> Problem:
    """The problem of an entity key given two identities, naming both files."""
    at = f"{there.where}" + (f" line {there.line}" if there.line else "")
    return Problem(
        here.where,
        f"entity '{key}' is described differently in {at}: {'; '.join(differences)}",
        line=here.line,
        field=f"entities.{key}",
        rule="entity-identity",
        hint="one key is one organisation: give it the same name, types and location in every file, "
        "or list the other name under aliases: (a renamed company), or use another key",
    )


class IdentityRegister:
    """The identity each entity key was first given in a build, to check every later file against."""

    def __init__(self, onto):
        self.onto = onto
        self.seen: dict[str, Identity] = {}

    def check(self, key: str, statements: Iterable[tuple[str, str]], where: str, line: int | None) -> list[Problem]:
        here = Identity.of(statements, self.onto, where, line)
        there = self.seen.setdefault(key, here)
        if there is here:
            return []
        differences = here.conflicts(there)
        if differences:
            return [conflict_problem(key, here, there, differences)]
        # what the first file left unsaid, a later one may say: it is checked from then on
        if not there.kinds and here.kinds or not there.locations and here.locations:
            self.seen[key] = here
        return []
