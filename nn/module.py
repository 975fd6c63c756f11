"""Modules with named parameters: ``Neuron``, ``Layer`` and ``MLP``, plus JSON save/load.

A neuron computes its weighted sum as ONE ``autograd.dot`` node and then its
activation, so a neuron with n inputs adds two nodes to the graph, not 2n + 1.
"""

from __future__ import annotations

import json
import math
import operator
import os
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from autograd import Parameter, Value
from autograd.extend import dot_unchecked
from nn import _files
from nn._data import int_at_least, plain
from nn.activations import Activation, activation_name, fast_activation, get_activation

_FORMAT = "chaingrad.nn"
_VERSION = 1

INITS = ("uniform", "xavier", "he")


# The generator of modules built without ``rng``: one stream, so that two modules built one
# after the other differ (two identical neurons could never be told apart by training),
# seeded at import so that a script gives the same weights on every run.
_GENERATOR = random.Random(0)


def manual_seed(seed: int) -> None:
    """Reseed the generator that modules built without ``rng`` draw their weights from.

    ``nn.Neuron(2)`` twice gives two different neurons; after ``nn.manual_seed(s)`` the
    modules built next are the same as after any other ``nn.manual_seed(s)`` (the generator
    starts as ``manual_seed(0)`` at import). ``rng=`` on a module bypasses it. Like
    ``torch.manual_seed``.

    Args:
        seed: an int.

    Raises:
        TypeError: ``seed`` is not an int.

    Examples:
        >>> import nn
        >>> nn.manual_seed(1)
        >>> a = nn.Neuron(2)
        >>> nn.manual_seed(1)
        >>> b = nn.Neuron(2)
        >>> [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
        True
        >>> c = nn.Neuron(2)  # the generator moved on: new weights
        >>> [p.data for p in c.parameters()] == [p.data for p in a.parameters()]
        False
    """
    _GENERATOR.seed(_plain_int(seed))


def _plain_int(seed: Any) -> int:
    try:
        if isinstance(seed, bool):
            raise TypeError
        return operator.index(seed)  # numpy's integers too
    except TypeError:
        raise TypeError(f"seed must be an int, not {type(seed).__name__}") from None


def module_rng(rng: random.Random | int | None) -> random.Random:
    """The generator a module draws its weights from: ``rng`` as ``make_rng`` reads it,
    or for None the shared generator that ``manual_seed`` seeds."""
    return _GENERATOR if rng is None else make_rng(rng)


def make_rng(rng: random.Random | int | None) -> random.Random:
    """A ``random.Random`` from a Random (used as is), an int seed, or None (seed 0).

    None means seed 0 rather than the global random state, so that a data set built
    twice without a seed is the same both times (modules use ``module_rng``).
    """
    if rng is None:
        return random.Random(0)
    if isinstance(rng, random.Random):
        return rng
    if isinstance(rng, int) and not isinstance(rng, bool):
        return random.Random(rng)
    if not isinstance(rng, bool) and hasattr(rng, "__index__"):
        return random.Random(_plain_int(rng))  # numpy's integers
    raise TypeError(f"rng must be a random.Random, an int seed or None, not {type(rng).__name__}")


