"""core.hosting and the run store's ownership rules: what a shared, hosted instance enforces.

Settings come from environment variables; runs are owned by the browser session that
started them; only that session or the admin may stop, resume or delete them; caps and
quotas refuse absurd or excessive runs with a sentence; models with code are refused.
"""

from __future__ import annotations

import json

import pytest

from core import hosting
from core.errors import RnnLabError
from core.i18n import TEXTS
from core.runs import OPERATOR, RunStore

ENV = (
    "RNNLAB_MAX_UPLOAD_MB",
    "RNNLAB_ALLOW_UPLOADS",
    "RNNLAB_MAX_CONCURRENT_RUNS",
    "RNNLAB_MAX_QUEUED_RUNS",
    "RNNLAB_BACKGROUND_JOBS",
    "RNNLAB_RUNS_PER_SESSION",
    "RNNLAB_MAX_EPOCHS",
    "RNNLAB_MAX_UNITS",
    "RNNLAB_MAX_LAYERS",
    "RNNLAB_MAX_SEQ_LEN",
    "RNNLAB_ADMIN_TOKEN",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def test_defaults_and_environment_overrides(monkeypatch):
    default = hosting.settings()
    assert default == hosting.HostingSettings()
    assert default.admin_token is None and default.allow_uploads
    monkeypatch.setenv("RNNLAB_MAX_EPOCHS", "20")
    monkeypatch.setenv("RNNLAB_ALLOW_UPLOADS", "0")
    monkeypatch.setenv("RNNLAB_MAX_CONCURRENT_RUNS", "0")  # below the floor: one run at least
    monkeypatch.setenv("RNNLAB_MAX_UNITS", "lots")  # not a number: the default
    monkeypatch.setenv("RNNLAB_MAX_UPLOAD_MB", "2.5")
    current = hosting.settings()
    assert current.max_epochs == 20 and not current.allow_uploads
    assert current.max_concurrent_runs == 1 and current.max_units == hosting.HostingSettings().max_units
    from core import datasets, runs

    assert datasets.max_upload_bytes() == 2_500_000  # one source of truth for every module
    assert runs.max_concurrent_runs() == 1


def test_the_scoring_workers_follow_the_setting(monkeypatch):
    from ui import jobs

    assert hosting.settings().background_jobs == 2
    monkeypatch.setenv("RNNLAB_BACKGROUND_JOBS", "0")  # below the floor: one at least
    assert hosting.settings().background_jobs == 1
    monkeypatch.setenv("RNNLAB_BACKGROUND_JOBS", "3")
    monkeypatch.setattr(jobs, "_BOARD", None)  # the board reads it when it is made
    try:
        assert jobs.board().workers == 3
    finally:
        jobs.board().shutdown()


def test_admin_token_must_be_set_long_enough_and_match(monkeypatch):
    assert not hosting.is_admin("anything")  # no token configured: nobody is admin
    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "short")
    assert hosting.settings().admin_token is None and not hosting.is_admin("short")
    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "teacher-secret-42")
    assert hosting.is_admin("teacher-secret-42")
    assert not hosting.is_admin("teacher-secret-4") and not hosting.is_admin("") and not hosting.is_admin(None)
    assert not hosting.is_admin("Teacher-secret-42") and not hosting.is_admin("teacher-secret-42x")
    assert hosting.is_admin(" teacher-secret-42\n"), "a pasted token with a space or a line break around it is still the token"
    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "teacher-secret-42\n")  # (written to a secrets file with its line break)
    assert hosting.is_admin("teacher-secret-42") and hosting.settings().admin_token == "teacher-secret-42"
    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "   ")
    assert hosting.settings().admin_token is None and not hosting.is_admin("   ")
    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "teacher-secret-42")
    assert hosting.settings().public()["admin_token"] == "set"
    assert "teacher-secret-42" not in json.dumps(hosting.settings().public())


