"""The blocks of the three recurrent cells, by name, in the order of Keras's weight columns.

Keras stacks a cell's blocks side by side in ``kernel`` [d, k*h], ``recurrent_kernel``
[h, k*h] and ``bias`` [k*h] (GRU: [2, 3h]); this module is the one place that says which
block is which, for the numpy recomputation of the gates (`core.generate.recompute_cell`),
the Training page's weight table and equations (`core.models.cell_weights`), the number of
blocks (`core.inspect`) and the heatmaps' colour scales (`core.figures`). It imports
nothing, so the keras-free modules can use it.
"""

from __future__ import annotations

CELL_GATES: dict[str, tuple[str, ...]] = {
    "simple_rnn": ("h",),  # one block: the new state itself
    "lstm": ("i", "f", "g", "o"),  # input gate, forget gate, candidate memory, output gate
    "gru": ("z", "r", "n"),  # update gate, reset gate, candidate state
}

SIGMOID_GATES: frozenset[str] = frozenset({"i", "f", "o", "z", "r"})
"""The blocks that pass through a sigmoid and lie in [0, 1]. The others are signed: the
candidates g (LSTM) and n (GRU) and the SimpleRNN's h pass through tanh, in [-1, 1], and the
LSTM memory c is unbounded."""
