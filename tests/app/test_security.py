"""Hostile input on a shared instance (AppTest, real code paths): script payloads in an
uploaded CSV stay text, a zip bomb named .csv is refused before any parsing, an oversized
upload is refused with the limit named, and an instance can switch uploads off."""

from __future__ import annotations

import io
import zipfile

import pytest

from core.i18n import tr
from core.runs import RunStore
from core.train import TrainConfig, run_training

from .conftest import open_app, settled
from tests.app.rendered import shown  # noqa: E402

PAYLOADS = ("<script>alert('x')</script>", "<img src=x onerror=alert(1)>")


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    folder = tmp_path_factory.mktemp("checkpoints")
    config = TrainConfig.from_dict(
        {"task": "sentiment", "dataset": "chinese_reviews", "maxlen": 20, "max_train_texts": 200, "epochs": 1,
         "model": {"cell": "gru", "units": 4, "embedding_dim": 4}}
    )
    run = RunStore(folder).create(config.to_dict(), label="tiny")
    assert run_training(config, run)["state"] == "done"
    return folder


def _no_live_html(at) -> None:
    for element in list(at.markdown) + list(at.caption):
        if getattr(element, "allow_html", False):
            for payload in PAYLOADS:
                assert payload not in element.value, f"user text rendered as HTML: {element.value[:200]}"


def test_script_payloads_in_an_uploaded_csv_are_scored_as_plain_text(checkpoints, monkeypatch):
    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(checkpoints))
    at = open_app("en", "pages/sentiment.py", timeout=300)
    csv = ("text,label\n" + "\n".join(f'"{p} 很好",1' for p in PAYLOADS) + "\n").encode()
    settled(at.file_uploader(key="sent_batch").set_value(("evil.csv", csv, "text/csv")).run())
    assert not at.exception
    table = [d.value for d in at.dataframe if "P(positive)" in d.value.columns][0]
    texts = " ".join(table.astype(str).agg(" ".join, axis=1))
    for payload in PAYLOADS:
        assert payload in texts, "the payload is shown verbatim, as data"
    _no_live_html(at)


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("reviews.csv", b"0" * 20_000_000)  # 20 MB of zeros in a few KB
    return buffer.getvalue()


@pytest.mark.parametrize("page, key", [("pages/data.py", "data_upload"), ("pages/sentiment.py", "sent_batch")])
def test_a_zip_bomb_named_csv_is_refused_without_unpacking(checkpoints, monkeypatch, page, key):
    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(checkpoints))
    at = open_app("en", page, timeout=300)
    if page == "pages/data.py":
        at.selectbox(key="data_dataset").set_value("upload").run()
    settled(at.file_uploader(key=key).set_value(("reviews.csv", _zip_bomb(), "text/csv")).run())
    assert not at.exception
    assert any(tr("upload.archive", "en", suffix=".csv") == shown(e.value) for e in at.error), [e.value for e in at.error]  # (a zip: said as one)


def test_an_oversized_upload_is_refused_with_the_limit(checkpoints, monkeypatch):
    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(checkpoints))
    monkeypatch.setenv("RNNLAB_MAX_UPLOAD_MB", "0.001")  # 1,000 bytes
    at = open_app("en", "pages/sentiment.py", timeout=300)
    big = ("text\n" + "很好\n" * 600).encode()
    settled(at.file_uploader(key="sent_batch").set_value(("big.csv", big, "text/csv")).run())
    assert not at.exception
    assert at.error and not [d for d in at.dataframe if "P(positive)" in d.value.columns]


def test_uploads_can_be_switched_off_for_an_instance(checkpoints, monkeypatch):
    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(checkpoints))
    monkeypatch.setenv("RNNLAB_ALLOW_UPLOADS", "0")
    at = open_app("en", "pages/sentiment.py", timeout=300)
    assert not at.get("file_uploader")
    assert any(i.value == tr("hosting.uploads_off", "en") for i in at.info)
    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "teacher-secret-42")  # a class server: its students are not told of RNNLAB_ALLOW_UPLOADS
    at = open_app("en", "pages/sentiment.py", timeout=300)
    assert any(i.value == tr("hosting.uploads_off_class", "en") for i in at.info) and not [i for i in at.info if "RNNLAB_" in i.value]
    at = open_app("en", "pages/data.py", timeout=300)
    options = at.selectbox(key="data_dataset").options
    assert len(options) >= 5 and tr("ds.upload.title", "en") not in options
    monkeypatch.setenv("RNNLAB_ALLOW_UPLOADS", "1")
    at = open_app("en", "pages/data.py", timeout=300)
    assert tr("ds.upload.title", "en") in at.selectbox(key="data_dataset").options