def test_wrong_admin_tokens_lock_out_one_address_for_ten_minutes(monkeypatch):
    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "teacher-secret-42")
    now = [0.0]
    guesses = hosting.TokenGuesses(clock=lambda: now[0])
    for i in range(4):
        assert guesses.try_token(f"guess-{i:04d}", "10.0.0.7") == "wrong"
        now[0] += 60
    assert guesses.locked_for("10.0.0.7") == 0, "four wrong tokens: not yet"
    assert guesses.try_token("guess-0004", "10.0.0.7") == "wrong"
    assert guesses.locked_for("10.0.0.7") == pytest.approx(600 - 240), "until the first is ten minutes old"
    assert guesses.try_token("teacher-secret-42", "10.0.0.7") == "locked", "a locked address's token is not even compared"
    assert guesses.try_token("teacher-secret-42", "10.0.0.8") == "ok", "another address is not locked"
    assert guesses.locked_for("10.0.0.8") == 0
    now[0] += 360  # the first wrong token is ten minutes old: four remain, one more try
    assert guesses.locked_for("10.0.0.7") == 0
    assert guesses.try_token("guess-0005", "10.0.0.7") == "wrong"
    assert guesses.locked_for("10.0.0.7") == pytest.approx(60), "the second is ten minutes old a minute later"
    now[0] += 60
    assert guesses.try_token(" teacher-secret-42 ", "10.0.0.7") == "ok"
    guesses.clear()
    assert guesses.locked_for("10.0.0.7") == 0
    monkeypatch.delenv("RNNLAB_ADMIN_TOKEN")
    assert guesses.try_token("teacher-secret-42", "10.0.0.9") == "wrong", "no token set: nobody is admin"


def test_one_browsers_wrong_tokens_do_not_lock_the_teacher_out_behind_the_same_address(monkeypatch):
    # a school behind one address (NAT, a proxy): a student's five typos locked every browser out,
    # the teacher's too (a class scenario). Five lock that browser; thirty lock the address.
    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "teacher-secret-42")
    now = [0.0]
    guesses = hosting.TokenGuesses(clock=lambda: now[0])
    for i in range(5):
        assert guesses.try_token(f"guess-{i}", "10.0.0.7", browser="student-1") == "wrong"
    assert guesses.locked("10.0.0.7", "student-1") == (pytest.approx(600), "browser")
    assert guesses.try_token("teacher-secret-42", "10.0.0.7", browser="student-1") == "locked"
    assert guesses.locked_for("10.0.0.7", "teacher") == 0
    assert guesses.try_token("teacher-secret-42", "10.0.0.7", browser="teacher") == "ok"
    # a script that starts a new browser for each guess is still counted by its address
    for i in range(25):
        now[0] += 1
        assert guesses.try_token(f"guess-{i}", "10.0.0.7", browser=f"fresh-{i}") == "wrong"
    assert guesses.locked("10.0.0.7", "teacher") == (pytest.approx(600 - 25), "address")
    assert guesses.try_token("teacher-secret-42", "10.0.0.7", browser="teacher") == "locked"
    assert guesses.try_token("teacher-secret-42", "10.0.0.8", browser="elsewhere") == "ok"
    now[0] += 600  # the first ten minutes old: below thirty again
    assert guesses.try_token("teacher-secret-42", "10.0.0.7", browser="teacher") == "ok"


def test_a_flood_of_addresses_does_not_keep_every_one_forever(monkeypatch):
    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "teacher-secret-42")
    now = [0.0]
    guesses = hosting.TokenGuesses(clock=lambda: now[0])
    for i in range(10_001):
        guesses.try_token("guess-0000", f"addr-{i}")
    now[0] += 601
    guesses.try_token("guess-0000", "one-more")
    assert len(guesses._wrong) == 1, "the quiet addresses are forgotten"
    for i in range(3):
        guesses.try_token("guess-0000", "busy")
    now[0] += 1
    assert guesses.locked_for("busy") == 0 and len(guesses._wrong["busy"]) == 3


