"""Embeddings: the Embedding layer as a lookup table, where word vectors come from, what is near what."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import streamlit as st

from core import datasets, figures, hosting, paths
from core import text as textlib
from core import embeddings as emb
from core import topics as topic_models
from core.errors import DataError, RnnLabError
from core.i18n import escape_markdown, tr
from core.runs import RunStore, model_choices
from ui import charts, jobs
from ui.loaders import compared, documents_near, documents_of, projected, random_space, sentences_of, space, space_digest, space_names, space_store, vocabulary_of
from ui.common import whole_number, sideways_hint, dataset_title, digest_of, kept_tabs, lang, localise_columns, on_phone, page_link, put_url, run_via_entrypoint, session_owner, show_error, switch_tab, t, tab_slug, TAB_PARAM

run_via_entrypoint()
LANG = lang()

st.title(t("emb.title"))
st.caption(t("emb.intro"))


# ====================================================================== loaded spaces (shared)


# (the shared store of vector spaces and the cached loaders live in ui/loaders.py: defined once per process)
STORE = space_store()


def remember(key: str, vectors: emb.Vectors, label_key: str, label_params: dict) -> None:
    """Make a space the session's current one (and keep it in the shared store). Its name is
    kept as an i18n key and its values (`label_of` says it in the language of the moment)."""
    STORE.put(key, vectors)
    spaces = dict(st.session_state.get("emb_spaces", {}))
    spaces[key] = (label_key, {"n": len(vectors), **label_params})
    st.session_state["emb_spaces"] = spaces
    st.session_state["emb_current"] = key
    space_names().put(space_digest(key), (key, label_key, label_params))


def addressed_space() -> tuple[str, tuple | None] | None:
    """For a new session whose address names a space (`?space=<digest>`): the digest and what this
    server remembers of it (key, name key, name values; None when it has let it go). None for a
    session that already has a current space, or an address without one."""
    wanted = st.query_params.get("space")
    if not wanted or st.session_state.get("emb_current"):
        return None
    return wanted, space_names().get(wanted)


def reopen_from_address() -> None:
    """A new session (a reload, a link shared with a class) whose address names a space
    (`?space=<digest>`) that this server still holds: it is the session's current one again,
    without training or reading it anew (a reload used to lose it)."""
    addressed = addressed_space()
    if addressed is None:
        return
    named = addressed[1]
    vectors = STORE.get(named[0]) if named else None
    if vectors is None:
        st.info(t("emb.address_gone"))
        put_url("space", None)
        return
    key, label_key, label_params = named
    remember(key, vectors, label_key, label_params)


def compared_from_address() -> None:
    """A new session whose address names the space B of "Two spaces side by side" (`?compare=<digest>`,
    a reload or a shared link) that this server still holds: it is offered and chosen again (a
    reload left only the random space to compare with, the session's list of spaces being new)."""
    wanted = st.query_params.get("compare")
    if not wanted or "emb_compare_with" in st.session_state:
        return
    named = space_names().get(wanted)
    vectors = STORE.get(named[0]) if named else None
    if vectors is None:  # let go since: the random space, and the address says so
        put_url("compare", None)
        return
    key, label_key, label_params = named
    spaces = dict(st.session_state.get("emb_spaces", {}))
    spaces.setdefault(key, (label_key, {"n": len(vectors), **label_params}))
    st.session_state["emb_spaces"] = spaces
    st.session_state["emb_compare_with"] = key


def form_from_address() -> None:
    """Before the form is drawn: a new session whose address names a space this server holds, one
    trained here (Word2Vec or a documents model), gets the form that made it (the corpus, the
    method, the settings). A shared link showed the space trained on the reviews under a form on
    People's Daily, whose Train button would have made another."""
    addressed = addressed_space()
    making = st.query_params.get("making")
    if addressed is None and making and not st.session_state.get("emb_current"):  # a space still being made: the form that asked for it
        found = space_names().get(MAKING_PREFIX + making)
        addressed = (making, (found[0],) if found else None)
    if addressed is None or st.session_state.get("emb_form_from_address") == addressed[0]:
        return
    wanted, named = addressed
    st.session_state["emb_form_from_address"] = wanted  # once: the user's changes afterwards stay
    if not named or named[0].count("|") < 2:
        return
    kind, corpus, settings = named[0].split("|", 2)
    try:
        settings = json.loads(settings)
    except ValueError:
        return
    if corpus not in datasets.DATASET_NAMES or not datasets.availability(corpus).local:
        return
    if kind == "w2v":
        st.session_state.update(emb_source="word2vec", emb_w2v_corpus=corpus, emb_w2v_sg=settings["sg"], emb_w2v_dim=settings["dim"], emb_w2v_window=settings["window"],
                                emb_w2v_negative=settings["negative"], emb_w2v_epochs=settings["epochs"], emb_w2v_min_count=settings["min_count"], emb_w2v_seed=settings["seed"])
    elif kind == "topics":
        method = settings["method"]
        st.session_state.update(emb_source="topics", emb_topics_corpus=corpus, emb_topics_method=method, emb_topics_min_count=settings["min_count"], emb_topics_seed=settings["seed"])
        st.session_state[f"emb_topics_dim_{method}"] = settings["dim"]
        if method != "doc2vec":
            st.session_state["emb_topics_max_share"] = settings["max_doc_share"]
            st.session_state["emb_topics_stopwords"] = settings["stopwords"]
        if method != "lsa":
            st.session_state["emb_topics_passes"] = settings["passes"]


def label_of(key: str, default: str = "") -> str:
    """A remembered space's name in the page's language (a data set named by its title)."""
    found = st.session_state.get("emb_spaces", {}).get(key)
    if not isinstance(found, tuple):
        return default
    label_key, params = found
    if "corpus" in params:
        params = dict(params, corpus=dataset_title(params["corpus"]))
    return t(label_key, **params)


def notices_of(vectors: emb.Vectors) -> None:
    for key, params in vectors.notices:
        st.caption(tr(key, LANG, **params))


PENDING = "emb_pending"  # Session State: the space this session is making in the background
MAKING_PREFIX = "making|"  # space_names: the space a digest in ?making= names, and its job's labels
DOWNLOAD_PENDING = "emb_{name}_pending"  # ... and the download of pretrained vectors it started


def use_space(key: str, label_key: str, label_params: dict, reading: str, work, counting: str | None = None) -> None:
    """Make the space `key` this session's current one: at once when the shared store has it,
    else made by `work(progress)` as a job (`ui.jobs`): Word2Vec training and reading a large
    vector file take seconds to minutes, and the page stays usable meanwhile (touching a widget
    used to stop the work, which was then lost). The space goes into the shared store when made,
    so it is there for anyone asking, even if this session has gone. Its name is `label_key`
    with `label_params` and its number of words; `reading` labels the bar until work reports,
    then `counting` (an i18n key taking done, total and seconds: epochs, passes, steps) or, by
    default, the megabytes read."""
    vectors = STORE.get(key)
    if vectors is not None:
        remember(key, vectors, label_key, label_params)
        return

    def make(progress):
        STORE.put(key, work(progress))
        return key  # the job keeps only the key: the store decides how long large spaces stay

    info = {"label_key": label_key, "label_params": label_params, "reading": reading, "counting": counting}
    jobs.start(PENDING, ("emb_space", key), make, **info)
    # the address names the space being made (?making=<digest>): a reload or a new tab in the middle of a
    # Word2Vec training followed nothing and said "choose a source first", the training lost to its user
    space_names().put(MAKING_PREFIX + space_digest(key), (key, info))


def follow_from_address() -> None:
    """A new session whose address names a space being made (`?making=<digest>`, a reload during a
    Word2Vec training) that the server's job board still has: this session follows that job, its
    bar, then its space, as the session that started it would have."""
    wanted = st.query_params.get("making")
    if not wanted or PENDING in st.session_state:
        return
    found = space_names().get(MAKING_PREFIX + wanted)
    job = jobs.board().get(("emb_space", found[0])) if found else None
    if job is None:  # made and let go, or never made here: nothing to follow
        put_url("making", None)
        return
    key, info = found
    st.session_state[PENDING] = (("emb_space", key), info)


def describe_progress(counting: str | None):
    """The progress text of a space's job: what `use_space` was told it counts, or megabytes."""
    if counting:
        return lambda job: t(counting, done=job.done, total=job.total, seconds=job.elapsed)
    return lambda job: t("emb.progress_mb", done=job.done / 1e6, total=f"{job.total / 1e6:.1f}")


def offer_download(found, name: str, missing: DataError, button: str, downloading: str, fetch, remote) -> bool:
    """Whether pretrained vectors (`name`: GloVe, the Chinese Wikipedia vectors) are on this
    machine (`found`); when not, it says where to put them and offers their download, which
    runs in the background (`ui.jobs`, one download for every session asking) with its bar,
    and the page reruns once it is here."""
    pending = DOWNLOAD_PENDING.format(name=name)
    if found is not None:
        st.session_state.pop(pending, None)  # a download that finished while the user was elsewhere
        path, member = found
        st.caption(t("emb.glove_found", path=f"{path}{':' + member if member else ''}"))
        return True
    st.info(missing.message(LANG))
    if not hosting.settings().allow_downloads:
        st.info(t("hosting.downloads_off"))
        return False
    if st.button(button, key=f"emb_{name}_download"):
        jobs.start(pending, ("download", name), lambda progress: fetch(progress=progress, remote=remote), reading=downloading)
    fetched = jobs.waiting(pending, lambda job: t("emb.progress_mb", done=job.done / 1e6, total=f"{job.total / 1e6:.1f}"))
    if fetched is not None and fetched[1] is not None:  # (a failed download is said there)
        st.rerun()  # the vectors are on this machine now
    return False


# ====================================================================== where the vectors come from
SOURCES = {"word2vec": "emb.source_word2vec", "topics": "emb.source_topics", "glove": "emb.source_glove", "zh_wiki": "emb.source_zh_wiki", "file": "emb.source_file", "run": "emb.source_run"}
METRIC_KEYS = {"cosine": "emb.metric_cosine", "euclidean": "emb.metric_euclidean"}
PROJECTION_KEYS = {"pca": "emb.proj_pca", "tsne": "emb.proj_tsne", "umap": "emb.proj_umap"}
PROJECTION_NOTES = {"tsne": "emb.proj_tsne_explain", "umap": "emb.proj_umap_explain"}
COLOUR_KEYS = {"frequency": "emb.colour_frequency", "list": "emb.colour_list"}
LIMITS = (20_000, 50_000, 100_000, 200_000, 400_000)
TOPIC_COUNTING = {"lsa": "emb.topics_step", "lda": "emb.topics_pass", "doc2vec": "emb.w2v_epoch"}  # LSA's three steps, LDA's passes, Doc2Vec's epochs
# a text to start from in the corpus's own words (the news headline on the reviews' model knew 1 word
# of 4, and its "nearest" reviews were noise at cosine 0.99); else one in the corpus's language
D2V_EXAMPLES = {"peoples_daily": "银行利率下调，股市上涨", "chinese_reviews": "房间很干净，服务也很热情，下次还来", "lyrics": "我想就这样牵着你的手不放开",
                "imdb_reviews": "a wonderful film with a moving story", "zh": "银行利率下调，股市上涨", "en": "a wonderful film with a moving story"}


def doc_words(text: str, language: str) -> list[str]:
    """A text's words as Doc2Vec reads them (jieba for Chinese), punctuation left out."""
    return [w for w in (textlib.tokenize_jieba(text) if language == "zh" else textlib.tokenize_words(text)) if re.search(r"\w", w)]


def corpus_of(space_key: str, language: str) -> str:
    """The corpus a documents space was trained on (its key: topics|corpus|settings), else its language."""
    corpus = space_key.split("|")[1] if space_key.startswith("topics|") else ""
    return corpus if corpus in D2V_EXAMPLES else language


form_from_address()
with st.container(border=True):
    st.subheader(t("emb.sources"))
    source = st.radio(t("emb.source"), list(SOURCES), format_func=lambda s: tr(SOURCES[s], LANG), horizontal=True, key="emb_source")

    if source == "word2vec":
        corpora = [c for c in emb.W2V_CORPORA if datasets.availability(c).local]
        # as the topics' form: the corpus and the algorithm a row, three sliders a row below. In four
        # columns at 1024 px the corpus menu read "People's Dai" and each algorithm wrapped to four lines
        c1, c2 = st.columns(2)
        corpus = c1.selectbox(t("emb.w2v_corpus"), corpora, format_func=lambda c: tr(f"ds.{c}.title", LANG), key="emb_w2v_corpus")
        algorithm = c2.radio(t("emb.w2v_algorithm"), (0, 1), format_func=lambda v: tr("emb.w2v_sg", LANG) if v else tr("emb.w2v_cbow", LANG), key="emb_w2v_sg")
        c1, c2, c3 = st.columns(3)
        dim = c1.select_slider(t("emb.w2v_dim"), (10, 25, 50, 100, 200, 300), value=100, key="emb_w2v_dim")
        window = c2.slider(t("emb.w2v_window"), 1, 10, 5, key="emb_w2v_window")
        negative = c3.slider(t("emb.w2v_negative"), 1, 20, 5, key="emb_w2v_negative")
        c1, c2, c3 = st.columns(3)
        epochs = c1.slider(t("emb.w2v_epochs"), 1, 20, 5, key="emb_w2v_epochs")
        min_count = c2.slider(t("emb.w2v_min_count"), 1, 50, 5, key="emb_w2v_min_count")
        seed = whole_number(c3, t("emb.seed"), 0, 10_000, value=0, key="emb_w2v_seed")
        # what the chosen corpus is cut into (it said People's Daily's "already segmented" for every corpus)
        segmented = "given" if corpus == "peoples_daily" else "word" if datasets.get_info(corpus).language == "en" else "jieba"
        st.caption(t("emb.w2v_explain", corpus=tr(f"ds.{corpus}.title", LANG), segmented=t(f"emb.w2v_segmented_{segmented}")))
        if st.button(t("emb.w2v_train"), type="primary", key="emb_w2v_train"):
            settings = emb.Word2VecSettings(sg=int(algorithm), negative=negative, window=window, dim=int(dim), epochs=epochs, min_count=min_count, seed=seed)
            key = f"w2v|{corpus}|{json.dumps(settings.__dict__, sort_keys=True)}"
            use_space(
                key, "emb.label_w2v", {"corpus": corpus, "algorithm": "skip-gram" if algorithm else "CBOW", "dim": dim, "epochs": epochs},
                t("emb.w2v_running", corpus=tr(f"ds.{corpus}.title", LANG)),
                lambda progress, corpus=corpus, settings=settings: emb.train_word2vec(
                    sentences_of(corpus), settings, callback=lambda done, total, seconds: progress(done, total), source=corpus
                ),
                counting="emb.w2v_epoch",
            )

    elif source == "topics":  # T3: vectors learnt from documents (LSA, LDA, Doc2Vec), on the same corpora
        corpora = [c for c in emb.W2V_CORPORA if datasets.availability(c).local]
        c1, c2 = st.columns(2)  # three widgets a row below: the labels fit on one line at 1024 px
        corpus = c1.selectbox(t("emb.w2v_corpus"), corpora, format_func=lambda c: tr(f"ds.{c}.title", LANG), key="emb_topics_corpus")
        method = c2.radio(t("emb.topics_method"), topic_models.METHODS, format_func=lambda m: tr(f"emb.topics_{m}", LANG), horizontal=True, key="emb_topics_method")
        lsa = method == "lsa"
        c1, c2, c3 = st.columns(3)
        doc2vec = method == "doc2vec"  # predictive: keeps every word, so no stopword list nor document share
        dim = c1.select_slider(t(f"emb.topics_dim_{method}"), (2, 5, 10, 20, 50, 100, 200, 300), value=20 if method == "lda" else 100, key=f"emb_topics_dim_{method}")
        min_count = c2.slider(t("emb.w2v_min_count"), 1, 50, 5, key="emb_topics_min_count")
        max_share = c3.slider(t("emb.topics_max_share"), 0.05, 1.0, 0.5, step=0.05, format="%.2f", help=t("emb.topics_max_share_help"), disabled=doc2vec, key="emb_topics_max_share")
        c1, c2, c3 = st.columns(3)
        passes = c1.slider(t("emb.topics_passes"), 1, 20, 5, disabled=lsa, help=t("emb.topics_passes_help"), key="emb_topics_passes")
        # Doc2Vec keeps every word: its box is shown cleared (another key, so the count models' choice is kept)
        drop_stopwords = c2.checkbox(t("emb.topics_stopwords"), value=not doc2vec, help=t("emb.topics_stopwords_help", n=len(topic_models.stopwords()), extra=len(topic_models.EXTRA_STOPWORDS)), disabled=doc2vec,
                                     key="emb_topics_stopwords_doc2vec" if doc2vec else "emb_topics_stopwords")
        seed = whole_number(c3, t("emb.seed"), 0, 10_000, value=0, key="emb_topics_seed")
        st.caption(t(f"emb.topics_explain_{method}"))
        if st.button(t(f"emb.topics_train_{method}"), type="primary", key="emb_topics_train"):
            settings = topic_models.TopicSettings(method=method, dim=int(dim), min_count=int(min_count), max_doc_share=1.0 if doc2vec else round(float(max_share), 2),
                                                  passes=1 if lsa else int(passes), stopwords=bool(drop_stopwords) and not doc2vec, seed=seed)
            key = f"topics|{corpus}|{json.dumps(settings.__dict__, sort_keys=True)}"

            def train_topics(progress, corpus=corpus, settings=settings):
                documents, texts = documents_of(corpus)  # the texts as written: what Doc2Vec shows of its documents
                return topic_models.train(
                    documents, settings, progress=lambda done, total, seconds: progress(done, total), source=corpus, language=datasets.get_info(corpus).language, texts=texts
                )

            use_space(
                key, f"emb.label_{method}", {"corpus": corpus, "dim": dim, "passes": settings.passes},
                t("emb.topics_running", method="Doc2Vec" if doc2vec else method.upper(), corpus=tr(f"ds.{corpus}.title", LANG)),
                train_topics,
                counting=TOPIC_COUNTING[method],
            )

    elif source == "glove":
        c1, c2 = st.columns(2)
        glove_dim = c1.selectbox(t("emb.glove_dim"), emb.GLOVE_DIMS, key="emb_glove_dim")
        limit = c2.selectbox(t("emb.limit"), LIMITS, index=2, format_func=lambda n: f"{n:,}", key="emb_glove_limit")
        st.caption(t("emb.glove_explain", words=emb.GLOVE_WORDS))
        found = emb.find_glove(glove_dim)
        if offer_download(found, "glove", emb.glove_missing(glove_dim), t("emb.glove_download", mb=round(emb.GLOVE_6B.approx_bytes / 1e6)), t("emb.glove_downloading"), emb.fetch_glove, emb.GLOVE_6B):
            path, member = found
            if st.button(t("emb.load"), type="primary", key="emb_glove_load"):
                use_space(
                    f"glove|{glove_dim}|{limit}|{path}|{path.stat().st_mtime}", "emb.label_glove", {"dim": glove_dim},
                    t("emb.reading", name=emb.glove_member(glove_dim)),
                    lambda progress, glove_dim=glove_dim, limit=limit: emb.load_glove(glove_dim, limit=limit, progress=progress),
                )

    elif source == "zh_wiki":
        limit = st.selectbox(t("emb.limit"), LIMITS[:3] + (emb.ZH_WIKI_WORDS,), index=2, format_func=lambda n: f"{n:,}", key="emb_zh_wiki_limit")  # or all of them
        st.caption(t("emb.zh_wiki_explain", words=emb.ZH_WIKI_WORDS))
        found = emb.find_zh_wiki()
        if offer_download(found, "zh_wiki", emb.zh_wiki_missing(), t("emb.zh_wiki_download", mb=round(emb.ZH_WIKI.approx_bytes / 1e6)), t("emb.zh_wiki_downloading"), emb.fetch_zh_wiki, emb.ZH_WIKI):
            path, member = found
            if st.button(t("emb.load"), type="primary", key="emb_zh_wiki_load"):
                use_space(
                    f"zh_wiki|{limit}|{path}|{path.stat().st_mtime}", "emb.label_zh_wiki", {},
                    t("emb.reading", name=emb.ZH_WIKI_FILE),
                    lambda progress, limit=limit: emb.load_zh_wiki(limit=limit, progress=progress),
                )

    elif source == "file":
        st.caption(t("emb.file_explain"))
        limit = st.selectbox(t("emb.limit"), LIMITS, index=2, format_func=lambda n: f"{n:,}", key="emb_file_limit")
        data_dir = paths.data_dir()
        local = sorted(p for p in data_dir.glob("*") if p.suffix.lower() in (".txt", ".vec", ".bin") and p.is_file()) if data_dir.is_dir() else []
        upload = None
        if hosting.settings().allow_uploads:
            upload = st.file_uploader(t("emb.file_upload"), type=["txt", "vec", "bin"], key="emb_file")
            st.caption(t("emb.file_limit", mb=f"{hosting.settings().max_upload_mb:.0f}", folder=str(data_dir)))  # Streamlit's own uploader texts are English only
        picked = st.selectbox(t("emb.file_local", folder=str(data_dir)), [None] + local, format_func=lambda p: "—" if p is None else p.name, key="emb_file_local") if local else None
        if st.button(t("emb.load"), type="primary", key="emb_file_load", disabled=upload is None and picked is None):
            try:
                if upload is not None:
                    data = upload.getvalue()
                    if len(data) > datasets.max_upload_bytes():
                        raise DataError("upload.too_big", mb=round(len(data) / 1e6, 1), limit_mb=round(datasets.max_upload_bytes() / 1e6))
                    key, name = f"file|{digest_of(data)}|{limit}", upload.name
                    source_of = data
                else:
                    key, name = f"path|{picked}|{picked.stat().st_mtime}|{limit}", picked.name
                    source_of = picked
                use_space(
                    key, "emb.label_file", {"name": name}, t("emb.reading", name=name),
                    lambda progress, source_of=source_of, name=name, limit=limit: emb.read_vectors_file(source_of, name, limit=limit, progress=progress),
                )
            except Exception as exc:  # noqa: BLE001 - a sentence for the user, the trace to the log
                show_error(exc)

    else:
        store = RunStore()
        runs = [(label, folder) for task in ("sentiment", "language_model") for label, folder in model_choices(store, task)]
        runs = [(label, folder) for label, folder in runs if int(((json.loads((folder / "config.json").read_text(encoding="utf-8")).get("model")) or {}).get("embedding_dim", 0) or 0) > 0]
        if not runs:
            st.info(t("emb.no_runs"))
        else:
            folders = dict(runs)
            chosen = st.selectbox(t("emb.run"), list(folders), key="emb_run")
            folder = folders[chosen]
            st.caption(t("emb.run_explain"))
            c1, c2 = st.columns(2)
            if c1.button(t("emb.run_load"), type="primary", key="emb_run_load"):
                try:
                    model_path = emb.run_model_path(folder)
                    key = f"run|{folder}|{model_path.stat().st_mtime}"
                    vectors = STORE.get(key)
                    if vectors is None:
                        with st.spinner(t("emb.run_loading")):
                            vectors = emb.from_run(folder)
                    remember(key, vectors, "emb.label_run", {"run": chosen})
                except Exception as exc:  # noqa: BLE001 - a sentence for the user, the trace to the log
                    show_error(exc)
            if (folder / "config.json").exists() and json.loads((folder / "config.json").read_text(encoding="utf-8")).get("pretrained_vectors"):
                if c2.button(t("emb.run_initial"), key="emb_run_initial"):
                    try:
                        vectors = emb.run_initial_vectors(folder)
                        remember(f"runinit|{folder}", vectors, "emb.label_run_initial", {"run": chosen})
                    except Exception as exc:  # noqa: BLE001 - a sentence for the user, the trace to the log
                        show_error(exc)

    # the space this session is making in the background: its progress, then the space itself
    follow_from_address()
    pending = st.session_state.get(PENDING)
    made = jobs.waiting(PENDING, describe_progress(pending[1].get("counting") if pending else None))
    still = st.session_state.get(PENDING)  # (the slot is cleared once the job is over)
    put_url("making", space_digest(still[0][1]) if still else None)
    if made is not None and made[1] is not None:  # (a space that could not be made is said there)
        info, made_key = made
        vectors = STORE.get(made_key)
        if vectors is None:  # made, and already let go by the store
            st.info(t("emb.evicted"))
        else:
            remember(made_key, vectors, info["label_key"], info["label_params"])
            if made_key.startswith("w2v|"):
                st.caption(t("emb.w2v_done", seconds=vectors.info["seconds"], rate=vectors.info["words_per_second"]))
            elif made_key.startswith("topics|"):
                st.caption(t("emb.topics_done", seconds=vectors.info["seconds"], docs=vectors.info["documents"], n=len(vectors), kept=vectors.info["kept_tokens"], tokens=vectors.info["corpus_words"]))
            else:
                st.caption(t("emb.read_done", n=len(vectors), dim=vectors.dim))

reopen_from_address()
compared_from_address()
current_key = st.session_state.get("emb_current")
current = space(current_key)
put_url("space", space_digest(current_key) if current is not None else None)
if current_key and current is None:
    st.info(t("emb.evicted"))
if current is not None:
    st.success(t("emb.current", markdown=True, label=label_of(current_key, current.source)))
    # its size, and how it was made: Word2Vec's settings in the page's language, else the file it was read from
    if "word2vec" in current.info:
        made_by = t("emb.w2v_settings", **current.info["word2vec"])
    elif "topic_model" in current.info:
        model_info = current.info["topic_model"]
        made_by = t(f"emb.topics_settings_{model_info['method']}", **{**model_info, "stopwords": t("emb.topics_stop_out" if model_info["stopwords"] else "emb.topics_stop_kept")})
    elif "described" in current.info:  # a file read, in the page's language (the source line is English)
        key, params = current.info["described"]
        made_by = t(key, markdown=True, **params)
    else:
        made_by = escape_markdown(current.source)
    st.caption(t("emb.current_size", n=len(current), dim=current.dim) + " · " + made_by)
    if "word2vec" in current.info and current.info.get("mean_cosine", 0.0) > emb.ALIKE_COSINE:
        st.warning(t("emb.w2v_alike", cos=current.info["mean_cosine"], words=current.info.get("corpus_words", 0)))
    notices_of(current)
    if "doc_vectors" in current.info:  # Doc2Vec: a typed text's vector, inferred, and the corpus's documents nearest to it
        with st.expander(t("emb.d2v_documents", n=len(current.info["doc_texts"])), expanded=True):
            st.caption(t("emb.d2v_documents_explain", epochs=topic_models.INFER_EPOCHS))
            language = current.info.get("language", "zh")
            corpus = corpus_of(current_key, language)
            typed = st.text_input(t("emb.d2v_text"), D2V_EXAMPLES.get(corpus, ""), max_chars=500, key=f"emb_d2v_text_{corpus}")
            words = doc_words(typed, language)
            known = [w for w in words if w in current]
            if not typed.strip():
                st.info(t("emb.d2v_empty"))
            elif not known:  # (a text of emoji or punctuation only has no word at all: said the same way)
                st.warning(t("emb.d2v_unknown", markdown=True, words=" · ".join(words[:10]) or typed.strip()[:20]))
            else:
                st.caption(t("emb.d2v_words", known=" · ".join(known[:30]), n=len(known), total=len(words)))
                if len(known) < 2 or len(known) < len(words) / 2:  # the vector rests on a word or two: its "nearest" documents may share nothing else
                    st.warning(t("emb.d2v_few_known", n=len(known), total=len(words)))
                nearest = documents_near(current_key, tuple(words), k=5)
                if nearest is not None:  # (None only if the store let the space go since this run found it)
                    st.dataframe(localise_columns(nearest), hide_index=True, column_config={t("col.cosine"): st.column_config.NumberColumn(format="%.3f")})
    if current.info.get("topics"):  # LSA's directions or LDA's topics, with their top words
        method = current.info["topic_model"]["method"]
        with st.expander(t(f"emb.topics_table_{method}", n=len(current.info["topics"])), expanded=True):
            st.caption(t(f"emb.topics_table_explain_{method}") + ("" if "perplexity" not in current.info else " " + t("emb.topics_perplexity", perplexity=current.info["perplexity"])))
            table = topic_models.topics_table(current)
            # LSA's are directions, two-ended, not topics (its table said "Topic"), as its title says
            number = "direction" if method == "lsa" else "topic"
            table = table.rename(columns={"topic": number})
            # the shares in percent with one decimal each (Streamlit's "percent" wrote 13.48% beside 7.3%)
            st.dataframe(
                localise_columns(table.assign(share=table["share"] * 100)), hide_index=True, height=min(400, 38 + 35 * len(table)),
                column_config={t("col.share"): st.column_config.NumberColumn(format="%.1f%%", help=t(f"emb.topics_share_help_{method}")), t(f"col.{number}"): st.column_config.NumberColumn(width="small")},
            )

# ====================================================================== the views
tab_layer, tab_near, tab_map, tab_analogy, tab_heat, tab_compare, tab_train = kept_tabs(
    "emb_tabs", ["emb.tab_layer", "emb.tab_neighbours", "emb.tab_projection", "emb.tab_analogy", "emb.tab_heatmap", "emb.tab_compare", "emb.tab_training"]
)


def need_vectors() -> bool:
    if current is None:
        st.info(t("emb.none_loaded"))
        return False
    return True


# ---------------------------------------------------------------------- the Embedding layer
with tab_layer:
    st.markdown(t("emb.layer_explain"))
    c1, c2, c3 = st.columns(3)
    n_vocab = c1.slider(t("emb.layer_vocab"), 2, len(emb.TOY_WORDS), 10, key="emb_layer_vocab")
    n_dim = c2.slider(t("emb.layer_dim"), 1, 8, 4, key="emb_layer_dim")
    trainable = c3.toggle(t("emb.layer_trainable"), True, key="emb_layer_trainable")
    table = emb.embedding_layer_table(n_vocab, n_dim, seed=0)
    default_ids = ", ".join(str(i) for i in np.random.default_rng(1).permutation(n_vocab))
    ids_text = st.text_input(t("emb.layer_ids", last=n_vocab - 1), default_ids, key=f"emb_layer_ids_{n_vocab}")
    row_labels = list(emb.toy_words(LANG)[:n_vocab])
    try:
        ids = emb.parse_ids(ids_text, n_vocab)
    except RnnLabError as exc:
        show_error(exc)
        ids = []
    st.code(
        f"net = layers.Embedding({n_vocab}, {n_dim})   # {t('emb.code_table', n_vocab=n_vocab, n_dim=n_dim)}\n"
        f"net.trainable = {trainable}\n"
        f"x = tf.constant({ids})   # {t('emb.code_ids', n=len(ids))}\n"
        f"out = net(x)              # {t('emb.code_rows', n=len(ids), n_dim=n_dim)}\n"
        f"net.embeddings            # {t('emb.code_weights', n_vocab=n_vocab, n_dim=n_dim)}",
        language="python",
    )
    # the toy table is fixed by (n_vocab, n_dim) (seed 0): its figures are shared by every session.
    # The table and the output one above the other, each the page's width: side by side at 1024 px each
    # had 274 px, the colour bar and row names left some 90 px for the cells, whose values ran together.
    st.plotly_chart(charts.cached(("emb_layer_table", n_vocab, n_dim, tuple(ids), LANG), lambda: figures.embedding_table_plot(table, row_labels, ids, LANG)), key="emb_layer_table")
    if ids:
        st.plotly_chart(charts.cached(("emb_layer_output", n_vocab, n_dim, tuple(ids), LANG), lambda: figures.embedding_output_plot(emb.lookup(table, ids), ids, row_labels, LANG)), key="emb_layer_output")
    params = emb.embedding_parameters(n_vocab, n_dim, trainable)
    m1, m2, m3 = st.columns(3)
    m1.metric(t("emb.params_total"), f"{params['total']:,}")
    m2.metric(t("emb.params_trainable"), f"{params['trainable']:,}")
    m3.metric(t("emb.params_frozen"), f"{params['non_trainable']:,}")
    st.caption(t("emb.layer_trainable_explain") if trainable else t("emb.layer_frozen_explain"))

    st.subheader(t("emb.onehot_title"))
    c1, c2 = st.columns(2)
    big_vocab = whole_number(c1, t("emb.onehot_vocab"), 2, 10_000_000, value=10_000, step=1000, key="emb_onehot_vocab")
    dense_dim = whole_number(c2, t("emb.onehot_dim"), 1, 2048, value=32, key="emb_onehot_dim")
    cmp = emb.one_hot_vs_dense(big_vocab, dense_dim)
    frame = charts.table(
        ("emb_onehot_table", big_vocab, dense_dim, LANG),
        lambda: pd.DataFrame(
            {
                t("emb.onehot_col_what"): [t("emb.onehot_row_values"), t("emb.onehot_row_bytes"), t("emb.onehot_row_zeros"), t("emb.onehot_row_cosine"), t("emb.onehot_row_distance")],
                t("emb.onehot_col_onehot"): [f"{cmp['one_hot_values']:,}", f"{cmp['one_hot_bytes']:,}", f"{cmp['one_hot_sparsity']:.4%}", "0", "√2 ≈ 1.414"],
                t("emb.onehot_col_dense"): [f"{cmp['dense_values']:,}", f"{cmp['dense_bytes']:,}", t("emb.onehot_dense_zeros"), t("emb.onehot_dense_varies"), t("emb.onehot_dense_varies")],
            }
        ),
    )
    sideways_hint()  # (on a phone the dense column was cut without a word)
    st.dataframe(frame, hide_index=True)
    st.caption(t("emb.onehot_explain", params=cmp["table_parameters"], vocab=big_vocab, dim=dense_dim))
    toy = list(emb.toy_words(LANG)[1:7])  # like, dislike, good, bad, Rome, Paris: the pairs the caption names (Paris was left out)
    onehot_sims = pd.DataFrame(emb.one_hot(len(toy)) @ emb.one_hot(len(toy)).T, index=toy, columns=toy)
    c1, c2 = st.columns(2)  # two charts in halves of the page: no colour bars (figures.similarity_heatmap)
    with figures.title_width_for(figures.TITLE_WIDTH):
        c1.plotly_chart(charts.cached(("emb_onehot_sims", tuple(toy), LANG), lambda: figures.similarity_heatmap(onehot_sims, LANG, title=t("emb.onehot_cosine_title"), colour_bar=False)), key="emb_onehot_sims")

    with c2:
        st.markdown(t("emb.cosine_title"))
        # two lines: in half of a 1024 px page (about 274 px) the one-line form was cut after its second sum
        st.latex(r"\begin{aligned}\cos\theta &= \frac{a \cdot b}{\lVert a \rVert\, \lVert b \rVert} \\ &= \frac{\sum_i a_i b_i}{\sqrt{\sum_i a_i^2}\,\sqrt{\sum_i b_i^2}}\end{aligned}")
        st.caption(t("emb.cosine_explain"))
        if current is None:
            st.info(t("emb.cosine_needs_vectors"))
        else:
            groups = [[current.words[i] for i in (emb.find_row(current, w) for w in group) if i is not None] for group in emb.TUTORIAL_WORDS.values()]
            known = max(groups, key=len)
            if len(known) < 2:
                # (it said "lacks the words …; present: 喜欢", then "have only: —." for none)
                st.info(t("emb.cosine_missing", known=" / ".join(known)) if known else t("emb.cosine_missing_all"))
            else:
                with figures.title_width_for(figures.TITLE_WIDTH):  # (in the right half)
                    st.plotly_chart(figures.similarity_heatmap(emb.similarity_matrix(current, known), LANG, title=t("emb.cosine_example_title"), colour_bar=False), key="emb_cosine_example")
                group = list(emb.TUTORIAL_WORDS.values())[groups.index(known)]
                absent = [w for w in group if emb.find_row(current, w) is None]
                if absent:
                    st.caption(t("emb.cosine_absent", words=absent))

def as_spelled(word: str) -> str:
    """`word` as the current vocabulary spells it when only its letter case differs ("Good" in a
    lower-case vocabulary: "good"), said in a caption; otherwise as typed (an unknown word is
    said by the lookup, with close spellings)."""
    spelled = emb.known_spelling(current, word)
    if spelled is None or spelled == word:
        return word
    st.caption(t("emb.case_folded", markdown=True, typed=word, word=spelled))
    return spelled


# ---------------------------------------------------------------------- search box, neighbours
with tab_near:
    if need_vectors():
        c1, c2, c3 = st.columns([2, 1, 1])
        default_word = next((w for w in ("中国", "good", "king", "的") if w in current.index), current.words[0])
        word = c1.text_input(t("emb.search"), default_word, key="emb_word", max_chars=100).strip()
        k = c2.slider(t("emb.k"), 1, 50, 10, key="emb_k")
        metric = c3.radio(t("emb.metric"), emb.METRICS, format_func=lambda m: tr(METRIC_KEYS[m], LANG), key="emb_metric")
        if not word:
            st.info(t("emb.type_word"))
        else:
            try:
                word = as_spelled(word)
                table = emb.neighbours(current, word, k, metric)
                st.session_state["emb_last_neighbours"] = (current_key, word, table["word"].tolist())
                shown = table.rename(columns={"rank": t("emb.col_rank"), "word": t("emb.col_word"), "cosine": t("emb.col_cosine"), "euclidean": t("emb.col_euclidean")})
                st.markdown(t("emb.nearest", markdown=True, word=word, words=list(table["word"].head(5))))
                # one precision per column (Streamlit wrote 7.8875 beside 10.043)
                four = {t(column): st.column_config.NumberColumn(format="%.4f") for column in ("emb.col_cosine", "emb.col_euclidean")}
                st.dataframe(shown, hide_index=True, key="emb_neighbours_table", column_config=four)
                st.caption(t("emb.neighbours_explain", markdown=True, word=word, metric=t(METRIC_KEYS[metric]).lower() if LANG == "en" else t(METRIC_KEYS[metric])))
            except RnnLabError as exc:
                show_error(exc)

searched = st.session_state.get("emb_word", "").strip() if current is not None else ""
last = st.session_state.get("emb_last_neighbours")
near_words = last[2] if last and last[0] == current_key and last[1] == searched else []


# ---------------------------------------------------------------------- projection
with tab_map:
    if need_vectors():
        methods = emb.available_projections()
        c1, c2, c3, c4 = st.columns(4)
        method = c1.radio(t("emb.proj_method"), methods, format_func=lambda m: tr(PROJECTION_KEYS[m], LANG), key="emb_proj_method", horizontal=True)
        dims = c2.radio(t("emb.proj_dims"), (2, 3), format_func=lambda d: f"{d}-D", key="emb_proj_dims", horizontal=True)
        n_points = c3.slider(t("emb.proj_words"), min(20, len(current)), max(20, min(3000, len(current))), min(300, len(current)), key="emb_proj_n") if len(current) > 20 else len(current)
        proj_seed = whole_number(c4, t("emb.seed"), 0, 10_000, value=0, key="emb_proj_seed")
        c1, c2 = st.columns([1, 3])
        colour = c1.radio(t("emb.proj_colour"), ("frequency", "list"), format_func=lambda c: tr(COLOUR_KEYS[c], LANG), key="emb_proj_colour")
        listed = emb.parse_word_list(c2.text_area(t("emb.proj_list"), key="emb_proj_list", height=80)) if colour == "list" else []
        if "umap" not in methods:
            st.caption(t("emb.umap_missing"))
        # the map only while its tab is shown (kept_tabs): a t-SNE map is a job of up to a
        # minute, and every word searched on the Neighbours tab would otherwise ask for a new one
        if tab_map.open:
            words = list(dict.fromkeys(current.words[:n_points] + ([searched] if searched in current.index else []) + near_words + [w for w in listed if w in current.index]))
            try:
                if method == "pca":  # milliseconds
                    coords = projected(current_key, method, dims, proj_seed, tuple(words))
                else:
                    # t-SNE and UMAP take seconds to a minute (t-SNE of 3,000 words: about 40 s on 2
                    # cores): a background job (ui.jobs), so the page and its other tabs stay usable
                    # meanwhile, and sessions asking for the same view share it
                    # its bar counts t-SNE's iterations or UMAP's epochs (core.embeddings.project); the
                    # first UMAP of a server compiles its code first, which the bar says while it is at 0
                    first_umap = t("emb.umap_first") if method == "umap" and not emb.umap_compiled() else ""
                    coords = jobs.result(
                        ("projection", current_key, method, dims, proj_seed, tuple(words)),
                        lambda progress, v=current, w=tuple(words), m=method, d=dims, s=proj_seed: emb.project(v.subset(list(w)), m, d, s, progress=progress),
                        label="",
                        reading_label=t("emb.projecting", method=t(PROJECTION_KEYS[method]), n=len(words)) + first_umap,
                        describe=lambda job, m=method, n=len(words), note=first_umap: t(
                            "emb.projecting_count", method=t(PROJECTION_KEYS[m]), n=n, unit=t(f"emb.unit_{m}"), done=job.done, total=job.total
                        )
                        + (note if not job.done else ""),
                        family="emb_projection",  # each searched word is a new map: the stale ones are dropped,
                        stop_stale=True,  # queued or running (a t-SNE of 40 s nobody looks at held a worker)
                    )
                if coords is not None:
                    # the scatter and PCA's explained variance depend on the space (its key) and these settings only:
                    # built once and shared by every session looking at the same view
                    view = (current_key, method, dims, proj_seed, tuple(words))
                    phone = on_phone()  # its colour bar below the plot, its labels placed for a phone's width
                    fig = charts.cached(
                        ("emb_projection", view, colour, tuple(listed), searched, tuple(near_words), LANG, phone),
                        lambda: figures.embedding_scatter(emb.projection_frame(current.subset(words), coords), LANG, colour_by=colour, listed=listed, highlight=searched or None, neighbour_words=near_words, frequency_known=current.counts is not None, narrow=phone),
                    )
                    st.plotly_chart(fig, key="emb_projection")
                    if method == "pca":
                        explained = charts.memo(("emb_pca_explained", view), lambda: emb.pca(current.subset(words).matrix, dims)[1])
                        st.caption(t("emb.pca_explained", share=float(explained.sum()), dims=dims))
                    else:
                        st.caption(t(PROJECTION_NOTES[method]))
                    missing = [w for w in listed if w not in current.index]
                    if missing:
                        st.warning(t("emb.list_unknown", markdown=True, words=missing))
            except RnnLabError as exc:
                show_error(exc)

# ---------------------------------------------------------------------- analogies
with tab_analogy:
    if need_vectors():
        st.markdown(t("emb.analogy_explain"))
        example = emb.pick_examples(current, emb.ANALOGY_EXAMPLES) or (tuple(current.words[:3]) + ("", "", ""))[:3]  # a space may hold fewer than 3 words
        c1, c2, c3, c4 = st.columns(4)
        a = c1.text_input("a", example[0], key=f"emb_an_a_{current_key}").strip()
        b = c2.text_input("b", example[1], key=f"emb_an_b_{current_key}").strip()
        c = c3.text_input("c", example[2], key=f"emb_an_c_{current_key}").strip()
        top_k = c4.slider(t("emb.k"), 1, 20, 5, key="emb_an_k")
        if not (a and b and c):
            st.info(t("emb.analogy_empty"))
        else:
            try:
                a, b, c = (as_spelled(w) for w in (a, b, c))
                answers = emb.analogy(current, a, b, c, top_k)
                st.markdown(t("emb.analogy_result", markdown=True, a=a, b=b, c=c, answer=answers["word"].iloc[0] if len(answers) else "—"))
                st.dataframe(answers.rename(columns={"rank": t("emb.col_rank"), "word": t("emb.col_word"), "cosine": t("emb.col_cosine_target"), "score": t("emb.col_score")}), hide_index=True, key="emb_analogy_table",
                             column_config={t(column): st.column_config.NumberColumn(format="%.4f") for column in ("emb.col_cosine_target", "emb.col_score")})
                st.caption(t("emb.score_explain"))
                if "word2vec" in current.info or "topic_model" in current.info:  # trained here on a small corpus: analogies are a stretch, and the page says so
                    st.caption(t("emb.analogy_small_corpus"))
            except RnnLabError as exc:
                show_error(exc)

# ---------------------------------------------------------------------- heatmap
with tab_heat:
    if need_vectors():
        example = emb.pick_examples(current, list(emb.TUTORIAL_WORDS.values())) or ()
        default = list(example) + [w for w in ([searched] + near_words[:5]) if w and w in current.index]
        default = default or current.words[:8]
        words_text = st.text_area(t("emb.heat_words"), ", ".join(dict.fromkeys(default)), key=f"emb_heat_words_{current_key}", height=80)
        try:
            words = [w for w in emb.parse_word_list(words_text) if w]
            known, unknown = emb.known_words(current, words)
            if unknown:  # said, with close spellings; the words it knows are drawn all the same (one unknown word drew nothing)
                show_error(emb.unknown_words_error(current, unknown))
            if known or not unknown:  # (an empty list: the matrix says so)
                st.plotly_chart(figures.similarity_heatmap(emb.similarity_matrix(current, known), LANG), key="emb_heatmap")
        except RnnLabError as exc:
            show_error(exc)

# ---------------------------------------------------------------------- two spaces
# (the random space B and the comparison are cached in ui/loaders.py: random_space, compared)

with tab_compare:
    if need_vectors():
        st.markdown(t("emb.compare_explain"))
        spaces = {k: label_of(k, k) for k in st.session_state.get("emb_spaces", {}) if k != current_key and space(k) is not None}
        options = ["__random__"] + list(spaces)
        other_key = st.selectbox(t("emb.compare_with"), options, format_func=lambda k: tr("emb.compare_random", LANG, dim=current.dim) if k == "__random__" else spaces[k], key="emb_compare_with")
        put_url("compare", None if other_key == "__random__" else space_digest(other_key))
        default = [w for w in ([searched] + near_words) if w and w in current.index] or current.words[:15]
        words_text = st.text_area(t("emb.compare_words"), ", ".join(dict.fromkeys(default)), key=f"emb_compare_words_{current_key}", height=80)
        words = emb.parse_word_list(words_text)
        other = random_space(current_key, tuple(words)) if other_key == "__random__" else space(other_key)
        try:
            table, agreement = compared(current_key, other_key, tuple(words))
            common = table["word"].tolist()
            st.metric(t("emb.agreement"), "—" if agreement is None else f"{agreement:.2f}")
            st.caption(t("emb.agreement_explain"))
            c1, c2 = st.columns(2)
            for column, vectors, name, key in ((c1, current, t("emb.space_a"), "emb_compare_a"), (c2, other, t("emb.space_b"), "emb_compare_b")):
                sub = vectors.subset(common)
                if len(sub) >= 2:
                    points = emb.projection_frame(sub, emb.pca(sub.matrix, 2)[0])
                    with figures.title_width_for(figures.TITLE_WIDTH):
                        column.plotly_chart(figures.embedding_scatter(points, LANG, label_top=len(points), frequency_known=sub.counts is not None, title=f"{name}{'：' if LANG == 'zh' else ': '}PCA", narrow=on_phone()), key=key)
            st.dataframe(
                table.rename(columns={"word": t("emb.col_word"), "neighbours_a": t("emb.col_neighbours_a"), "neighbours_b": t("emb.col_neighbours_b"), "shared": t("emb.col_shared")}),
                hide_index=True,
                key="emb_compare_table",
            )
        except RnnLabError as exc:
            show_error(exc)

# ---------------------------------------------------------------------- into training
WORD_TOKENIZERS = ("given", "jieba", "word")
with tab_train:
    if need_vectors():
        st.markdown(t("emb.init_explain"))
        names = [n for n in datasets.DATASET_NAMES if datasets.get_info(n).kind in ("corpus", "labelled_text") and datasets.availability(n).local]
        c1, c2, c3 = st.columns(3)
        dataset = c1.selectbox(t("emb.init_dataset"), names, index=names.index("chinese_reviews") if "chinese_reviews" in names else 0, format_func=lambda n: tr(f"ds.{n}.title", LANG), key="emb_init_dataset")
        info = datasets.get_info(dataset)
        tokenizers = list(info.tokenizers) + (["jieba"] if info.language == "zh" and "jieba" not in info.tokenizers and "given" not in info.tokenizers else [])
        preferred = next((i for i, tok in enumerate(tokenizers) if tok in WORD_TOKENIZERS), 0)
        tokenizer = c2.selectbox(t("emb.init_tokenizer"), tokenizers, index=preferred, format_func=lambda tok: tr(f"tok.{tok}", LANG), key=f"emb_init_tokenizer_{dataset}")
        # (no bounds of their own, as the Training page's: Streamlit's refused a typed 500 epochs in the
        # browser and the run started with the number before it; core's check says what is wrong)
        # 0 = no limit, as on the Data and Training pages (it was refused here: "from 3 to 10000000")
        max_tokens = int(c3.number_input(t("data.max_tokens"), None, None, 10_000, step=1000, key="emb_init_max_tokens")) or None
        c1, c2, c3, c4 = st.columns(4)
        cell = c1.selectbox(t("emb.init_cell"), ("gru", "lstm", "simple_rnn"), format_func=figures.CELL_LABELS.get, key="emb_init_cell")
        units = int(c2.number_input(t("emb.init_units"), None, None, 32, key="emb_init_units"))
        epochs = int(c3.number_input(t("emb.init_epochs"), None, None, 3, key="emb_init_epochs"))
        frozen = c4.radio(t("emb.init_mode"), (False, True), format_func=lambda f: tr("emb.init_frozen", LANG) if f else tr("emb.init_finetune", LANG), key="emb_init_frozen")
        task = "language_model" if info.kind == "corpus" else "sentiment"
        config = {
            "task": task,
            "dataset": dataset,
            "tokenizer": tokenizer,
            "max_tokens": max_tokens,
            "epochs": epochs,
            "model": {"cell": cell, "units": units, "embedding_dim": current.dim, "embedding_trainable": not frozen},
            "pretrained_vectors": "embedding_init.npy",
            "time_limit_minutes": hosting.settings().max_run_minutes,  # (every run the app starts has one: `core.hosting`)
        }
        if task == "language_model":
            config.update(sample_prefixes=["中国" if info.language == "zh" else "the"], char_limit=200_000)
        config_json = json.dumps(config, sort_keys=True, ensure_ascii=False)
        st.caption(t("emb.init_dim_note", dim=current.dim))
        config_ok = False
        if tab_train.open:  # (the model's check loads Keras: only on the tab that starts a run)
            from core.train import TrainConfig

            try:  # what is typed, checked as a run would be: said at once, and nothing to check or start until it is right
                TrainConfig.from_dict(config).validate()
                hosting.check_run_caps(config)  # (a number out of range first: the cap is the instance's)
                config_ok = True
            except RnnLabError as exc:
                show_error(hosting.within_caps(exc, task))  # (a range ends at the instance's cap, as on the Training page)
        if config_ok:
            checked = st.session_state.get("emb_init_checked")
            if st.button(t("emb.init_check"), key="emb_init_check"):
                try:
                    with st.spinner(t("emb.init_building_vocab")):
                        tokens, counts = vocabulary_of(config_json)
                    st.session_state["emb_init_checked"] = checked = (config_json, current_key, emb.coverage(current, tokens, counts))
                except RnnLabError as exc:
                    show_error(exc)
            if checked and checked[0] == config_json and checked[1] == current_key:
                cov = checked[2]
                m1, m2 = st.columns(2)
                m1.metric(t("emb.init_covered"), f"{cov['covered']:,} / {cov['vocab']:,} ({cov['share']:.1%})")
                m2.metric(t("emb.init_token_share"), "—" if cov["token_share"] is None else f"{cov['token_share']:.1%}")
                if cov["missing"]:
                    st.caption(t("emb.init_missing", markdown=True, words="  ·  ".join(cov["missing"])))
                if cov["covered"] == 0:
                    st.warning(t("emb.init_nothing"))
                elif st.button(t("emb.init_start"), type="primary", key="emb_init_start"):
                    try:  # (the settings and the caps were checked above, config_ok)
                        store = RunStore()
                        hosting.check_can_queue([store.refresh(store.run(i)) for i in store.list_ids()], session_owner())
                        tokens, _ = vocabulary_of(config_json)
                        run = store.create(config, owner=session_owner(), label=f"embeddings-{task}-{cell}")
                        emb.save_vectors(emb.vectors_for_vocab(current, tokens), run.path / "embedding_init.npy")
                        status = store.start(run.run_id)
                        st.session_state["train_selected"] = run.run_id
                        switch_tab("train_tabs", "train.tab_runs")  # the Training page opens on its live panel
                        st.success(t("emb.init_started", run_id=run.run_id, state=tr(f"state.{status.get('state', 'queued')}", LANG)))
                        page_link("pages/training.py", label=t("emb.init_watch"), icon=":material/model_training:", query_params={TAB_PARAM: tab_slug("train.tab_runs"), "run": run.run_id})
                    except Exception as exc:  # noqa: BLE001 - a sentence for the user, the trace to the log
                        show_error(exc)
            else:
                st.caption(t("emb.init_check_first"))
