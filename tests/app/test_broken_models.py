"""A corrupt model file on a hosted instance: listed as broken with its reason, never the
default, and the page keeps working with the other models (AppTest, real tiny runs)."""

from __future__ import annotations

from core.i18n import tr
from core.runs import RunStore
from core.train import TrainConfig, run_training

from .conftest import open_app
from tests.app.rendered import shown  # noqa: E402

PAGE = "pages/sentiment.py"


def _train(store: RunStore, label: str):
    config = TrainConfig.from_dict(
        {"task": "sentiment", "dataset": "chinese_reviews", "maxlen": 20, "max_train_texts": 200, "epochs": 1,
         "model": {"cell": "gru", "units": 4, "embedding_dim": 4}}
    )
    run = store.create(config.to_dict(), label=label)
    assert run_training(config, run)["state"] == "done"
    return run


def test_a_truncated_model_is_marked_broken_and_the_page_goes_on(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(tmp_path))
    store = RunStore(tmp_path)
    good = _train(store, "good")
    bad = _train(store, "bad")
    data = bad.best_model_path.read_bytes()
    bad.best_model_path.write_bytes(data[: len(data) // 2])

    at = open_app("en", PAGE, timeout=300)
    box = at.selectbox(key="sent_model")
    assert box.value != bad.run_id, "a broken model is never the default"
    # the options are shown through a format function: the run's name with its data set and cell, marked broken
    broken_label = tr("sent.broken_model", "en").format(label=f"{bad.run_id} · {tr('ds.chinese_reviews.title', 'en')} · GRU")
    assert broken_label in box.options and any(o.startswith(good.run_id) for o in box.options), box.options
    assert not at.error

    box.set_value(bad.run_id).run()
    assert not at.exception
    assert any(bad.run_id in shown(e.value) and "model_best.keras" in shown(e.value) for e in at.error), [e.value for e in at.error]

    box = at.selectbox(key="sent_model")
    box.set_value(good.run_id).run()
    assert not at.exception and not at.error
    assert any(tr("ds.chinese_reviews.title", "en") in c.value for c in at.caption), "the good model is loaded again"