def test_an_admin_pass_keeps_one_browser_signed_in_for_a_day_under_one_token(monkeypatch):
    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "teacher-secret-42")
    now = 1_800_000_000.0
    value = hosting.admin_pass("a1b2c3d4e5f60718", now=now)
    assert value and "teacher-secret-42" not in value
    assert hosting.admin_pass_ok(value, "a1b2c3d4e5f60718", now=now + 3600)
    assert not hosting.admin_pass_ok(value, "a1b2c3d4e5f60718", now=now + hosting.ADMIN_PASS_SECONDS + 1), "expired"
    assert not hosting.admin_pass_ok(value, "ffffffffffffffff", now=now), "another browser's"
    expires, mac = value.split(".")
    later = f"{int(expires) + 10**6}.{mac}"
    assert not hosting.admin_pass_ok(later, "a1b2c3d4e5f60718", now=now), "an expiry moved by hand"
    for broken in ("", ".", "x.y", f"{expires}.", f"{expires}.{mac[:-1]}", f"{expires}.{mac}é", None):
        assert not hosting.admin_pass_ok(broken, "a1b2c3d4e5f60718", now=now)
    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "a-new-token-99")
    assert not hosting.admin_pass_ok(value, "a1b2c3d4e5f60718", now=now), "a new token ends every pass"
    monkeypatch.delenv("RNNLAB_ADMIN_TOKEN")
    assert hosting.admin_pass("a1b2c3d4e5f60718") is None and not hosting.admin_pass_ok(value, "a1b2c3d4e5f60718", now=now)


def test_only_the_owner_or_the_admin_manages_a_run():
    assert hosting.can_manage("abc123", "abc123")
    assert not hosting.can_manage("abc123", "def456")
    assert hosting.can_manage("abc123", "def456", admin=True)
    assert not hosting.can_manage(None, "def456"), "a run started from the CLI is the operator's"
    assert not hosting.can_manage(None, None)


def test_the_store_refuses_another_sessions_stop_resume_and_delete(tmp_path):
    store = RunStore(tmp_path)
    run = store.create({"task": "sentiment"}, owner="alice0000000000a")
    for action in (lambda **kw: store.stop(run.run_id, **kw), lambda **kw: store.delete(run.run_id, **kw)):
        with pytest.raises(RnnLabError) as caught:
            action(actor="bob00000000000b")
        assert caught.value.key == "runs.not_owner"
    with pytest.raises(RnnLabError) as caught:
        store.start(run.run_id, resume=True, actor="bob00000000000b")
    assert caught.value.key == "runs.not_owner"
    assert run.path.is_dir(), "a refused delete deletes nothing"
    store.stop(run.run_id, actor="bob00000000000b", admin=True)  # the admin may
    assert store.refresh(run)["state"] == "cancelled"
    assert store.refresh(run)["stopped_by"] == "teacher", "its student is told who stopped it"
    for owner, actor, admin, by in (("alice0000000000a", "alice0000000000a", False, "owner"), ("alice0000000000a", "alice0000000000a", True, "owner"),
                                    ("alice0000000000a", OPERATOR, False, "operator")):
        other = store.create({"task": "sentiment"}, owner=owner)
        store.stop(other.run_id, actor=actor, admin=admin)
        assert store.refresh(other)["stopped_by"] == by, (actor, admin)
        store.delete(other.run_id)
    store.delete(run.run_id, actor="alice0000000000a")  # and so may the owner
    assert not run.path.exists()
    ownerless = store.create({"task": "sentiment"})
    with pytest.raises(RnnLabError):
        store.delete(ownerless.run_id, actor="alice0000000000a")
    store.delete(ownerless.run_id)  # the operator (CLI, tests) manages everything
    assert not ownerless.path.exists()


def _config(**changes):
    config = {"task": "sentiment", "epochs": 5, "maxlen": 200, "num_steps": 35, "time_limit_minutes": 60, "model": {"units": 64, "num_layers": 1}}
    for key, value in changes.items():
        if key in ("units", "num_layers"):
            config["model"][key] = value
        else:
            config[key] = value
    return config