class Module:
    """Base class: finds its parameters in its attributes.

    A parameter is an ``autograd.Parameter`` attribute, an item of a list or tuple
    attribute, or one found the same way inside a sub-module; attributes whose
    names start with "_" are skipped. Names are dotted paths in attribute
    order, e.g. ``layers.0.neurons.1.w.0``.

    Examples:
        >>> import nn
        >>> from autograd import Parameter
        >>> class Scale(nn.Module):
        ...     def __init__(self):
        ...         self.k = Parameter(2.0)
        ...     def __call__(self, x):
        ...         return self.k * x
        >>> m = Scale()
        >>> [name for name, _ in m.named_parameters()]
        ['k']
        >>> m(3.0).data
        6.0
    """

    def named_parameters(self) -> Iterator[tuple[str, Parameter]]:
        """Yield ``(dotted name, parameter)`` pairs in a fixed order.

        Each module, list and parameter is visited once, as in PyTorch: a
        back-reference (``layer.owner = model``) is not followed again, and a
        shared submodule or a tied weight is listed once, under its first name.
        """
        # explicit stack of (prefix, object) instead of recursion; pushed in
        # reverse so that items come out in attribute / index order
        stack: list[tuple[str, Any]] = [("", self)]
        seen: set[int] = set()  # ids of what was visited (all alive: reachable from self)
        while stack:
            prefix, obj = stack.pop()
            if isinstance(obj, (Parameter, Module, list, tuple)):
                if id(obj) in seen:
                    continue
                seen.add(id(obj))
            if isinstance(obj, Parameter):
                yield prefix, obj
            elif isinstance(obj, Module):
                items = [(k, v) for k, v in vars(obj).items() if not k.startswith("_")]
                for k, v in reversed(items):
                    stack.append((f"{prefix}.{k}" if prefix else k, v))
            elif isinstance(obj, (list, tuple)):
                for i in range(len(obj) - 1, -1, -1):
                    stack.append((f"{prefix}.{i}", obj[i]))

    def parameters(self) -> list[Parameter]:
        """Every parameter, in the order of ``named_parameters()``."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0."""
        for p in self.parameters():
            p.grad = 0.0

    def num_parameters(self) -> int:
        """How many scalar parameters the module has."""
        return len(self.parameters())

    # ------------------------------------------------------------ state

    def state_dict(self, layout: str = "chaingrad") -> dict[str, Any]:
        """The parameters' values by dotted name. ``layout="torch"`` (an ``MLP``):
        PyTorch's names and shapes instead, ``layers.0.weight`` as nested lists
        (out, in) and ``layers.0.bias`` (see ``nn.torch_bridge``)."""
        if _torch_layout(self, layout):
            return torch_state(self)  # type: ignore[arg-type]
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any], layout: str = "chaingrad") -> None:
        """Set every parameter from ``state`` (name -> number; with
        ``layout="torch"``, PyTorch's layout as ``state_dict`` gives it).

        Everything is checked first: the names must be exactly this module's,
        and every value a finite int or float (not a bool). On any problem a
        ``ValueError`` says what is wrong and no parameter has changed.
        """
        if _torch_layout(self, layout):
            state = from_torch_state(self, state)  # type: ignore[arg-type]
        named = list(self.named_parameters())
        values = _validated(state, [name for name, _ in named])
        for (_, p), v in zip(named, values):
            p.data = v

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the parameters to ``path`` as JSON.

        The JSON goes to a temporary file in the same directory that then
        replaces ``path`` in one step, so a crash leaves the old file or the new
        one, never half of one. The file gets the mode ``open()`` would give it
        (an existing file keeps its mode), a symlink is written through, and
        an error names ``path``, never the temporary file. Non-finite
        parameters raise ``ValueError`` (JSON has no nan or inf, and such a
        model could not be loaded back).
        """
        state = self.state_dict()
        for name, v in state.items():
            if not math.isfinite(v):
                raise ValueError(f"cannot save: parameter {name!r} is {v!r}")
        doc = {
            "format": _FORMAT,
            "version": _VERSION,
            "model": type(self).__name__,
            "parameters": state,
        }
        _files.write_atomically(path, json.dumps(doc, indent=1, allow_nan=False))

    def load(self, path: str | os.PathLike[str]) -> None:
        """Load parameters written by ``save``.

        The whole file is parsed and checked before any parameter is assigned:
        a truncated or malformed file, a different architecture (missing or
        extra names), a model of another class (the file's ``"model"`` must be
        this class or one of its bases), a value that is not a finite number,
        a repeated key, deep nesting, a number of more than 400 digits, bytes
        that are not UTF-8, or a file larger than ``_max_file_bytes`` (1 MiB
        plus 1 KiB per parameter: a file ``save`` writes is about 60 bytes per
        parameter) raises a one-line ``ValueError`` naming the file and leaves
        the model exactly as it was. Plain JSON only.
        """
        shown = os.fspath(path)
        doc = _files.read_json_document(path, _max_file_bytes(len(self.parameters())))
        if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
            raise ValueError(f"{shown!r} is not a chaingrad model file")
        version = doc.get("version")
        if type(version) is not int or version != _VERSION:  # not True, not 1.0
            raise ValueError(
                f"{shown!r} has format version {version!r}; "
                f"this version of chaingrad reads version {_VERSION}"
            )
        kind = doc.get("model")
        kinds = [c.__name__ for c in type(self).__mro__ if issubclass(c, Module)]
        if not isinstance(kind, str):
            raise ValueError(f"{shown!r} does not say which model it holds (its 'model' field)")
        if kind not in kinds:
            raise ValueError(
                f"{shown!r} holds a {kind!r} model; this is a {kinds[0]!r} (to load the "
                "parameters anyway: model.load_state_dict(json.load(f)['parameters']))"
            )
        state = doc.get("parameters")
        if not isinstance(state, dict):
            raise ValueError(f"{shown!r} has no 'parameters' object")
        try:
            self.load_state_dict(state)  # checks everything before it assigns anything
        except ValueError as e:
            raise ValueError(f"{shown!r}: {e}") from None

    # ------------------------------------------------------------ repr

    def _repr_head(self) -> str:
        return f"{type(self).__name__}()"

    def _children(self) -> list[tuple[str, Module]]:
        return []

    def __repr__(self) -> str:
        # a tree, one module per line, indented by depth (iteratively)
        lines: list[str] = []
        stack: list[tuple[int, str, Module]] = [(0, "", self)]
        while stack:
            depth, name, m = stack.pop()
            label = f"({name}): " if name else ""
            lines.append("  " * depth + label + m._repr_head())
            for child_name, child in reversed(m._children()):
                stack.append((depth + 1, child_name, child))
        return "\n".join(lines)


def _max_file_bytes(num_parameters: int) -> int:
    """The most ``load`` reads of a model with ``num_parameters`` parameters:
    1 MiB plus 1 KiB per parameter, room for any name and formatting."""
    return (1 << 20) + 1024 * num_parameters


def _torch_layout(module: Module, layout: str) -> bool:
    """True for layout "torch" (an MLP only), False for "chaingrad"; ValueError otherwise."""
    if layout == "torch":
        if not isinstance(module, MLP):
            raise ValueError(f'layout="torch" is for nn.MLP, not {type(module).__name__}')
        return True
    if layout != "chaingrad":
        raise ValueError(f'unknown layout {layout!r}; use "chaingrad" or "torch"')
    return False


def _validated(state: Mapping[str, Any], names: list[str]) -> list[float]:
    """The values of ``state`` in the order of ``names``, after checking everything."""
    if not isinstance(state, Mapping):
        raise ValueError(f"state must be a mapping of name -> number, not {type(state).__name__}")
    expected = set(names)
    got = set(state)
    if got != expected:
        missing = sorted(expected - got, key=names.index)
        extra = sorted(map(str, got - expected))
        parts = []
        if missing:
            parts.append(f"missing {len(missing)}: {_some(missing)}")
        if extra:
            parts.append(f"unexpected {len(extra)}: {_some(extra)}")
        raise ValueError(
            f"state does not match the model ({len(names)} parameters, state has "
            f"{len(got)}); " + "; ".join(parts)
        )
    values = []
    for name in names:
        v = state[name]
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ValueError(f"parameter {name!r} must be a number, not {type(v).__name__}")
        try:
            v = float(v)
        except OverflowError:  # an int too large for a float
            v = math.inf
        if not math.isfinite(v):
            raise ValueError(f"parameter {name!r} is {v!r}; values must be finite")
        values.append(v)
    return values


def _some(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (", ..." if len(names) > limit else "")


def _init_weight(rng: random.Random, init: str, nin: int, nout: int) -> float:
    if init == "uniform":  # micrograd's U(-1, 1)
        return rng.uniform(-1.0, 1.0)
    if init == "xavier":  # Glorot uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out))
        a = math.sqrt(6.0 / (nin + nout))
        return rng.uniform(-a, a)
    if init == "he":  # He normal: N(0, 2 / fan_in), for ReLU layers
        return rng.gauss(0.0, math.sqrt(2.0 / nin))
    raise ValueError(f"unknown init {init!r}; choose one of: {', '.join(INITS)}")


def _as_inputs(x: Sequence[Value | float], who: Neuron | Layer) -> list[Value]:
    """Check the input size and lift numbers to Values once (not once per neuron)."""
    nin = who.nin
    try:
        n = len(x)
    except TypeError:
        raise TypeError(
            f"{who._repr_head()} expects a sequence of {nin} inputs, not {type(x).__name__}"
        ) from None
    if n != nin:
        raise ValueError(f"{who._repr_head()} expects {nin} inputs, got {n}")
    out = []
    for i, v in enumerate(x):
        if isinstance(v, Value):
            out.append(v)
        elif isinstance(v, (int, float)):
            out.append(Value(v))
        elif hasattr(v, "dtype") and isinstance(plain(v), (int, float)):  # a numpy scalar
            out.append(Value(plain(v)))
        else:
            raise TypeError(
                f"{who._repr_head()}: input {i} must be a Value or a number, not {type(v).__name__}"
            )
    return out


def _prefix_labels(children: Sequence[Module], letter: str) -> None:
    """Prefix the labels of the parameters of each child with its place, so that drawings
    and ``autograd.explain`` tell them apart: a parameter's label is a short form of its
    dotted name, ``layers.0.neurons.1.w.2`` -> ``L0.N1.w2`` (``N1.w2`` in a lone Layer, ``w2``
    in a lone Neuron)."""
    for i, child in enumerate(children):
        for p in child.parameters():
            p.label = f"{letter}{i}.{p.label}"


class Neuron(Module):
    """One unit: ``activation(w . x + b)``.

    ``w`` is a list of ``nin`` Parameters drawn by ``init`` ("uniform": U(-1, 1)
    like micrograd, "xavier": Glorot uniform, "he": He normal; ``fan_out`` is
    used by "xavier"); ``b`` starts at 0, or is None with ``bias=False``.
    ``rng`` is a ``random.Random`` or an int seed (None: the shared generator that
    ``nn.manual_seed`` seeds, so neurons built one after the other differ).

    Args:
        nin: the number of inputs, >= 1.
        activation: a name from ``nn.ACTIVATIONS``, a callable, or None (identity).
        bias: whether the neuron has a bias ``b``.
        rng: a ``random.Random`` or an int seed; None uses the shared generator.
        init: how the weights are drawn: "uniform", "xavier" or "he".
        fan_out: the fan-out that "xavier" uses.

    Raises:
        TypeError: ``nin`` or ``fan_out`` is not an int, or a bad ``activation`` or ``rng``.
        ValueError: ``nin`` or ``fan_out`` < 1, or an unknown ``activation`` or ``init``.

    Examples:
        >>> import nn
        >>> neuron = nn.Neuron(2, activation='relu', rng=0)
        >>> out = neuron([1.0, 2.0])
        >>> [name for name, _ in neuron.named_parameters()]
        ['w.0', 'w.1', 'b']
    """

    def __init__(
        self,
        nin: int,
        activation: str | Activation | None = "relu",
        bias: bool = True,
        rng: random.Random | int | None = None,
        *,
        init: str = "uniform",
        fan_out: int = 1,
    ) -> None:
        self.nin = int_at_least(nin, "nin", 1)
        int_at_least(fan_out, "fan_out", 1)
        self._act = get_activation(activation)
        self._fast = fast_activation(self._act)
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; choose one of: {', '.join(INITS)}")
        r = module_rng(rng)
        self.w = [Parameter(_init_weight(r, init, nin, fan_out), f"w{i}") for i in range(nin)]
        self.b = Parameter(0.0, "b") if bias else None

    @property
    def activation(self) -> Activation:
        """The activation function."""
        return self._act

    def __call__(self, x: Sequence[Value | float]) -> Value:
        return self._forward(_as_inputs(x, self))

    def _forward(self, x: list[Value]) -> Value:
        # x is already checked and lifted to Values, and w holds Parameters
        z = dot_unchecked(self.w, x, self.b)
        f = self._fast
        return z if f is None else f(z)

    def _repr_head(self) -> str:
        bias = "" if self.b is not None else ", bias=False"
        return f"Neuron({self.nin} inputs, {activation_name(self._act)}{bias})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; calling it always returns a list.

    Args:
        nin: the number of inputs, >= 1.
        nout: the number of neurons (outputs), >= 1.
        activation: as for ``Neuron``.
        bias: whether each neuron has a bias.
        rng: as for ``Neuron``; one stream for all the neurons.
        init: as for ``Neuron``.

    Raises:
        TypeError: ``nin`` or ``nout`` is not an int, or a bad ``activation`` or ``rng``.
        ValueError: ``nin`` or ``nout`` < 1, or an unknown ``activation`` or ``init``.

    Examples:
        >>> import nn
        >>> layer = nn.Layer(2, 3, activation='tanh', rng=0)
        >>> len(layer([1.0, 2.0]))
        3
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str | Activation | None = "relu",
        bias: bool = True,
        rng: random.Random | int | None = None,
        *,
        init: str = "uniform",
    ) -> None:
        self.nin = int_at_least(nin, "nin", 1)
        self.nout = int_at_least(nout, "nout", 1)
        r = module_rng(rng)  # one stream shared by all neurons, so they differ
        self.neurons = [
            Neuron(nin, activation, bias, r, init=init, fan_out=nout) for _ in range(nout)
        ]
        _prefix_labels(self.neurons, "N")

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        return self._forward(_as_inputs(x, self))

    def _forward(self, xs: list[Value]) -> list[Value]:
        # xs is checked and lifted once here, not once per neuron; the neuron's
        # forward is inlined because this loop is the hot path of training
        out = []
        for n in self.neurons:
            z = dot_unchecked(n.w, xs, n.b)
            f = n._fast
            out.append(z if f is None else f(z))
        return out

    def _repr_head(self) -> str:
        first = self.neurons[0]
        bias = "" if first.b is not None else ", bias=False"
        return f"Layer({self.nin} -> {self.nout}, {activation_name(first.activation)}{bias})"


class MLP(Module):
    """A multilayer perceptron: ``nin`` inputs, then one layer per entry of ``nouts``.

    Hidden layers use ``activation``; the output layer is linear unless
    ``output_activation`` is given. Calling it returns a list (of one Value for
    a single output). ``nouts`` is a list (or tuple, or numpy array) of sizes;
    ``rng`` as for ``Neuron``.

    Args:
        nin: the number of inputs, >= 1.
        nouts: the size of each layer, the last one being the number of outputs.
        activation: the hidden layers' activation, as for ``Neuron``.
        output_activation: the output layer's activation; None means linear.
        bias: whether each neuron has a bias.
        init: as for ``Neuron``.
        rng: as for ``Neuron``; one stream for the whole model.

    Raises:
        TypeError: ``nin`` or a size is not an int, ``nouts`` is not a list, or a bad
            activation or ``rng``.
        ValueError: ``nin`` or a size < 1, ``nouts`` empty, or an unknown activation or ``init``.

    Examples:
        >>> import nn
        >>> model = nn.MLP(2, [3, 1], rng=0)
        >>> len(model.parameters())
        13
        >>> len(model([1.0, -1.0]))
        1
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str | Activation | None = "relu",
        output_activation: str | Activation | None = None,
        bias: bool = True,
        init: str = "uniform",
        rng: random.Random | int | None = None,
    ) -> None:
        self.nin = int_at_least(nin, "nin", 1)
        if hasattr(nouts, "tolist"):  # a numpy array of sizes
            nouts = nouts.tolist()
        if not isinstance(nouts, Sequence) or isinstance(nouts, str):
            raise TypeError(
                f"nouts must be a list of layer sizes, e.g. nn.MLP({nin}, [{nouts!r}]) for one "
                f"layer, not {type(nouts).__name__}"
            )
        sizes = list(nouts)
        if not sizes:
            raise ValueError("nouts must list at least one layer size")
        for s in sizes:
            int_at_least(s, "each layer size in nouts", 1)
        get_activation(activation)  # fail early on a bad name
        get_activation(output_activation)
        r = module_rng(rng)
        dims = [nin, *sizes]
        self.layers = [
            Layer(
                dims[i],
                dims[i + 1],
                activation if i < len(sizes) - 1 else output_activation,
                bias,
                r,
                init=init,
            )
            for i in range(len(sizes))
        ]
        _prefix_labels(self.layers, "L")

    def to_torch(self, dtype: Any = None) -> Any:
        """This model as a ``torch.nn.Sequential`` of ``Linear`` layers and activation
        modules, float64 unless ``dtype`` says otherwise (see ``nn.torch_bridge``)."""
        from nn import torch_bridge  # the adapter, loaded on first use: it imports this module

        return torch_bridge.to_torch(self, dtype)

    @classmethod
    def from_torch(cls, module: Any) -> MLP:
        """An MLP equal to ``module``, a ``torch.nn.Sequential`` of ``Linear`` layers
        each followed by at most one supported activation (see ``nn.torch_bridge``)."""
        from nn import torch_bridge  # the adapter, loaded on first use: it imports this module

        return torch_bridge.from_torch(module, cls)

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        layers = self.layers
        out = layers[0](x)  # checks the input size and lifts numbers
        for layer in layers[1:]:
            out = layer._forward(out)  # sizes match by construction
        return out

    def _repr_head(self) -> str:
        sizes = [layer.nout for layer in self.layers]
        return f"MLP({self.nin} -> {sizes}, {self.num_parameters()} parameters)"

    def _children(self) -> list[tuple[str, Module]]:
        return [(f"layers.{i}", layer) for i, layer in enumerate(self.layers)]


