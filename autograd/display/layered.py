"""Layered graph layout (Sugiyama's method) on plain numbers: nodes 0..n-1 with their extents,
edges as index pairs, positions out. ``autograd.display.layout`` draws chaingrad's DOT with it.

The steps, each a loop over ranks or an explicit stack (nothing recurses over the graph):

1. Ranks by longest path from the sources, then every node with at most one input moved
   forward to just before its first use (shorter edges, as Graphviz's network simplex gives
   for chaingrad's graphs). A cycle is refused: chaingrad's graphs have none.
2. A virtual node on every rank a long edge crosses, so every edge joins adjacent ranks.
3. Crossing reduction: barycentre sweeps down and up from a depth-first initial order (which
   keeps operands in their written order), keeping the order with the fewest crossings,
   counted with Barth, Jünger and Mutzel's accumulator tree.
4. Positions across the ranks: sweeps that move each rank's nodes to the weighted mean of
   their neighbours' positions, as close as the spacing allows (weighted least squares under
   order constraints, solved exactly by pooling adjacent violators); long edges weigh most,
   so they run straight.
5. Positions along the ranks: each rank as thick as its thickest node, ``ranksep`` apart.

This module imports nothing from chaingrad.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Layout", "layered"]


@dataclass
class Layout:
    """Positions: each node's centre, each edge's points (tail to head, virtual nodes between)."""

    centre: list[tuple[float, float]]
    paths: list[list[tuple[float, float]]]
    width: float
    height: float


def _ranks(n: int, succ: list[list[int]], pred: list[list[int]]) -> list[int]:
    """Each node's rank: longest path from the sources, then every node with at most one
    input pulled forward to just before its first use (which shortens its outgoing edges
    without lengthening more than the one coming in)."""
    indeg = [len(p) for p in pred]
    order = [i for i in range(n) if indeg[i] == 0]
    for u in order:  # Kahn's algorithm: the list grows as it is read
        for v in succ[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                order.append(v)
    if len(order) < n:
        raise ValueError("the graph has a cycle: the layered layout draws acyclic graphs only")
    rank = [0] * n
    for u in order:
        for v in succ[u]:
            rank[v] = max(rank[v], rank[u] + 1)
    for u in reversed(order):
        later = [rank[v] for v in succ[u]]
        if later and len(pred[u]) <= 1:
            rank[u] = max(rank[u], min(later) - 1)
    return rank


def _crossings(upper: list[int], lower_pos: dict[int, int], adj: list[list[int]]) -> int:
    """Crossings between two adjacent ranks (Barth, Jünger and Mutzel's accumulator tree)."""
    targets: list[int] = []
    for u in upper:
        targets.extend(sorted(lower_pos[v] for v in adj[u] if v in lower_pos))
    if not targets:
        return 0
    first = 1
    while first < len(lower_pos):
        first *= 2
    tree = [0] * (2 * first)
    first -= 1
    count = 0
    for t in targets:
        i = t + first
        tree[i] += 1
        while i > 0:
            if i % 2:
                count += tree[i + 1]
            i = (i - 1) // 2
            tree[i] += 1
    return count


def _order(layers: list[list[int]], up: list[list[int]], down: list[list[int]]) -> None:
    """Reorder each rank in place to reduce crossings: barycentre sweeps down and up, keeping
    the best order seen."""

    def total() -> int:
        s = 0
        for r in range(len(layers) - 1):
            s += _crossings(layers[r], {v: i for i, v in enumerate(layers[r + 1])}, down)
        return s

    best = [list(layer) for layer in layers]
    best_count = total()
    for sweep in range(8):
        forward = sweep % 2 == 0
        ranks = range(1, len(layers)) if forward else range(len(layers) - 2, -1, -1)
        for r in ranks:
            fixed = layers[r - 1] if forward else layers[r + 1]
            adj = up if forward else down
            where = {v: i for i, v in enumerate(fixed)}
            keyed = []
            for i, v in enumerate(layers[r]):
                ps = [where[u] for u in adj[v] if u in where]
                # a node with no neighbour there keeps its place
                keyed.append((sum(ps) / len(ps) if ps else float(i), i, v))
            keyed.sort()
            layers[r][:] = [v for _, _, v in keyed]
        count = total()
        if count < best_count:
            best, best_count = [list(layer) for layer in layers], count
        if best_count == 0:
            break
    layers[:] = best


def _pav(desired: list[float], weights: list[float], gaps: list[float]) -> list[float]:
    """Positions closest to ``desired`` (weighted least squares) with position i+1 at least
    ``gaps[i]`` past position i: isotonic regression by pooling adjacent violators."""
    offsets = [0.0]
    for g in gaps:
        offsets.append(offsets[-1] + g)
    blocks: list[list[float]] = []  # [weighted sum, weight, count]
    for d, w, off in zip(desired, weights, offsets):
        blocks.append([(d - off) * w, w, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            s, ww, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += ww
            blocks[-1][2] += c
    out: list[float] = []
    for s, ww, c in blocks:
        out.extend([s / ww] * int(c))
    return [y + off for y, off in zip(out, offsets)]


def layered(
    n_real: int,
    edges: list[tuple[int, int]],
    along: list[float],
    across: list[float],
    nodesep: float,
    ranksep: float,
) -> Layout:
    """Lay out nodes 0..n_real-1 with extents ``along`` (the rank axis) and ``across``; the
    result's first axis runs along the ranks (left to right for rankdir=LR)."""
    succ: list[list[int]] = [[] for _ in range(n_real)]
    pred: list[list[int]] = [[] for _ in range(n_real)]
    for t, h in edges:
        if t == h:
            raise ValueError("the graph has a loop: the layered layout draws acyclic graphs only")
        succ[t].append(h)
        pred[h].append(t)
    rank = _ranks(n_real, succ, pred)
    # virtual nodes: each edge becomes a chain over consecutive ranks
    along, across = list(along), list(across)
    up: list[list[int]] = [[] for _ in range(n_real)]
    down: list[list[int]] = [[] for _ in range(n_real)]
    chains: list[list[int]] = []
    for a, b in edges:
        chain = [a]
        for r in range(rank[a] + 1, rank[b]):
            v = len(rank)
            rank.append(r)
            along.append(0.0)
            across.append(2.0)
            up.append([])
            down.append([])
            chain.append(v)
        chain.append(b)
        for u, v in zip(chain, chain[1:]):
            down[u].append(v)
            up[v].append(u)
        chains.append(chain)
    n = len(rank)
    n_ranks = max(rank, default=-1) + 1
    layers: list[list[int]] = [[] for _ in range(n_ranks)]
    # initial order: depth-first from the sources in declaration order, so operands keep
    # their written order and a node's inputs start out next to each other
    seen = [False] * n
    for s in range(n):
        if seen[s] or up[s]:
            continue
        stack = [s]
        while stack:
            u = stack.pop()
            if seen[u]:
                continue
            seen[u] = True
            layers[rank[u]].append(u)
            stack.extend(reversed([v for v in down[u] if not seen[v]]))
    for u in range(n):
        if not seen[u]:
            layers[rank[u]].append(u)
    _order(layers, up, down)

    # positions across the ranks: start packed, then pull each node towards its neighbours
    pos = [0.0] * n
    for layer in layers:
        x = 0.0
        for v in layer:
            pos[v] = x + across[v] / 2
            x += across[v] + nodesep
    virtual = [v >= n_real for v in range(n)]

    def weight(u: int, v: int) -> float:
        # straight long edges matter most, as in Graphviz: virtual-virtual 8, one virtual 2
        return 8.0 if virtual[u] and virtual[v] else 2.0 if virtual[u] or virtual[v] else 1.0

    for sweep in range(12):
        direction = sweep % 3  # 0: from the ranks before, 1: after, 2: both
        ranks = range(n_ranks) if direction != 1 else range(n_ranks - 1, -1, -1)
        for r in ranks:
            layer = layers[r]
            if not layer:
                continue
            desired, weights = [], []
            for v in layer:
                nbrs = up[v] if direction == 0 else down[v] if direction == 1 else up[v] + down[v]
                wsum = sum(weight(u, v) for u in nbrs)
                if wsum:
                    desired.append(sum(pos[u] * weight(u, v) for u in nbrs) / wsum)
                    weights.append(wsum)
                else:
                    desired.append(pos[v])
                    weights.append(0.01)
            gaps = [(across[a] + across[b]) / 2 + nodesep for a, b in zip(layer, layer[1:])]
            for v, p in zip(layer, _pav(desired, weights, gaps)):
                pos[v] = p
    # ranks along: each rank as thick as its thickest node
    thick = [max((along[v] for v in layer), default=0.0) for layer in layers]
    rank_pos = []
    x = 0.0
    for r in range(n_ranks):
        x += thick[r] / 2
        rank_pos.append(x)
        x += thick[r] / 2 + ranksep
    lo = min((pos[v] - across[v] / 2 for layer in layers for v in layer if v < n_real), default=0.0)
    hi = max((pos[v] + across[v] / 2 for layer in layers for v in layer if v < n_real), default=0.0)
    lo = min([lo] + [pos[v] for v in range(n_real, n)])
    hi = max([hi] + [pos[v] for v in range(n_real, n)])
    centre = [(rank_pos[rank[v]], pos[v] - lo) for v in range(n)]
    paths = [[centre[v] for v in chain] for chain in chains]
    return Layout(centre[:n_real], paths, max(x - ranksep, 0.0), hi - lo)