@pytest.mark.parametrize(
    "changes, name",
    [
        ({"epochs": 501}, "epochs"),
        ({"units": 4096}, "model.units"),
        ({"units": [64, 2048]}, "model.units"),
        ({"num_layers": 5}, "model.num_layers"),
        ({"maxlen": 5000}, "maxlen"),
        ({"task": "language_model", "num_steps": 2000}, "num_steps"),
        ({"time_limit_minutes": 61}, "time_limit_minutes"),
    ],
)
def test_caps_refuse_runs_beyond_the_instance_limits(changes, name):
    hosting.check_run_caps(_config())  # within every cap
    with pytest.raises(RnnLabError) as caught:
        hosting.check_run_caps(_config(**changes))
    assert caught.value.key == "hosting.cap" and caught.value.params["name"] == name
    assert "{" not in caught.value.message("zh") and "{" not in caught.value.message("en")


def test_a_lower_cap_set_by_the_operator_applies(monkeypatch):
    monkeypatch.delenv("RNNLAB_MAX_EPOCHS", raising=False)
    with pytest.raises(RnnLabError) as caught:  # the default: said as such (it said "set by the administrator")
        hosting.check_run_caps(_config(epochs=2500))
    assert caught.value.message("en") == ("Epochs (epochs) = 2500 is above this instance's cap of 500 for runs started from the app "
                                          "(RNNLAB_MAX_EPOCHS, its default, which the host can raise). The command line, python -m core.train, is not held to these caps.")
    assert caught.value.message("zh").startswith("轮数（epochs）= 2500 超过了") and "默认值" in caught.value.message("zh")
    monkeypatch.setenv("RNNLAB_MAX_EPOCHS", "3")
    with pytest.raises(RnnLabError) as caught:
        hosting.check_run_caps(_config(epochs=4))
    assert "(RNNLAB_MAX_EPOCHS, set by the host)" in caught.value.message("en") and "由部署者设置" in caught.value.message("zh")
    hosting.check_run_caps(_config(epochs=3))


def test_a_run_from_the_app_has_a_time_limit_within_the_instances(monkeypatch):
    # each cap on its own passed 1,024 units x 4 layers x 1,000 steps x 500 epochs: hours in a class's only slot
    monkeypatch.delenv("RNNLAB_MAX_RUN_MINUTES", raising=False)
    with pytest.raises(RnnLabError) as caught:
        hosting.check_run_caps(_config(time_limit_minutes=None))
    assert caught.value.key == "hosting.no_time_limit" and "60 min" in caught.value.message("en") and "60 分钟" in caught.value.message("zh")
    monkeypatch.setenv("RNNLAB_MAX_RUN_MINUTES", "15")
    hosting.check_run_caps(_config(time_limit_minutes=15))
    with pytest.raises(RnnLabError) as caught:
        hosting.check_run_caps(_config(time_limit_minutes=16))
    assert "(RNNLAB_MAX_RUN_MINUTES, set by the host)" in caught.value.message("en")


def test_queue_length_and_per_session_quota(monkeypatch):
    monkeypatch.setenv("RNNLAB_MAX_QUEUED_RUNS", "2")
    monkeypatch.setenv("RNNLAB_RUNS_PER_SESSION", "2")
    mine = [{"state": "running", "owner": "me"}, {"state": "done", "owner": "me"}]
    hosting.check_can_queue(mine, "me")  # one active run of two allowed
    with pytest.raises(RnnLabError) as caught:
        hosting.check_can_queue(mine + [{"state": "queued", "owner": "me"}], "me")
    assert caught.value.key == "hosting.quota"
    hosting.check_can_queue(mine + [{"state": "queued", "owner": "me"}], "you")  # someone else may
    with pytest.raises(RnnLabError) as caught:
        hosting.check_can_queue([{"state": "queued", "owner": "a"}, {"state": "queued", "owner": "b"}], "c")
    assert caught.value.key == "hosting.queue_full"


def test_every_hosting_message_exists_in_both_languages():
    for key in ("hosting.cap", "hosting.queue_full", "hosting.quota", "hosting.uploads_off", "runs.not_owner", "host.not_yours"):
        zh, en = TEXTS[key]
        assert zh and en


