"""An experiment, not a benchmark: an average of the weights for the shipped BiLSTM recipe (issue 5).

Trains `shipped_sentiment_bilstm` exactly as `python -m core.train` does (same split, vocabulary,
Word2Vec start, model, early stopping, run folder), except that the Adam optimizer keeps an
exponential moving average of the weights (Keras's ``use_ema``, ``ema_momentum`` MOMENTUM) and
``keras.callbacks.SwapEMAWeights(swap_on_epoch=True)``, placed before the run's own callback,
puts the averaged weights in the model for validation and at the end of every epoch, so the
run's val_loss, model_best.keras and test accuracy are those of the averaged weights. Both are
patched in from here (``core.train.make_optimizer`` and ``keras.Model.fit``), so the product
itself is unchanged. Figures and conclusion: bench/README.md (bench_sentiment).

    python -m bench.exp_ema_sentiment SEED MOMENTUM RUN_DIR     # e.g. 0 0.99 /tmp/ema_s0; ~6 minutes on 2 cores
"""
import sys

import keras

import core.train as T


def main() -> int:
    seed, momentum, run_dir = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]

    def make_optimizer(config):
        return keras.optimizers.Adam(learning_rate=float(config.learning_rate), use_ema=True, ema_momentum=momentum)

    fit = keras.Model.fit

    def fit_with_ema(self, *args, callbacks=None, **kwargs):
        return fit(self, *args, callbacks=[keras.callbacks.SwapEMAWeights(swap_on_epoch=True), *(callbacks or [])], **kwargs)

    T.make_optimizer = make_optimizer
    keras.Model.fit = fit_with_ema
    return T.main(["--preset", "shipped_sentiment_bilstm", "--set", f"seed={seed}", "--run-dir", run_dir])


if __name__ == "__main__":
    sys.exit(main())
