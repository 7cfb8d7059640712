"""Strongly connected components of a dependency graph, for the cycle rules (DAG108, static and runtime)."""

from __future__ import annotations

from typing import Callable, Hashable, Iterable, TypeVar

Node = TypeVar("Node", bound=Hashable)


def strongly_connected(
    nodes: Iterable[Node], successors: Callable[[Node], Iterable[Node]]
) -> dict[Node, tuple[int, int]]:
    """Tarjan's algorithm, iterative (deep graphs must not hit the recursion limit):
    node -> (component id, component size), for every node reached from `nodes`."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    on_stack: set[Node] = set()
    stack: list[Node] = []
    result: dict[Node, tuple[int, int]] = {}
    counter = 0
    for start in list(nodes):
        if start in index:
            continue
        work = [(start, iter(successors(start)))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors(child))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                for member in members:
                    result[member] = (index[node], len(members))
    return result