def test_a_model_file_with_a_lambda_layer_is_refused(tmp_path):
    keras = pytest.importorskip("keras")
    from core.train import load_run_model

    inputs = keras.Input((3,))
    outputs = keras.layers.Lambda(lambda x: x * 2)(inputs)  # code inside the file
    path = tmp_path / "model_best.keras"
    keras.Model(inputs, outputs).save(path)
    with pytest.raises(ValueError, match="(?i)lambda|unsafe|safe_mode"):
        load_run_model(path)


def test_an_unknown_custom_class_is_refused(tmp_path):
    keras = pytest.importorskip("keras")

    @keras.saving.register_keras_serializable(package="evil")
    class Doubler(keras.layers.Layer):
        def call(self, x):
            return x * 2

    inputs = keras.Input((3,))
    path = tmp_path / "model_best.keras"
    keras.Model(inputs, Doubler()(inputs)).save(path)
    # a fresh process has no such class registered: loading must fail, not import code
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from core.train import load_run_model\n"
        "try:\n    load_run_model(Path(sys.argv[1]))\nexcept Exception as exc:\n    print('REFUSED', type(exc).__name__); sys.exit(0)\n"
        "print('LOADED'); sys.exit(1)\n"
    )
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code, str(path)], cwd=root, capture_output=True, text=True, timeout=120)
    assert "REFUSED" in done.stdout, done.stdout + done.stderr[-2000:]


def test_an_unwritable_checkpoints_folder_is_a_sentence_not_a_traceback(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the checkpoints folder should be")
    with pytest.raises(RnnLabError) as caught:
        RunStore(blocker).create({"task": "sentiment"}, owner="me")
    assert caught.value.key == "runs.unwritable"


def test_uploads_kept_for_training_get_server_made_names(tmp_path, monkeypatch):
    import hashlib

    from core import datasets

    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(tmp_path / "checkpoints"))
    data = "春风又绿江南岸".encode("utf-8") * 10
    first = datasets.store_upload("../../../tmp/evil.txt", data, purpose="corpus")
    assert first == tmp_path / "checkpoints" / "uploads" / f"{hashlib.sha256(data).hexdigest()}.txt"
    assert datasets.store_upload("another-name.txt", data, purpose="corpus") == first, "same content, one file"
    assert sorted(p.name for p in first.parent.iterdir()) == [first.name]
    with pytest.raises(RnnLabError):
        datasets.store_upload("reviews.csv", b"no,label,columns\n1,2,3\n", purpose="labelled")
    with pytest.raises(RnnLabError):
        datasets.store_upload("x.exe", b"MZ", purpose="corpus")
    with pytest.raises(RnnLabError) as info:  # nothing to learn a classifier from
        datasets.store_upload("reviews.csv", "text,label\n很好,好评\n不错,好评\n".encode(), purpose="labelled")
    assert info.value.key == "upload.one_class_train" and "好评" in info.value.message("en")
    few = ("text,label\n" + "".join(f"好{i},1\n坏{i},0\n" for i in range(6))).encode()
    with pytest.raises(RnnLabError) as info:  # no test text in its split
        datasets.store_upload("reviews.csv", few, purpose="labelled")
    assert info.value.key == "upload.too_few_texts" and info.value.params == {"n": 12, "train": 10, "val": 2, "test": 0}
    enough = ("text,label\n" + "".join(f"好{i},1\n坏{i},0\n" for i in range(10))).encode()
    assert datasets.store_upload("reviews.csv", enough, purpose="labelled").exists()
    (first.parent / f"{hashlib.sha256(enough).hexdigest()}.csv").unlink()
    assert sorted(p.name for p in first.parent.iterdir()) == [first.name], "refused uploads are not stored"