# ---------------------------------------------------------------- the torch layout


def torch_state(model: MLP) -> dict[str, list[Any]]:
    """``layers.{i}.weight`` (nested lists, (out, in)) and ``layers.{i}.bias`` ((out,))."""
    state: dict[str, list[Any]] = {}
    for i, layer in enumerate(model.layers):
        state[f"layers.{i}.weight"] = [[w.data for w in n.w] for n in layer.neurons]
        biases = [n.b.data for n in layer.neurons if n.b is not None]
        if biases:
            state[f"layers.{i}.bias"] = biases
    return state


def _rows(value: Any, key: str) -> list[Any]:
    """Nested lists from lists, tuples or anything with ``tolist()`` (a tensor, an array)."""
    tolist: Callable[[], Any] | None = getattr(value, "tolist", None)
    if callable(tolist):
        value = tolist()
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{key!r} must be a list (or a tensor), not {type(value).__name__}")
    return list(value)


def from_torch_state(model: MLP, state: Mapping[str, Any]) -> dict[str, Any]:
    """The chaingrad state (dotted name -> number) of a state in the torch layout,
    after checking its names and shapes against ``model`` (ValueError naming the
    key otherwise); the numbers themselves are checked by ``load_state_dict``."""
    if not isinstance(state, Mapping):
        raise ValueError(f"state must be a mapping, not {type(state).__name__}")
    expected = list(torch_state(model))
    missing = [k for k in expected if k not in state]
    extra = [str(k) for k in state if k not in expected]
    if missing or extra:
        parts = [f"missing {', '.join(map(repr, missing))}"] if missing else []
        parts += [f"unexpected {', '.join(map(repr, extra))}"] if extra else []
        raise ValueError(f"state does not match the model's torch layout: {'; '.join(parts)}")
    flat: dict[str, Any] = {}
    for i, layer in enumerate(model.layers):
        key = f"layers.{i}.weight"
        rows = _rows(state[key], key)
        shape = (layer.nout, layer.nin)
        if len(rows) != layer.nout or any(
            not isinstance(r, (list, tuple)) or len(r) != layer.nin for r in rows
        ):
            raise ValueError(f"{key!r} must have shape {shape} (out_features, in_features)")
        for j, row in enumerate(rows):
            for k, v in enumerate(row):
                flat[f"layers.{i}.neurons.{j}.w.{k}"] = v
        key = f"layers.{i}.bias"
        if key in state:
            bias = _rows(state[key], key)
            if len(bias) != layer.nout:
                raise ValueError(f"{key!r} must have shape ({layer.nout},) (out_features,)")
            for j, v in enumerate(bias):
                flat[f"layers.{i}.neurons.{j}.b"] = v
    return flat
