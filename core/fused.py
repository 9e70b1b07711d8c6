"""A hand-derived training step for the tutorial's character RNN (T4), in time chunks.

`FusedSimpleRNNStep` computes the mean cross-entropy of a from-scratch SimpleRNN language
model (one-hot or embedded input -> one or more ``SimpleRNNCellScratch`` layers -> Dense over
the vocabulary at every step) and its gradient for every trainable weight, from the model's
own variables, without ``tf.GradientTape``. Same maths as ``model(ids)`` and autodiff: the
loss agrees to float rounding and the gradients to about 1e-6 relative
(``tests/unit/test_fused.py``).

Why it is faster on a CPU. Of the tutorial's training step (batch 32, 35 steps, 256 units,
about 1,000 characters) most of the arithmetic is the output layer: three
[1120, 256] x [256, V] products (logits, the output weights' gradient, the gradient that
flows back into h). The recurrence is 35 small dependent products forward and 35 backward,
which one core runs best. Here the output layer is cut into chunks of `CHUNK_STEPS` time
steps, each chunk's logits, softmax and gradients depending only on that chunk's h, so
TensorFlow's executor runs a chunk's products on one core while the recurrence goes on on
the other; with one thread per op (`core.train.configure_threads`, as run processes do) both
cores stay busy. Written as one graph of independent ops, without XLA (which runs a
function's ops one after the other). The cross-entropy comes from ``tf.nn.softmax``
(log-sum-exp = max logit - log of the largest probability: exact, never log 0): TensorFlow's
fused ``SparseSoftmaxCrossEntropyWithLogits`` kernel takes about five times as long on a CPU
(5.0 against 1.0 ms for 1,120 x 970 logits on one core).

Measured on 2 cores (2026-11-30, the T4 sizes, one thread per op): 13.9-14.8 ms a batch,
against 17.7-19.3 ms for the XLA-compiled autodiff step it replaces (TensorFlow's default
threads, where that step is fastest); `bench/bench_training.py` times it against the
tutorial's eager loop.

`mean_cross_entropy` is the same cross-entropy with its gradient written out, for every
language model's training and validation loss (`core.train.LanguageModelTrainer`).

A language model built with ``output_precision="bfloat16"`` (`core.models.ModelConfig`) gets
its output layer's three products in bfloat16, as Keras's "mixed_bfloat16" policy on that
Dense layer computes them (h and the weights rounded to bfloat16; logits plus bias in
bfloat16, then float32 for the softmax; the gradients flowing back rounded the same way), and
everything else in float32. On a CPU with AVX512-BF16 that halves the products' time
(the T4 step 13.0-13.6 -> 10.2 ms a batch on 2 cores).

On a GPU the same ops run there (TensorFlow places them); nothing here is CPU-only.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from core.cells import SimpleRNNCellScratch

CHUNK_STEPS = 5
"""Time steps per output-layer chunk (35 steps: 7 chunks). 4-7 measured alike on 2 cores."""


def softmax_loss_rows(logits, targets):
    """(probabilities, -log p[target] of each row) for logits [rows, V] and int targets [rows].

    log-sum-exp = max logit - log(max probability): exact, and never log 0 since the largest
    probability is at least 1/V. TensorFlow's fused ``SparseSoftmaxCrossEntropyWithLogits``
    computes the same, 3.7-4.3 times as long on a CPU with its gradient (see `mean_cross_entropy`).
    """
    probs = tf.nn.softmax(logits)
    log_sum_exp = tf.reduce_max(logits, -1) - tf.math.log(tf.reduce_max(probs, -1))
    return probs, log_sum_exp - tf.gather(logits, targets, batch_dims=1)


def _minus_one_at_targets(probs, targets):
    """probs - one_hot(targets): the gradient of -log softmax(logits)[target] for each row."""
    rows = tf.range(tf.shape(targets)[0])
    return tf.tensor_scatter_nd_sub(probs, tf.stack([rows, targets], 1), tf.ones_like(targets, probs.dtype))


def mean_cross_entropy(targets, logits):
    """Mean over every position of -log softmax(logits)[target]: logits [..., V], targets [...].

    The same value and gradient as ``keras.losses.sparse_categorical_crossentropy(targets,
    logits, from_logits=True)`` averaged (``tests/unit/test_fused.py``), computed through
    `softmax_loss_rows` with the gradient written out (softmax - one-hot, over the count):
    for 1,120 positions over 970 characters 5.2 -> 1.2 ms on one core with its gradient,
    over 4,000 characters 21.6 -> 5.8 ms.
    """
    logits = tf.cast(logits, tf.float32)  # as Keras's loss does for a mixed-precision model's logits
    vocab = tf.shape(logits)[-1]
    return _mean_cross_entropy(tf.reshape(tf.cast(targets, tf.int32), [-1]), tf.reshape(logits, [-1, vocab]))


@tf.custom_gradient
def _mean_cross_entropy(targets, logits):
    probs, loss_rows = softmax_loss_rows(logits, targets)
    count = tf.cast(tf.shape(targets)[0], logits.dtype)

    def grad(upstream):
        return None, _minus_one_at_targets(probs, targets) * (upstream / count)

    return tf.reduce_mean(loss_rows), grad


def chunk_bounds(steps: int, chunk: int = CHUNK_STEPS) -> list[tuple[int, int]]:
    """[(start, end), ...] covering 0..steps in chunks of about ``chunk`` steps, sizes differing by at most 1."""
    if steps < 1:
        raise ValueError("steps must be at least 1")
    count = max(1, round(steps / chunk))
    base, extra = divmod(steps, count)
    bounds, start = [], 0
    for index in range(count):
        end = start + base + (1 if index < extra else 0)
        bounds.append((start, end))
        start = end
    return bounds


class FusedSimpleRNNStep:
    """``step(ids, targets)`` -> (mean cross-entropy, [gradient of each of ``model.trainable_variables``]).

    ``FusedSimpleRNNStep.for_model(model)`` returns one when the model qualifies, else None:
    a chain ``token_ids -> OneHot | Embedding (no mask) -> RNN(SimpleRNNCellScratch) x L -> Dense``
    (no dropout, a linear output with a bias, float32 throughout but for a bfloat16 output
    layer, every layer returning sequences), every trainable variable being one of those
    layers' weights. A stateful layer
    starts from its state variable and stores its final state there, as ``keras.layers.RNN``
    does (no gradient flows into it). ids and targets are int [batch, steps] with a static
    number of steps (the step is traced once per shape).

    The equations for one layer (a stack feeds each layer's h into the next as its x), with
    n = batch x steps, h_0 the initial state, p_t = softmax(h_t W_hq + b_q):

        forward   h_t = tanh(x_t W_xh + h_{t-1} W_hh + b_h)          x_t W_xh = W_xh[id_t] (one-hot)
        loss      L = (1/n) sum_t sum_rows -log p_t[y_t]
        output    dZ_t = (p_t - onehot(y_t)) / n;  dW_hq = sum_t h_t^T dZ_t;  db_q = sum_t dZ_t
        back      dA_t = (dH_t + dA_{t+1} W_hh^T) * (1 - h_t^2)   (dA_{T+1} = 0; dH_t = dZ_t W_hq^T
                  on the top layer, dA_t W_xh^T of the layer above on the others)
        weights   dW_hh = sum_t h_{t-1}^T dA_t;  db_h = sum_t dA_t;  dW_xh = sum_t x_t^T dA_t
    """

    def __init__(self, model: keras.Model, features, layers, output) -> None:
        self.model = model
        self.features = features
        self.layers = list(layers)
        self.output = output
        self.one_hot = not isinstance(features, keras.layers.Embedding)

    @staticmethod
    def handles(steps: int | None) -> bool:
        """Whether a step of ``steps`` time steps is written out here: a static length up to
        `core.models.MAX_UNROLLED_STEPS`, the same bound as the unrolled forward (the graph grows
        with the length; longer sequences go through ``model(x)`` and its loop over time)."""
        from core.models import MAX_UNROLLED_STEPS

        return steps is not None and 1 <= steps <= MAX_UNROLLED_STEPS

    @classmethod
    def for_model(cls, model: keras.Model) -> "FusedSimpleRNNStep | None":
        from core.models import _scratch_chain

        chain = _scratch_chain(model)
        if chain is None:
            return None
        features, recurrent, output = chain
        if any(type(layer.cell) is not SimpleRNNCellScratch for layer in recurrent):
            return None
        if not output.use_bias or output.activation is not keras.activations.linear:
            return None
        if any(layer.compute_dtype != "float32" for layer in (features, *recurrent)):
            return None
        if output.variable_dtype != "float32" or output.compute_dtype not in ("float32", "bfloat16"):
            return None
        step = cls(model, features, recurrent, output)
        covered = {id(v) for v in step._weights()}
        if any(id(v) not in covered for v in model.trainable_variables):
            return None  # a trainable weight this step does not know
        return step

    def _weights(self) -> list:
        weights = [self.output.kernel, self.output.bias]
        for layer in self.layers:
            weights += [layer.cell.kernel, layer.cell.recurrent_kernel, layer.cell.bias]
        if not self.one_hot:
            weights.append(self.features.embeddings)
        return weights

    def __call__(self, ids, targets):
        ids = tf.cast(ids, tf.int32)
        targets = tf.cast(targets, tf.int32)
        batch, steps = ids.shape
        if not self.handles(steps):
            raise ValueError(f"FusedSimpleRNNStep takes a static number of steps up to its bound, not {steps}")
        batch = tf.shape(ids)[0] if batch is None else batch
        n = tf.cast(tf.size(ids), tf.float32)
        bounds = chunk_bounds(steps)
        ids_t = tf.transpose(ids)  # time-major [steps, batch]: a chunk's rows are contiguous
        targets_t = tf.transpose(targets)
        grads = {}

        # ---- forward, layer by layer: h of every step, and each chunk's h as one block of rows
        # (read by the output layer or the next layer, and by the backward pass); x_flat = each
        # layer's input rows
        layer_chunks, layer_h_prev, layer_x = [], [], []
        x_flat = None
        for index, layer in enumerate(self.layers):
            cell = layer.cell
            w_xh, w_hh, b_h = (tf.convert_to_tensor(w) for w in (cell.kernel, cell.recurrent_kernel, cell.bias))
            units = w_hh.shape[0]
            if index == 0 and self.one_hot:  # one_hot(id) @ W_xh is row id of W_xh
                x_proj = tf.gather(w_xh, ids_t)
            else:
                if index == 0:
                    embeddings = tf.convert_to_tensor(self.features.embeddings)
                    x_flat = tf.gather(embeddings, tf.reshape(ids_t, [-1]))  # [steps * batch, d]
                else:
                    x_flat = tf.concat(layer_chunks[-1], 0)  # the layer below's h, time-major rows
                x_proj = tf.reshape(tf.matmul(x_flat, w_xh), [steps, -1, units])
            layer_x.append(x_flat)
            x_proj = tf.unstack(x_proj + b_h, num=steps)
            h = tf.convert_to_tensor(layer.states[0]) if layer.stateful else tf.zeros([batch, units], w_hh.dtype)
            h_prev, h_all = [], []
            for t in range(steps):
                h_prev.append(h)
                h = tf.tanh(x_proj[t] + tf.matmul(h, w_hh))
                h_all.append(h)
            if layer.stateful:
                layer.states[0].assign(h)
            layer_chunks.append([tf.concat(h_all[start:end], 0) for start, end in bounds])
            layer_h_prev.append(h_prev)

        # ---- output layer, chunk by chunk: loss, its gradients and dH of the top layer
        # the output layer computes in its own dtype (bfloat16 with output_precision="bfloat16",
        # like the Keras layer): `low` rounds into it, the logits and gradients return to float32
        low_dtype = tf.as_dtype(self.output.compute_dtype)
        low = (lambda x: x) if low_dtype == tf.float32 else (lambda x: tf.cast(x, low_dtype))
        w_hq = low(tf.convert_to_tensor(self.output.kernel))
        b_q = low(tf.convert_to_tensor(self.output.bias))
        w_hq_t = tf.transpose(w_hq)
        losses, d_w_hq, d_b_q = [], [], []
        d_h_in = [None] * steps  # the gradient arriving at each step's h from above
        for (start, end), h_chunk in zip(bounds, layer_chunks[-1]):  # h_chunk [(end - start) * batch, units]
            y_chunk = tf.reshape(targets_t[start:end], [-1])
            h_low = low(h_chunk)
            logits = tf.cast(tf.matmul(h_low, w_hq) + b_q, tf.float32)
            probs, loss_rows = softmax_loss_rows(logits, y_chunk)
            losses.append(tf.reduce_sum(loss_rows))
            d_logits = _minus_one_at_targets(probs, y_chunk)
            d_low = low(d_logits)
            d_w_hq.append(tf.cast(tf.matmul(h_low, d_low, transpose_a=True), tf.float32))  # scaled by 1/n below
            d_b_q.append(tf.reduce_sum(d_logits, 0))
            d_h_in[start:end] = tf.split(tf.cast(tf.matmul(d_low, w_hq_t), tf.float32) / n, end - start)
        grads[id(self.output.kernel)] = tf.add_n(d_w_hq) / n
        grads[id(self.output.bias)] = tf.add_n(d_b_q) / n

        # ---- backward through time, top layer first; each chunk's dX feeds the layer below
        for index in reversed(range(len(self.layers))):
            cell = self.layers[index].cell
            w_hh_t = tf.transpose(tf.convert_to_tensor(cell.recurrent_kernel))
            w_xh = tf.convert_to_tensor(cell.kernel)
            h_prev, x_flat = layer_h_prev[index], layer_x[index]
            d_next = None
            d_a = [None] * steps
            d_w_hh, d_b_h, d_w_xh, d_x = [], [], [], [None] * steps
            for (start, end), h_chunk in reversed(list(zip(bounds, layer_chunks[index]))):
                tanh_grad = tf.split(1.0 - tf.square(h_chunk), end - start)
                for t in reversed(range(start, end)):
                    d_h = d_h_in[t] if d_next is None else d_h_in[t] + d_next
                    d_a[t] = d_h * tanh_grad[t - start]
                    if t > 0:
                        d_next = tf.matmul(d_a[t], w_hh_t)
                d_a_chunk = tf.concat(d_a[start:end], 0)
                d_w_hh.append(tf.matmul(tf.concat(h_prev[start:end], 0), d_a_chunk, transpose_a=True))
                d_b_h.append(tf.reduce_sum(d_a_chunk, 0))
                if x_flat is None:  # one-hot input: the rows of W_xh that were read
                    d_w_xh.append(tf.math.unsorted_segment_sum(d_a_chunk, tf.reshape(ids_t[start:end], [-1]), w_xh.shape[0]))
                else:
                    x_chunk = x_flat[start * batch:end * batch]  # time-major rows of steps start..end-1
                    d_w_xh.append(tf.matmul(x_chunk, d_a_chunk, transpose_a=True))
                    if index > 0 or self.features.trainable:
                        d_x[start:end] = tf.split(tf.matmul(d_a_chunk, w_xh, transpose_b=True), end - start)
            grads[id(cell.recurrent_kernel)] = tf.add_n(d_w_hh)
            grads[id(cell.bias)] = tf.add_n(d_b_h)
            grads[id(cell.kernel)] = tf.add_n(d_w_xh)
            d_h_in = d_x
        if not self.one_hot and self.features.trainable:
            grads[id(self.features.embeddings)] = tf.math.unsorted_segment_sum(
                tf.concat(d_h_in, 0), tf.reshape(ids_t, [-1]), self.features.embeddings.shape[0]
            )
        loss = tf.add_n(losses) / n
        return loss, [grads[id(v)] for v in self.model.trainable_variables]