def test_a_queued_run_is_told_when_its_turn_comes(tmp_path, monkeypatch):
    """A class's queue said "place 2 in the queue" and nothing of the wait. First in line, the wait
    is the time the first running run has left (its own estimate, counted down since its heartbeat);
    further back, the place-th end among the runs training is a least time; a run still starting
    (no epoch timed yet) gives no figure, and neither do places beyond the runs training."""
    from core.runs import RunStore

    monkeypatch.setenv("RNNLAB_MAX_CONCURRENT_RUNS", "2")
    store = RunStore(tmp_path)
    now = 1000.0

    def make(state: str, **fields):
        run = store.create({"task": "lm", "dataset": "jaychou_lyrics", "epochs": 5})
        run.update_status(state=state, **fields)
        return run

    a = make("running", epoch_running=2, eta_seconds=100.0)
    b = make("running", epoch_running=1, eta_seconds=40.0)
    first = make("queued", queued_at=1.0)
    second = make("queued", queued_at=2.0)
    third = make("queued", queued_at=3.0)
    statuses = {i: store.run(i).status() for i in store.list_ids()}
    for status in statuses.values():
        status["heartbeat"] = now - 10.0  # written 10 s ago
    assert store.queue_wait(first.run_id, statuses, now) == (1, 30.0, True)  # b ends first: 40 s less the 10 since
    assert store.queue_wait(second.run_id, statuses, now) == (2, 90.0, False)  # a's end at the soonest
    assert store.queue_wait(third.run_id, statuses, now) == (3, None, False)  # behind runs not yet trained: unknown
    assert store.queue_wait(a.run_id, statuses, now) is None  # not queued
    statuses[b.run_id]["heartbeat"] = now - 60.0  # late: it should have ended, its turn comes now
    assert store.queue_wait(first.run_id, statuses, now) == (1, 0.0, True)
    statuses[b.run_id].update(epoch_running=None, eta_seconds=None)  # a run still starting: no estimate
    assert store.queue_wait(first.run_id, statuses, now) == (1, None, False)
    statuses[b.run_id].update(epoch_running=1, eta_seconds=200.0, heartbeat=now)
    monkeypatch.setenv("RNNLAB_MAX_CONCURRENT_RUNS", "3")  # a free slot: first in line starts at once, the next when a ends
    assert store.queue_wait(first.run_id, statuses, now) == (1, None, False)
    assert store.queue_wait(second.run_id, statuses, now) == (2, 90.0, True)


def test_places_behind_the_first_are_told_a_wait_from_the_estimates_of_the_runs_ahead(tmp_path, monkeypatch):
    """Five students pressing Start together: place 1 read "its turn in about 38 s", places 2-4 only
    their place, and 20 queued runs no figure at all (an exploratory teacher). With the New run form's
    estimate of each run ahead (written when queued), the runs ahead fill the slots as they free."""
    from core.runs import RunStore

    monkeypatch.setenv("RNNLAB_MAX_CONCURRENT_RUNS", "1")
    store = RunStore(tmp_path)
    now = 1000.0
    running = store.create({"task": "lm", "epochs": 5})
    running.update_status(state="running", epoch_running=1, eta_seconds=40.0, heartbeat=now)
    queued = []
    for place, estimate in enumerate((30.0, 50.0, 20.0), start=1):
        run = store.create({"task": "lm", "epochs": 5}, estimated_seconds=estimate)
        run.update_status(state="queued", queued_at=float(place))
        queued.append(run)
    assert store.run(queued[0].run_id).status()["estimated_seconds"] == 30.0
    statuses = {i: store.run(i).status() for i in store.list_ids()}
    assert [store.queue_wait(r.run_id, statuses, now) for r in queued] == [(1, 40.0, True), (2, 70.0, True), (3, 120.0, True)]
    monkeypatch.setenv("RNNLAB_MAX_CONCURRENT_RUNS", "2")  # a slot free: the first starts now, the second when the first of two ends
    assert [store.queue_wait(r.run_id, statuses, now) for r in queued] == [(1, None, False), (2, 30.0, True), (3, 40.0, True)]
    monkeypatch.setenv("RNNLAB_MAX_CONCURRENT_RUNS", "1")
    del statuses[queued[0].run_id]["estimated_seconds"]  # a run ahead without an estimate (the command line's): no figure beyond the running ones
    assert store.queue_wait(queued[2].run_id, statuses, now) == (3, None, False)
