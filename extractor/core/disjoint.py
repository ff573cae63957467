"""A disjoint-set (union-find) over 0..n-1: tables from touching rulings, merged cells from
missing borders, and ruling bars from runs in adjacent pixel rows all group this way."""

from __future__ import annotations


class DisjointSet:
    def __init__(self, n: int) -> None:
        self._parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]  # path halving keeps the trees flat
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self._parent[self.find(i)] = self.find(j)

    def groups(self) -> list[list[int]]:
        """The members of each set, each list ascending, sets in order of their smallest member."""
        out: dict[int, list[int]] = {}
        for i in range(len(self._parent)):
            out.setdefault(self.find(i), []).append(i)
        return list(out.values())
