"""An experiment, not a benchmark: adversarial training on the embeddings for the shipped BiLSTM recipe (issue 5).

Miyato, Dai & Goodfellow 2017 ("Adversarial training methods for semi-supervised text
classification"): each batch's loss is L(e) + L(e + r), with e the word vectors of each
review and r = eps * g / ||g|| the step of length eps along g = dL/de, the direction that
raises the loss most (||g|| over each review's words). eps = eps_rel x the mean norm of a
word vector x sqrt(the mean number of words in a review).

The recipe is `shipped_sentiment_bilstm`'s (same split, vocabulary, Word2Vec start, model,
Adam 1e-3, batch 64, at most 10 epochs, stopping after 2 without a lower validation loss),
trained by this script's own loop for both arms (eps_rel 0 is the plain recipe), so the two
differ only by the adversarial term; the Word2Vec matrix is fitted once (seed 0) and cached
in /tmp/exp5 for every run. Prints one RESULT line: the epoch with the lowest validation loss,
its validation and test accuracy. Figures and conclusions: bench/README.md (bench_sentiment).

    python -m bench.exp_adversarial_sentiment SEED EPS_REL      # e.g. 0 0.02; 2-6 minutes on 2 cores

A third argument ALPHA > 0 adds R-Drop instead (Liang et al. 2021, "R-Drop: regularized dropout
for neural networks"): each batch goes through the model twice, with two dropout masks; the
loss is the mean of the two cross-entropies plus ALPHA/2 x the symmetric KL divergence between
the two predicted Bernoulli distributions, so that the model's answer depends less on which
units dropout removed:

    python -m bench.exp_adversarial_sentiment SEED 0 ALPHA [EPOCHS]     # e.g. 0 0 1.0; EPOCHS: the recipe's 10 unless given
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import numpy as np
from core import train
train.configure_threads()
import keras, tensorflow as tf
from core.presets import get_preset
from core.runs import RunDir

seed = int(sys.argv[1]); eps_rel = float(sys.argv[2]); alpha = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
cfg = get_preset("shipped_sentiment_bilstm")
if len(sys.argv) > 4:  # more epochs than the recipe's (R-Drop learns more slowly)
    cfg.epochs = int(sys.argv[4])
data = train.prepare_sentiment_data(cfg)
os.makedirs("/tmp/exp5", exist_ok=True)
cache = "/tmp/exp5/w2v.npy"
if os.path.exists(cache):
    init = np.load(cache)
else:
    import tempfile
    run = RunDir(tempfile.mkdtemp())
    init = train._word2vec_matrix(cfg, run, data, lambda m: print(m, flush=True))
    np.save(cache, init)
keras.utils.set_random_seed(seed)
model = train.build_sentiment_model(cfg, data.vocab_size, init)
emb, sdrop, rnn, pool, out = (model.get_layer(n) for n in ("embedding", "embedding_dropout", "rnn_1", "pooling", "output"))
opt = keras.optimizers.Adam(1e-3)
variables = model.trainable_variables
opt.build(variables)
bce = keras.losses.BinaryCrossentropy()
lengths = (data.x_train != 0).sum(1)
mean_norm = float(np.linalg.norm(init[1:], axis=1).mean())
eps = eps_rel * mean_norm * float(np.sqrt(lengths.mean()))
print("mean row norm", round(mean_norm, 3), "eps", round(eps, 3), flush=True)

def forward(ids, r, training):
    mask = tf.not_equal(ids, 0)
    e = emb(ids)
    if r is not None:
        e = e + r
    e = sdrop(e, training=training)
    h = rnn(e, mask=mask, training=training)
    return out(pool(h, mask=mask))

@tf.function
def step(x, y):
    with tf.GradientTape() as tape:
        if eps > 0:
            r0 = tf.zeros(tf.concat([tf.shape(x), [init.shape[1]]], 0))
            with tf.GradientTape() as inner:
                inner.watch(r0)
                loss_clean = bce(y, forward(x, r0, True))
            g = tf.stop_gradient(inner.gradient(loss_clean, r0))
            norm = tf.sqrt(tf.reduce_sum(g * g, axis=[1, 2], keepdims=True)) + 1e-12
            r_adv = eps * g / norm
            loss = loss_clean + bce(y, forward(x, r_adv, True))
        elif alpha > 0:  # R-Drop: two dropout masks, their answers pulled together
            p1, p2 = (tf.clip_by_value(forward(x, None, True), 1e-6, 1 - 1e-6) for _ in range(2))
            kl = (p1 - p2) * (tf.math.log(p1) - tf.math.log(p2)) + (p2 - p1) * (tf.math.log(1 - p1) - tf.math.log(1 - p2))  # KL(p1||p2) + KL(p2||p1)
            loss = 0.5 * (bce(y, p1) + bce(y, p2)) + alpha * 0.5 * tf.reduce_mean(kl)
        else:
            loss = bce(y, forward(x, None, True))
    grads = tape.gradient(loss, variables)
    opt.apply(grads, variables)
    return loss

@tf.function
def predict(x):
    return forward(x, None, False)

def evaluate(x, y):
    p = np.concatenate([predict(x[i:i + 512]).numpy()[:, 0] for i in range(0, len(x), 512)])
    loss = float(bce(y.astype(np.float32), p[:, None]))
    return loss, float(((p > 0.5) == (y > 0.5)).mean())

rng = np.random.default_rng(seed)
best = (1e9, None, None, 0); bad = 0
for epoch in range(cfg.epochs):
    t0 = time.time()
    order = rng.permutation(len(data.x_train))
    for i in range(0, len(order), cfg.batch_size):
        idx = order[i:i + cfg.batch_size]
        step(data.x_train[idx], data.y_train[idx].astype(np.float32).reshape(-1, 1))
    vl, va = evaluate(data.x_val, data.y_val)
    tl, ta = evaluate(data.x_test, data.y_test)
    print(f"seed {seed} eps_rel {eps_rel} alpha {alpha} epoch {epoch + 1} val_loss {vl:.4f} val_acc {va:.4f} test_acc {ta:.4f} ({time.time() - t0:.0f} s)", flush=True)
    if vl < best[0]:
        best = (vl, va, ta, epoch + 1); bad = 0
    else:
        bad += 1
        if bad >= cfg.early_stopping_patience:
            break
print("RESULT", json.dumps({"seed": seed, "eps_rel": eps_rel, "alpha": alpha, "best_epoch": best[3], "val_loss": best[0], "val_acc": best[1], "test_acc": best[2]}), flush=True)
