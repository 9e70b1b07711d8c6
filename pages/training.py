"""Training: build a config (or take a tutorial preset), see the model, start runs that train in
their own process, watch live curves, compare runs, and see gradients vanish through time."""

import json
import time

import pandas as pd
import streamlit as st

from core import datasets, figures, hosting, presets
from core import text as textlib
from core.errors import RnnLabError
from core.i18n import join_list, tr
from core.runs import ACTIVE_STATES, OWNER_NAME_CHARS, SCORING_SETTINGS, RunStore, config_differences, scoring_differences, epoch_in_progress, run_slug, headline_metric, setting_label, setting_value, history_frame, runs_table, short_run_names, status_error, typical_epoch_seconds
from core.train import UPLOAD_PREFIX, UPLOAD_TOKENIZERS, TrainConfig, prepare_language_model_data, sentiment_part_positions, tokenize_prefix, upload_file_name, validation_shape
from core.generate import LINE_BREAK_MARK
from core.inspect import gradient_flow_table
from ui import charts, jobs
from ui.form_address import form_start, put_form
from ui.highlight import samples_html
from ui.loaders import model_preview, tokenised, tokenised_file
from ui.common import notice_text, dataset_title, digest_of, full_run, hosts_words, kept_file_uploader, is_admin, kept_tabs, lang, leave_if_left_behind, localise_columns, on_phone, once_per_session, page_link, put_url, drop_gone_choices, replace_gone_choice, run_name, remember_name, remembered_name, run_via_entrypoint, select_all, session_owner, show_error, sideways_hint, switch_tab, t, url_index, url_number, choices_from_url, url_choices_gone

run_via_entrypoint()
LANG = lang()
CUSTOM = "custom"
UPLOAD = "upload"
SENTIMENT_SETS = [n for n in datasets.DATASET_NAMES if datasets.get_info(n).kind != "corpus"]
CORPUS_SETS = [n for n in datasets.DATASET_NAMES if datasets.get_info(n).kind == "corpus"]



def form_choices() -> dict:
    """The New run form's own options for the settings a link may name (`ui.form_address`)."""

    def data_sets(form: dict) -> list[str]:
        return (SENTIMENT_SETS if form["task"] == "sentiment" else CORPUS_SETS) + ([UPLOAD] if hosting.settings().allow_uploads else [])

    def tokenizers(form: dict) -> tuple[str, ...]:
        return UPLOAD_TOKENIZERS if form["dataset"] == UPLOAD else datasets.get_info(form["dataset"]).tokenizers

    return {"dataset": data_sets, "tokenizer": tokenizers}


st.title(t("train.title"))
st.caption(t("train.intro"))
store = RunStore()


def render_preview_and_start(config: TrainConfig, dataset: str, tokenizer: str, max_tokens, dataset_options: dict, upload_file, preset: str, task: str, cell: str) -> None:
    """The model's parameter table for this data, the config as JSON, and the start button."""
    st.subheader(t("train.model_preview"))
    uploaded = dataset.startswith(UPLOAD_PREFIX)
    ready = uploaded or datasets.availability(dataset).local
    estimated = None  # the seconds it should train (show_estimate), for the queue behind it
    if not ready:
        st.warning(t("train.dataset_missing", title=t(f"ds.{dataset}.title")))
    else:
        # the data's vocabulary, tokenised once per process in the background (ui.loaders.tokenised;
        # None while that runs, its bar shown here, or when it failed, said here)
        if uploaded:
            data = upload_file.getvalue()
            tok = tokenised_file(digest_of(data), upload_file.name, data, config.tokenizer or "char", max_tokens)
        elif config.task == "sentiment" and dataset != "imdb":
            # every token (no cap): the run's vocabulary is counted below from its own training texts
            tok = tokenised(dataset, tokenizer, None, None)
        else:
            tok = tokenised(dataset, tokenizer if dataset != "imdb" else "keras_ids", max_tokens, dataset_options.get("num_words"))
        if tok is not None:
            try:
                with st.spinner(t("train.building")):
                    vocab_size, exact, parts = tok.vocab_size, None, None
                    if config.task == "sentiment" and not uploaded and tok.vocab is not None and tok.split is not None:
                        # the run's vocabulary: its training texts' tokens (the split and the seeded subset the
                        # run will take), at most max_tokens. The whole data set's stood in for it: 4,617 where
                        # a run on 800 texts built 2,302, and the table's Keras count was 2x the run's (a practitioner)
                        parts = charts.memo(("sentiment_parts", dataset, tokenizer, id(tok), len(tok.docs), config.seed, config.val_fraction, config.max_train_texts, config.max_tokens),
                                            lambda: sentiment_vocabulary(tok, config))
                        vocab_size = parts["vocab_size"]
                    if config.task == "language_model" and config.char_limit and not uploaded:
                        # the tutorial's "first 10,000 characters": the run's own vocabulary (built on the
                        # training part of those), cheap to make exactly, instead of the whole corpus's
                        exact = charts.memo(("lm_data", dataset, config.tokenizer, config.char_limit, config.val_fraction, config.max_tokens), lambda: prepare_language_model_data(config))
                        vocab_size = len(exact.vocab)
                    config_json = json.dumps(config.to_dict(), sort_keys=True)

                    def preview_table():
                        table = model_preview(config_json, vocab_size)
                        table = table.astype({c: str for c in ("output_shape",) if c in table})
                        total = table["layer"] == "total"  # core's total row, named in the page's language
                        table.loc[total, "layer"] = t("train.total_row")
                        table.loc[total, "formula"] = t("train.total_formula")
                        return localise_columns(table)

                    # the table as shown, once per config, vocabulary size and language (shared by every session)
                    shown = charts.table(("model_preview", config_json, vocab_size, LANG), preview_table)
                if exact is not None:
                    st.caption(t("train.vocab_exact", size=vocab_size, chars=config.char_limit, train=exact.info["train_tokens"]))
                    if config.tokenizer == "char" and config.max_tokens is None:  # the tutorial's vocabulary (1,027 characters) beside the run's
                        only_val = exact.info["distinct_tokens"] - (vocab_size - len(textlib.RESERVED_TOKENS))  # (the run's: its characters plus <pad> and <unk>)
                        st.caption(t("train.vocab_whole", chars=config.char_limit, distinct=exact.info["distinct_tokens"], val=exact.info["val_tokens"], only_val=max(0, only_val)))
                    if exact.val_unknown:
                        st.caption(val_unknown_sentence(exact.val_unknown, exact.info["val_tokens"]))
                elif parts is not None:
                    st.caption(t("train.vocab_from_texts", size=vocab_size, texts=parts["train"], distinct=parts["distinct"]))
                elif tok.vocab is None:  # Keras's IMDB ids: the vocabulary is num_words, fixed in the data
                    st.caption(t("train.vocab_fixed_ids", size=vocab_size))
                else:
                    st.caption(t("train.vocab_estimate", size=vocab_size))
                if config.task == "language_model" and config.sample_length > 0:
                    # a prefix's characters the vocabulary lacks are read as <unk> by the run's samples: said before Start
                    # (the Lyrics page says so of its own prefix; "分开 hello 爱😀" was taken without a word)
                    vocab = exact.vocab if exact is not None else tok.vocab
                    lacking = [] if vocab is None else list(dict.fromkeys(x for p in config.sample_prefixes for x in tokenize_prefix(p, config.tokenizer or tokenizer) if x not in vocab))
                    if lacking:
                        st.warning(t("train.prefix_unknown", n=len(lacking), tokens=" ".join(lacking[:20])))
                for notice in getattr(tok.source, "notices", []):  # the local IMDB subset holds fewer words than num_words asks
                    if notice.key == "data.imdb_num_words_capped":
                        st.info(notice_text(notice) + " " + t(hosts_words("train.imdb_full_hint")))
                    elif notice.key == "data.imdb_no_word_index":  # said before training, not found out on the Sentiment page
                        st.info(t(hosts_words("train.imdb_no_word_index"), markdown=True, **notice.params))
                # columns as wide as their cells: a fixed 200 px "Type" column for "Embedding" cut the filled-in
                # formula "4·64·(32+64+1)" at 1280 px (an exploratory tester); "Bidirectional(LSTM)" still fits
                counts = {t(f"col.{c}"): st.column_config.NumberColumn(format="localized") for c in ("formula_params", "keras_params")}  # 1,391,384
                # the counts before the formulas: on a projector (1024 px) the last columns are off-screen, and the counts are the point
                order = [t(f"col.{c}") for c in ("layer", "type", "output_shape", "formula_params", "keras_params", "formula", "formula_filled", "trainable")]
                sideways_hint()
                st.dataframe(shown, hide_index=True, column_order=[c for c in order if c in charts.column_names(shown)],
                             column_config=counts)
                st.caption(t("train.symbols"))
                if config.task == "language_model":
                    # a text too short for one batch failed inside the run, after its wait in a class's queue:
                    # said here (exactly with a character limit, else from the whole corpus's tokens less the held-out tail)
                    total = len(exact.train_ids) if exact is not None else int(sum(tok.full_counts.values()))
                    n_train = total if exact is not None else total - max(1, int(round(total * config.val_fraction)))
                    if textlib.count_batches(config.sampler, n_train, config.batch_size, config.num_steps) == 0:
                        raise RnnLabError("train.corpus_too_short", n=n_train, batch_size=config.batch_size, num_steps=config.num_steps)
                    n_val = len(exact.val_ids) if exact is not None else total - n_train
                    # and one too short for a validation batch (the tutorial's 10,000 characters with Keras
                    # cells: 1,000 held out, 32 rows of 35 steps need 1,152), said before the queue, not after
                    validation_shape(n_val, config.sampler, config.batch_size, config.num_steps, fixed_steps=config.model.implementation == "keras_cell")
                elif parts is not None:
                    n_train, n_val = parts["train"], parts["val"]
                else:
                    n_train, n_val = sentiment_split_sizes(tok, config.val_fraction)
                estimated = show_estimate(config, vocab_size, n_train, n_val)
            except (RnnLabError, ValueError) as exc:
                show_error(exc)
                ready = False
    with st.expander(t("train.config_json")):
        shown_config = config.to_dict()
        st.json({**shown_config, "dataset": without_server_path(shown_config.get("dataset"))})
    # whose run it is, for a class's shared list (optional; kept by this browser for its next runs)
    name = st.text_input(t("train.your_name"), value=remembered_name(), max_chars=OWNER_NAME_CHARS, key="train_owner_name", help=t("train.your_name_help"))
    remember_name(name)
    if st.button(t("train.start"), type="primary", key="train_start", disabled=not ready):
        try:  # (the caps were checked with the other settings: Start is here only within them)
            hosting.check_can_queue([store.refresh(store.run(i)) for i in store.list_ids()], session_owner())
            run = store.create(config.to_dict(), owner=session_owner(), label=presets.run_label(config.to_dict(), preset), owner_name=name, estimated_seconds=estimated)
            store.start(run.run_id)
            st.session_state["train_selected"] = run.run_id
            # a keyed selectbox keeps its value: show the new run, and keep showing it against a message
            # the browser sent before it had the new run (see `STALE_PICK_SECONDS`)
            st.session_state["train_pick_started"] = {"run": run.run_id, "before": st.session_state.get("train_run_pick"), "at": time.time()}
            st.session_state["train_run_pick"] = run.run_id
            put_url("run", run.run_id)
        except RnnLabError as exc:
            show_error(exc)
        else:
            # the run's live panel is on the Runs tab: go there, and say so there once
            # (not its state: the note stays above the list until the next full rerun, and "(queued)" was
            # still said there while the run trained; its bar says the state)
            st.session_state["train_started"] = t("train.started", run_id=run.run_id)
            switch_tab("train_tabs", "train.tab_runs")
            st.rerun()


def sentiment_vocabulary(tok, config: TrainConfig) -> dict[str, int]:
    """The vocabulary a sentiment run on a labelled data set (`ui.loaders.tokenised` without a cap)
    will build: the distinct tokens of the training texts it takes (`sentiment_part_positions`), plus
    <pad> and <unk>, at most `max_tokens`; with how many texts each part has."""
    import numpy as np

    positions, _ = sentiment_part_positions(tok.split, config)
    ids = [tok.docs[i] for i in positions["train"]]
    distinct = int(np.unique(np.concatenate(ids)).size) if ids else 0
    size = distinct + len(textlib.RESERVED_TOKENS)
    return {"vocab_size": min(size, config.max_tokens) if config.max_tokens else size, "distinct": distinct,
            "train": len(positions["train"]), "val": len(positions["val"]), "test": len(positions["test"])}


def sentiment_split_sizes(tok, val_fraction: float) -> tuple[int, int]:
    """Training and validation texts of a labelled data set (`ui.loaders.tokenised`): its own
    split's, the validation part carved from the training one when it has none (as the run does)."""
    if tok.split is None:  # (an upload without a split column: the run splits it by its seed)
        total = len(tok.docs)
        return int(total * 0.8), int(total * 0.1)
    train, val = int((tok.split == "train").sum()), int((tok.split == "val").sum())
    if not val:
        val = int(round(train * val_fraction))
        train -= val
    return train, val


def duration_text(seconds: float) -> str:
    """A duration as people say it, in the page's language: "40 s", "3 min", "2 h 10 min"."""
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return t("ui.seconds", n=f"{seconds:.2g}" if seconds < 10 else f"{seconds:.0f}")
    if seconds < 600:  # "2 min 24 s": whole minutes said "2 min per epoch, 3 min for 2 epochs" (an exploratory teacher)
        whole = int(round(seconds))
        return t("ui.minutes_seconds", m=whole // 60, s=whole % 60) if whole % 60 else t("ui.minutes", n=whole // 60)
    minutes = int(round(seconds / 60))
    if minutes < 60:
        return t("ui.minutes", n=minutes)
    hours, minutes = divmod(minutes, 60)
    return t("ui.hours_minutes", h=f"{hours:,}", m=minutes) if minutes else t("ui.hours", h=f"{hours:,}")


def show_estimate(config: TrainConfig, vocab_size: int, n_train: int, n_val: int) -> float:
    """How long the run will take, before Start (`core.estimate`): per epoch and in all, scaled by
    the runs this server has finished; a warning when its time limit stops it first (a student
    had no idea whether 500 epochs of 1,024 units would take minutes or days: an exploratory teacher).
    Returns the seconds it should train, within its time limit (the queue's wait behind it)."""
    from core import estimate

    cost = estimate.epoch_cost(config.to_dict(), vocab_size, n_train, n_val)
    # the finished runs' figures change only when a run ends or goes: read again then, shared by every session
    finished = tuple((i, store.run(i).status().get("finished")) for i in store.list_ids())
    done = charts.memo(("estimate_finished", str(store.root), finished), lambda: estimate.finished_runs(store))
    scale, runs, level = estimate.calibration(done, like=cost)
    guess = estimate.estimate(cost, config.epochs, scale, runs)
    if guess.epoch_seconds >= 600:  # said in whole minutes: the total from those ("14 h 20 min per epoch, 28 h 39 min for 2")
        rounded = round(guess.epoch_seconds / 60) * 60
        guess = estimate.Estimate(rounded, rounded * max(1, config.epochs), guess.scale, guess.runs)
    basis = {"same": t("train.estimate_from_same"), "none": t("train.estimate_from_reference")}.get(level) or t("train.estimate_from_runs", n=runs)
    st.caption(t("train.estimate", epoch=duration_text(guess.epoch_seconds), total=duration_text(guess.total_seconds), epochs=f"{config.epochs:,}", basis=basis))
    limit = config.time_limit_minutes
    if limit and guess.epoch_seconds > 60 * limit:
        # not one epoch within the limit: it would stop before its first and at every resume (a class's
        # GRU of 512 units with a 1-minute limit stopped at batch 44 of 218, then 63 of 218, at epoch 0/2)
        raise RnnLabError("train.epoch_over_limit", epoch=duration_text(guess.epoch_seconds), limit=f"{limit:g}", cap=hosting.settings().max_run_minutes)
    if limit and guess.total_seconds > 60 * limit:
        reached = int(60 * limit // guess.epoch_seconds) if guess.epoch_seconds > 0 else 0
        st.warning(t("train.estimate_over_limit", limit=f"{limit:g}", epoch=f"{reached:,}", epochs=f"{config.epochs:,}"))
    return min(guess.total_seconds, 60 * limit) if limit else guess.total_seconds


def stop_all(table: pd.DataFrame) -> None:
    """The teacher's "Stop every active run", under the run list and counted from the table it
    shows (drawn with the full run's table, the count said 2 beside a list showing one run
    active: an exploratory teacher); the runs stopped are those active when it is pressed."""
    busy = table.loc[table["state"].isin(ACTIVE_STATES), "run"].tolist()
    if not busy or not is_admin():  # (the teacher ends a lesson, or a runaway queue, at once: one run at a time before)
        return
    with st.popover(t("train.stop_all", n=len(busy)), icon=":material/stop_circle:"):
        st.markdown(t("train.stop_all_confirm", n=len(busy)))
        if st.button(t("train.stop_all_yes"), type="primary", key="train_stop_all"):
            stopped = 0
            for run_id in store.list_ids():
                try:
                    if store.refresh(store.run(run_id)).get("state") in ACTIVE_STATES:
                        store.stop(run_id, actor=session_owner(), admin=True)
                        stopped += 1
                except RnnLabError:  # (ended or deleted meanwhile)
                    continue
            st.session_state["train_stopped_all"] = stopped
            st.rerun(scope="app")


# How often the run list looks for runs made, deleted or changed while none of them is active (while
# one is, it is read again every 2 s). (A comment: a string here would be written on the page.)
IDLE_LIST_SECONDS = 10


# How long after Start a message from the browser naming the run it showed before is taken as sent
# before the browser had the new run. A message sent with the click (a field committing its value
# as the button is pressed) reached the server after Start's own rerun had chosen the new run, and
# its picker value put back the run shown before: the page jumped from the run just started to
# another (a browser test, 1 failure in 4 full runs). The browser's own next message naming the
# new run (the run list refreshes every 2 s while it is queued or trains) ends the watch sooner.
STALE_PICK_SECONDS = 10.0


def keep_started_run(ids: list[str]) -> None:
    """The run picker shows the run this session has just started when a message from the browser
    put back the run it showed before Start (`STALE_PICK_SECONDS`)."""
    started = st.session_state.get("train_pick_started")
    if not started:
        return
    if time.time() - started["at"] > STALE_PICK_SECONDS or started["run"] not in ids:
        del st.session_state["train_pick_started"]
    elif st.session_state.get("train_run_pick") == started["before"]:
        st.session_state["train_run_pick"] = started["run"]


def state_label(state: str, stopped_by: str | None = None) -> str:
    """A run's state in the page's language; a run the teacher stopped says so."""
    if state == "cancelled" and stopped_by == "teacher":
        return t("state.cancelled_by_teacher")
    if state == "cancelled" and stopped_by == "time_limit":
        return t("state.cancelled_time_limit")
    return t(f"state.{state}")


def shown_runs(table: pd.DataFrame) -> pd.DataFrame:
    """The run list as the page shows it: states, tasks, data sets, cells and implementations in
    the page's language (core's table holds their ids)."""
    shown = table.drop(columns=["owner", "owner_name", "created", "stopped_by"]).copy()
    shown["state"] = [state_label(state, by) for state, by in zip(table["state"], table["stopped_by"])]
    me = session_owner()  # a class shares one list: which runs are this browser's
    shown.insert(1, "yours", ["✓" if owner and owner == me else "" for owner in table["owner"]])
    if table["owner_name"].notna().any():  # whose each run is, as its student typed it (the teacher saw ids and settings only)
        shown.insert(2, "student", [name if isinstance(name, str) else "" for name in table["owner_name"]])
    shown["task"] = shown["task"].map(lambda x: t(f"train.task_{x}") if x in ("sentiment", "language_model") else x)
    shown["dataset"] = shown["dataset"].map(dataset_title)
    shown["cell"] = shown["cell"].map(lambda c: figures.CELL_LABELS.get(c, c))
    shown["implementation"] = shown["implementation"].map(lambda i: t(f"train.impl_short_{i}") if i in ("layer", "keras_cell", "scratch") else i)
    shown["bidirectional"] = shown["bidirectional"].map(lambda b: t("sent.yes") if b else t("sent.no"))
    shown["best_metric"] = shown["best_metric"].map(lambda m: t(f"train.metric_{m}") if m in ("accuracy", "perplexity") else m)
    for column in ("parameters", "best_value", "best_epoch", "test_accuracy", "seconds"):  # numbers, blank until known (a running run's showed "None")
        shown[column] = pd.to_numeric(shown[column], errors="coerce")
    # an accuracy with three decimals (as the test accuracy), a perplexity with one: the column read
    # 382.565 beside 741.4394 (an exploratory tester); written with "%g", without trailing zeros
    shown["best_value"] = [round(value, 3 if metric == "accuracy" else 1) for value, metric in zip(shown["best_value"], table["best_metric"])]
    if not (table["task"] == "sentiment").any():  # language models only: a column of Streamlit's "None" before the perplexities
        shown = shown.drop(columns=["test_accuracy"])
    else:
        # as text: Streamlit writes a missing number as a grey "None", which beside a language model
        # read as if it had failed its test (an exploratory teacher); "—" there (no test split: judged
        # by perplexity), blank for a classifier not scored yet. (Three decimals: sorted as numbers.)
        shown["test_accuracy"] = [f"{value:.3f}" if pd.notna(value) else ("—" if task == "language_model" else "")
                                  for value, task in zip(shown["test_accuracy"], table["task"])]
    return shown


def run_names(table: pd.DataFrame) -> dict[str, str]:
    """Each run as its pickers list it: the id (time, preset, a random tail), then its data set
    and cell in the page's language, settings that never change while it runs (an option's
    label must stay the same across reruns, or the widget loses its choice)."""
    return {  # and its student's name when one was given (the teacher matched ids with the list by eye)
        row.run: run_name(row.run, row.dataset, row.cell, bool(row.bidirectional)) + (f" · {row.owner_name}" if isinstance(row.owner_name, str) and row.owner_name else "")
        for row in table.itertuples()
    }


def seconds_text(seconds: float) -> str:
    """A duration as the page writes it: one decimal from a second up, two significant digits below
    (a tiny run's epochs said "0.0 s" where they took 0.025 s)."""
    return f"{seconds:.1f}" if seconds >= 1 else f"{seconds:.2g}"


def val_unknown_sentence(unknown: int, held_out: int) -> str:
    """How many held-out tokens a language model's vocabulary lacks, and what that does to its
    validation perplexity (beside the parameter table, and in the run's panel)."""
    share = unknown / held_out
    # a few percent flatter the perplexity a little; a fifth of the held-out text (the tutorial's 10,000
    # characters) makes it another measure: said so (a teacher's audit found "a little" understated)
    return t("train.val_unknown", n=unknown, total=held_out) + t("train.val_unknown_share_large" if share >= 0.05 else "train.val_unknown_share", share=share)


def without_server_path(value):
    """An uploaded data set as "upload:<stored file name>": the folder it is kept in on the server
    is nobody's business in a class (and only made the config harder to read)."""
    if isinstance(value, str) and value.startswith(UPLOAD_PREFIX):
        return UPLOAD_PREFIX + upload_file_name(value)
    return value


def show_curves(cache_key: tuple, build, key: str) -> None:
    """The loss chart and the metric's (`figures.training_curves`, built by `build` once per
    `cache_key`) in two columns: side by side on a wide page, their titles wrapped for half of it,
    one below the other on a phone (Streamlit stacks columns under 640 px)."""
    with figures.title_width_for(figures.TITLE_WIDTH):
        curves = charts.cached(cache_key, build)
    for column, fig, part in zip(st.columns(2), curves, ("loss", "metric")):
        column.plotly_chart(fig, key=f"{key}_{part}")


def text_px(text: str) -> int:
    """About how wide a table cell's text is drawn, in pixels (a CJK character twice a Latin one)."""
    return sum(14 if ord(ch) >= 0x2E80 else 7 for ch in text)


def scored_on(status: dict, config: dict) -> str:
    """What a run's figures were measured on, in the page's language: a classifier's test texts, a
    language model's held-out tokens (both in its status once its data is read); "" before that."""
    data = status.get("data") or {}
    if config.get("task") == "language_model":
        return t("train.scored_tokens", n=data["val_tokens"]) if isinstance(data.get("val_tokens"), int) else ""
    if isinstance(data.get("test_texts"), int):
        return t("train.scored_texts", n=data["test_texts"])
    return ""


def runs_columns(ids, states=()) -> dict:
    """The run list's column widths: the long run id as wide as the longest one shown, tail included
    (at "medium" it cut the random part that tells two runs of a preset apart: a layout audit; at
    "large", 390 px, it pushed the test accuracy out of a 1400 px screen), the others sized to their
    content; the "yours" and best-value columns with their help."""
    longest = max((len(str(i)) for i in ids), default=30)
    # on a phone (358 px) the id took the whole width: 150 px of it, and the columns beside it begin on screen
    # the state as wide as its longest label shown, "interrupted" at least: sized to its content when first
    # drawn ("running"), the column cut a run that died later to "interruptec" (a class scenario)
    state_px = max(text_px(label) for label in {*states, t("state.interrupted"), t("col.state")}) + 28
    return {t("col.run"): st.column_config.TextColumn(width=150 if on_phone() else min(max(int(6.2 * longest) + 24, 160), 420)),
            t("col.state"): st.column_config.TextColumn(width=min(state_px, 200)),
            t("col.yours"): st.column_config.TextColumn(width=56, help=t("train.yours_help")), t("col.student"): st.column_config.TextColumn(help=t("train.student_help")), t("col.best_value"): st.column_config.NumberColumn(format="%g", help=t("train.best_value_help")),
            t("col.parameters"): st.column_config.NumberColumn(format="localized"), t("col.test_accuracy"): st.column_config.TextColumn(alignment="right", help=t("train.test_accuracy_col_help")),
            t("col.best_epoch"): st.column_config.NumberColumn(format="%d"), t("col.seconds"): st.column_config.NumberColumn(format="%.1f"),  # ("45" beside "16.1")
            t("col.epoch_seconds"): st.column_config.NumberColumn(format="%.2f", help=t("train.epoch_seconds_help")), t("col.scored_on"): st.column_config.TextColumn(help=t("train.scored_on_help"))}


DATA_ROW = [2, 1.3, 1]  # data set, tokeniser, vocabulary or num_words
STACK_ROW = [1.2, 1.9, 0.95, 0.95]  # cell, implementation, layers, units


# the run list's columns: what tells runs apart and how good each is first, the settings after (at
# 1400 px the table showed up to the implementation, and the best value and test accuracy, the
# practitioner's question, needed a scroll sideways)
RUN_COLUMN_ORDER = ("colour", "run", "yours", "student", "state", "dataset", "cell", "test_accuracy", "best_metric", "best_value", "best_epoch", "scored_on", "parameters", "seconds", "epoch_seconds", "epochs",
                    "bidirectional", "layers", "units", "implementation", "task")


def runs_column_order(shown: pd.DataFrame) -> list[str]:
    """`RUN_COLUMN_ORDER` as the localised table names its columns (those it has)."""
    ordered = [t(f"col.{c}") for c in RUN_COLUMN_ORDER if t(f"col.{c}") in shown.columns]
    return ordered + [c for c in shown.columns if c not in ordered]  # (a column not named above is shown last, not hidden)


PLAYGROUNDS = {"sentiment": "pages/sentiment.py", "language_model": "pages/lyrics.py"}  # where a run's model is played with (?model=<run id>)

tab_new, tab_runs, tab_compare, tab_grad = kept_tabs("train_tabs", ["train.tab_new", "train.tab_runs", "train.tab_compare", "train.tab_gradients"])

# ====================================================================== a new run
with tab_new:
    names = [CUSTOM] + list(presets.PRESETS)
    # the preset is in the address by name (?preset=imdb_lstm): a link from another page (the Lyrics
    # playground's), a reload or a link shared with a class opens it; an unknown name is said, not
    # silently replaced by the custom form
    preset_drawn = "train_preset" in st.session_state  # the menu was on the page before this run (not a new visit)
    longer = hosts_words("preset.t4_longer")  # (T4's "2,500 epochs take…": the operator's words or a student's, once for the menu and the caption)
    preset = st.selectbox(
        t("train.preset"),
        names,
        index=url_index("preset", names, key="train_preset", label=lambda n: tr("train.custom", LANG) if n == CUSTOM else n, fixed=True),  # (presets never come and go: "deleted, perhaps" was wrong)
        format_func=lambda n: tr("train.custom", LANG) if n == CUSTOM else f"{n} · {presets.preset_description(n, LANG, longer)}",
        key="train_preset",
    )
    put_url("preset", preset, CUSTOM)
    if preset != CUSTOM:  # the menu cuts a long description: here it is whole
        st.caption(presets.preset_description(preset, LANG, longer))
    edited_note = st.empty()  # what the form has changed from the preset, said once the form is read
    address_note = st.container()  # a link's setting the form could not show
    # a custom classifier pads at the front (Keras's pad_sequences default, as the tutorials): the core
    # default "post" without masking had the last state read after the padding (the audit's custom
    # SimpleRNN/GRU/LSTM all near chance, LSTM 0.58 against 0.69 with "pre")
    preset_base = TrainConfig(padding="pre") if preset == CUSTOM else presets.get_preset(preset)
    # every run the app starts has a time limit, at most the instance's (a run within each cap on its
    # own, 1,024 units x 4 layers x 1,000 steps x 500 epochs, would hold a class's only slot for hours)
    time_cap = hosting.settings().max_run_minutes
    preset_base = preset_base.copy(time_limit_minutes=min(preset_base.time_limit_minutes or time_cap, time_cap))
    # the form as the address has it (a reload, a link shared with a class): the preset and what it changes
    base = form_start(preset_base, preset, form_choices(), fresh=f"train_epochs_{preset}" not in st.session_state, preset_drawn=preset_drawn)
    k = f"_{preset}"  # widget keys per preset, so choosing a preset resets the widgets to its values

    st.subheader(t("train.group_data"))
    # the task on a line of its own, its two options side by side: at a projector's 1024 px (a 564 px
    # column) a fifth of the row broke "Sentiment classification" inside its words, and the tokeniser's
    # menu beside it cut "characters" to "characte"; the data sets' names are long: their menu is widest
    task = st.radio(t("train.task"), ("sentiment", "language_model"), index=0 if base.task == "sentiment" else 1, format_func=lambda x: tr(f"train.task_{x}", LANG), key="train_task" + k, horizontal=True)
    c2, c3, c4 = st.columns(DATA_ROW, vertical_alignment="bottom")
    choices = (SENTIMENT_SETS if task == "sentiment" else CORPUS_SETS) + ([UPLOAD] if hosting.settings().allow_uploads else [])
    dataset = c2.selectbox(t("train.dataset"), choices, index=choices.index(base.dataset) if base.dataset in choices else 0, format_func=lambda n: tr("ds.upload.title" if n == UPLOAD else f"ds.{n}.title", LANG), key="train_dataset" + k)
    upload_file = None
    if dataset == UPLOAD:
        # the file is validated, then kept under a name the server makes (its content hash)
        wanted_type = "txt" if task == "language_model" else "csv"
        limit_mb = f"{datasets.max_upload_bytes() / 1e6:.0f}"
        upload_file = kept_file_uploader(t("train.upload", kind=".txt" if wanted_type == "txt" else ".csv / .tsv"), type=[wanted_type] if wanted_type == "txt" else ["csv", "tsv"], key=f"train_upload_{task}" + k,
                                       help=t("data.upload_hint", mb=limit_mb))
        st.caption(t("ui.upload_limit", mb=limit_mb))  # (Streamlit's own line of limits is hidden: ui.common.uploader_css)
        stored = None
        if upload_file is not None:
            # validated and stored once per file in this session (the outcome, a path or the
            # error, is kept): every widget on this page reruns it, and a 50 MB CSV takes ~1 s to check
            purpose = "corpus" if task == "language_model" else "labelled"
            checked = once_per_session(
                "train_upload_checked",
                (digest_of(upload_file.getvalue()), upload_file.name, purpose),
                lambda: datasets.store_upload_read(upload_file.name, upload_file.getvalue(), purpose=purpose),
                still_good=lambda kept: kept[0].exists(),
            )
            if isinstance(checked, RnnLabError):
                show_error(checked)
            else:
                stored, read = checked
                for notice in read.notices:  # how it was read (encoding, separator, label mapping, rows dropped): said, as the Data page does
                    st.info(notice_text(notice))
                if st.session_state.get("train_upload_language_for") != str(stored):
                    # a new file: the tokeniser that suits its language (an English file got characters)
                    st.session_state["train_upload_language_for"] = str(stored)
                    st.session_state["train_tokenizer" + k] = "char" if read.language == "zh" else "word"
        dataset = f"{UPLOAD_PREFIX}{stored}" if stored else UPLOAD
    # The number fields have no bounds of their own: Streamlit refuses a typed number beyond a field's
    # bounds in the browser, keeps the old one and started the run with it (epochs 100000 trained 5).
    # Whatever is typed stays, and core's check of the whole config says what is wrong and why,
    # with no Start button until it is right.
    tokenizers = datasets.get_info(dataset).tokenizers if not dataset.startswith(UPLOAD) else UPLOAD_TOKENIZERS
    if not dataset.startswith(UPLOAD):
        # another data set than the last one: its own tokeniser (the preset's on the preset's data set,
        # else the data set's first). IMDB's raw reviews chosen on the Chinese GRU preset kept its
        # characters, and trained a near-chance model; an upload sets it from its language (above)
        if st.session_state.get("train_tokenizer_for" + k, base.dataset) != dataset:
            st.session_state["train_tokenizer" + k] = base.tokenizer if dataset == base.dataset and base.tokenizer in tokenizers else tokenizers[0]
        st.session_state["train_tokenizer_for" + k] = dataset
    tokenizer = c3.selectbox(t("data.tokenizer"), tokenizers, index=tokenizers.index(base.tokenizer) if base.tokenizer in tokenizers else 0, format_func=lambda x: tr(f"tok.{x}", LANG), key="train_tokenizer" + k)
    dataset_options = dict(base.dataset_options) if dataset == base.dataset else {}
    if dataset == "imdb":
        dataset_options["num_words"] = int(c4.number_input(t("data.num_words"), None, None, int(dataset_options.get("num_words", 10_000)), step=500, key="train_num_words" + k))
        max_tokens = None
    else:
        max_tokens = int(c4.number_input(t("data.max_tokens"), None, None, int(base.max_tokens or 0), step=500, key="train_max_tokens" + k)) or None
    c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")  # (a label on three lines at 1024 px pushed its box below its neighbours' boxes)
    if task == "sentiment":
        maxlen = int(c1.number_input(t("data.maxlen"), None, None, base.maxlen, key="train_maxlen" + k))
        padding = c2.radio(t("data.padding"), ("pre", "post"), index=("pre", "post").index(base.padding), format_func=lambda s: tr(f"side.{s}", LANG), horizontal=True, key="train_padding" + k)
        max_texts = int(c3.number_input(t("train.max_texts"), None, None, int(base.max_train_texts or 0), step=500, key="train_max_texts" + k)) or None
        lm_fields = {}
        sentiment_fields = {"maxlen": maxlen, "padding": padding, "max_train_texts": max_texts}
    else:
        num_steps = int(c1.number_input(t("data.num_steps"), None, None, base.num_steps, key="train_num_steps" + k))
        sampler = c2.radio(t("train.sampler"), ("consecutive", "random"), index=("consecutive", "random").index(base.sampler), format_func=lambda s: tr(f"data.sampler_{s}", LANG), key="train_sampler" + k)
        char_limit = int(c3.number_input(t("train.char_limit"), None, None, int(base.char_limit or 0), step=1000, key="train_char_limit" + k)) or None
        prefixes = c4.text_input(t("train.prefixes"), " ".join(base.sample_prefixes), key="train_prefixes" + k)
        lm_fields = {"num_steps": num_steps, "sampler": sampler, "char_limit": char_limit, "sample_prefixes": [p for p in prefixes.split() if p]}  # (an emptied field is said, not silently "分开")
        sentiment_fields = {}

    st.subheader(t("train.group_embedding"))
    m = base.model
    # "Mask padding (mask_zero)" needs some 185 px: a third of the 564 px column at 1024 px (177 px) cut it to
    # "Mask padding (mask_ze…" (a layout audit); the short "Trainable" gives it room
    c1, c2, c3 = st.columns([2, 1, 2])
    embedding_dim = int(c1.number_input(t("train.embedding_dim"), None, None, 1 if m.embedding_dim == 0 and task != "language_model" else m.embedding_dim, key="train_emb" + k, help=t("train.embedding_help")))
    # (a classifier has no one-hot input: 0 from a language model's settings becomes 1; a link's -3 is shown as
    # typed and said below, as every other number out of range: max(-3, 1) made it 1 without a word)
    # one-hot input (0) has no weights to train: the box is off then, its value kept for when a size is typed again
    embedding_trainable = c2.checkbox(t("train.embedding_trainable"), m.embedding_trainable, key="train_emb_trainable" + k, disabled=embedding_dim == 0,
                                      help=t("train.trainable_one_hot") if embedding_dim == 0 else None)
    mask_zero = c3.checkbox(t("train.mask_zero"), m.mask_zero, key="train_mask" + k)

    st.subheader(t("train.group_rnn"))
    c1, c2, c3, c4 = st.columns(STACK_ROW)  # the implementations' names are long: their menu is the widest ("SimpleRNN" was cut in a fifth)
    cells = ("simple_rnn", "lstm", "gru")
    cell = c1.selectbox(t("train.cell"), cells, index=cells.index(m.cell), format_func=figures.CELL_LABELS.get, key="train_cell" + k)
    impls = ("layer", "keras_cell", "scratch")
    implementation = c2.selectbox(t("train.implementation"), impls, index=impls.index(m.implementation), format_func=lambda x: tr(f"train.impl_{x}", LANG), key="train_impl" + k,
                                  help=t("train.impl_help"))
    num_layers = int(c3.number_input(t("train.num_layers"), None, None, m.num_layers, key="train_layers" + k))
    first_units = m.units[0] if isinstance(m.units, list) else m.units
    units = int(c4.number_input(t("train.units"), None, None, first_units, key="train_units" + k))
    c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")  # (a label on three lines at 1024 px pushed its box below its neighbours' boxes)
    bidirectional = c1.checkbox(t("train.bidirectional"), m.bidirectional and task == "sentiment", disabled=task != "sentiment", key="train_bidir" + k)
    dropout = c2.slider(t("train.dropout"), 0.0, 0.9, float(m.dropout), 0.05, key="train_dropout" + k)
    recurrent_dropout = c3.slider(t("train.recurrent_dropout"), 0.0, 0.9, float(m.recurrent_dropout), 0.05, key="train_rdropout" + k)
    dense_units = int(c4.number_input(t("train.dense_units"), None, None, m.dense_units, key="train_dense" + k)) if task == "sentiment" else 0
    output_precision = m.output_precision
    if task == "language_model":  # a classifier's output is one number: nothing to gain
        from core.models import OUTPUT_PRECISIONS, bfloat16_is_fast  # Keras is loaded by now (the config)

        tied = m.tie_embeddings and embedding_dim > 0  # the output reuses the embedding: no Dense to round
        machine = {True: "fast", False: "slow"}.get(bfloat16_is_fast(), "unknown")
        output_precision = c4.selectbox(t("train.output_precision"), OUTPUT_PRECISIONS, index=OUTPUT_PRECISIONS.index("float32" if tied else m.output_precision),
                                        format_func=lambda x: tr(f"train.precision_{x}", LANG), key="train_precision" + k, disabled=tied,
                                        help=t("train.precision_help") + "\n\n" + t(f"train.bf16_{machine}"))
        if tied:
            output_precision = "float32"

    with st.expander(t("train.equations_title", cell=figures.CELL_LABELS[cell])):
        # one step of the chosen cell as Keras computes it, and the weights of the first layer for this form
        from core.models import CELL_EQUATIONS, HEAD_EQUATIONS, cell_weights  # Keras is loaded by now (the config)

        for line in CELL_EQUATIONS[cell]:
            st.latex(line)
        st.caption(t(f"train.equations_{cell}"))
        st.latex(HEAD_EQUATIONS[task])
        st.caption(t(f"train.head_equation_{task}"))
        first_d = embedding_dim if embedding_dim > 0 else None  # one-hot: d is the vocabulary size, known with the data
        weights = cell_weights(cell, first_d, units)
        if first_d is None:  # the kernel's count as "N × 256", N the vocabulary size (the model preview counts it); it read "None"
            weights["shape"] = weights["shape"].str.replace("[d,", "[N,", regex=False)
            weights["values"] = [f"{int(v):,}" if pd.notna(v) else "N × " + shape.strip("[]").split(", ")[-1] for v, shape in zip(weights["values"], weights["shape"])]
        weights = weights.rename(columns=lambda c: t(f"col.cell_{c}"))
        st.dataframe(weights, hide_index=True, column_config={t("col.cell_values"): st.column_config.NumberColumn(format="localized")} if first_d else None)
        st.caption(t("train.equations_shapes", d=first_d if first_d else t("train.d_one_hot"), h=units) + " " + t("train.symbols"))

    st.subheader(t("train.group_optim"))
    # the boxes on one line whatever their labels' lengths (the clipping label takes two or three
    # lines at 1024 px, and its box stood lower than the others: an exploratory tester)
    c1, c2, c3, c4, c5 = st.columns(5, vertical_alignment="bottom")
    optimizers = ("adam", "sgd", "rmsprop")
    optimizer = c1.selectbox(t("train.optimizer"), optimizers, index=optimizers.index(base.optimizer), key="train_opt" + k)
    learning_rate = float(c2.number_input(t("train.learning_rate"), None, None, float(base.learning_rate), format="%g", key="train_lr" + k))
    batch_size = int(c3.number_input(t("data.batch_size"), None, None, base.batch_size, key="train_batch" + k))
    epochs = int(c4.number_input(t("train.epochs"), None, None, base.epochs, key="train_epochs" + k))
    clip = float(c5.number_input(t("train.clip"), None, None, float(base.clip_global_norm or 0.0), format="%g", key="train_clip" + k, help=t("train.clip_help"))) or None
    # (a sixth box in the row above cut the optimiser's "adam" at 1024 px; on a phone, where columns stack, the
    # four empty ones left a blank under it)
    c6 = st.container() if on_phone() else st.columns([2, 5])[0]  # (a fifth of the row wrapped "时间上限（分|钟）" at 1024 px)
    # minutes as typed, fractions too (an int box made a typed 1.5 into 1 without a word); a link's 0 shown
    # as 0 with the form's refusal, as typed (it became the cap without a word)
    time_limit = float(c6.number_input(t("train.time_limit"), None, None, float(time_cap if base.time_limit_minutes is None else base.time_limit_minutes), step=1.0, format="%g",
                                       key="train_time_limit" + k, help=t(hosts_words("train.time_limit_help"), cap=time_cap)))
    time_limit = int(time_limit) if time_limit.is_integer() else time_limit

    model_dict = {**m.to_dict(), "cell": cell, "implementation": implementation, "num_layers": num_layers, "units": units, "bidirectional": bidirectional,
                  "dropout": dropout, "recurrent_dropout": recurrent_dropout, "embedding_dim": embedding_dim, "embedding_trainable": embedding_trainable,
                  "mask_zero": mask_zero, "dense_units": dense_units, "output_precision": output_precision}
    if task == "language_model" and embedding_dim == 0:
        model_dict["tie_embeddings"] = False
    config_dict = {**base.to_dict(), "task": task, "dataset": dataset, "dataset_options": dataset_options, "tokenizer": tokenizer, "max_tokens": max_tokens,
                   "model": model_dict, "optimizer": optimizer, "learning_rate": learning_rate, "batch_size": batch_size, "epochs": epochs,
                   "clip_global_norm": clip, "time_limit_minutes": time_limit, **sentiment_fields, **lm_fields}
    put_form(config_dict, preset_base, address_note)
    if task == "sentiment" and config_dict.get("padding") == "post" and not mask_zero and model_dict.get("pooling", "last") == "last":
        # (the IMDB BiLSTM tutorial does this: its backward half reads each review last, so it still learns)
        st.warning(t("train.post_padding_unmasked_bi" if bidirectional else "train.post_padding_unmasked"))
    config = None
    if dataset == UPLOAD:
        if upload_file is None:  # (a refused file has its own message above)
            st.info(t("train.upload_wait"))
    else:
        try:
            config = TrainConfig.from_dict(config_dict)
            config.validate()
            # the instance's caps too, with the other checks and before Start: 2,500 epochs (the T4
            # tutorial's) were refused only once Start was pressed
            hosting.check_run_caps(config.to_dict())
        except RnnLabError as exc:
            show_error(hosting.within_caps(exc, task))  # (a range the caps then refuse inside: said with the caps' end)
            config = None
    if config is not None and preset != CUSTOM and (changed := presets.preset_changes(config.to_dict(), preset)):
        # a run edited from a preset is named after what it is (a SimpleRNN on IMDB from the Chinese GRU
        # preset was "…-chinese-reviews-gru-…" in every list): the changes and the name, said under the preset
        names = [setting_label(key, LANG) for key in changed]
        edited_note.caption(t("train.preset_edited", n=len(names), settings=join_list(names[:6] + (["…"] if len(names) > 6 else []), LANG), label=run_slug(presets.run_label(config.to_dict(), preset))))

    # ---------------------------------------------------------- the model before training
    if config is not None:
        render_preview_and_start(config, dataset, tokenizer, max_tokens, dataset_options, upload_file, preset, task, cell)

# ====================================================================== runs: list and live view
with tab_runs:
    if started := st.session_state.pop("train_started", None):
        st.success(started)
    if deleted := st.session_state.pop("train_deleted", None):
        st.success(t("train.deleted", run_id=deleted))
    if (stopped_all := st.session_state.pop("train_stopped_all", None)) is not None:
        st.success(t("train.stopped_all", n=stopped_all))
    table = runs_table(store)
    if table.empty:
        st.info(t("train.no_runs"))
    else:
        # the list refreshes itself while a run is queued or trains (its epochs, its best figure),
        # as the run's panel below does
        drawn_in = full_run()  # for the self-refreshing fragments below (see ui.common.leave_if_left_behind)
        just_read = {"table": table}  # the full run's own draw uses the table it has just read; the fragment's reruns read it again
        active = bool(table["state"].isin(ACTIVE_STATES).any())
        stamp = store.stamp() if not active else None

        # while nothing trains, the list looks every IDLE_LIST_SECONDS whether a run came, went or
        # changed state: a run the teacher deleted while its student read its stopped panel was
        # not noticed until the student clicked, and its model's download failed with nothing said
        @st.fragment(run_every="2s" if active else f"{IDLE_LIST_SECONDS}s")
        def runs_list() -> None:
            leave_if_left_behind(drawn_in)
            now = just_read.pop("table", None)
            drawn_by_full_run = now is not None
            if now is None and not active:
                if store.stamp() != stamp:
                    st.rerun(scope="app")  # the full run reads the list again and says what went
                now = table  # (nothing changed: drawn as the full run read it)
            elif now is None:
                now = runs_table(store)
            listed = localise_columns(shown_runs(now))
            sideways_hint()
            st.dataframe(listed, hide_index=True, column_config=runs_columns(now["run"], listed[t("col.state")]), column_order=runs_column_order(listed))
            if active and not now["state"].isin(ACTIVE_STATES).any():
                st.rerun(scope="app")  # every run ended: redraw once with the idle timer
            stop_all(now)
            picked = st.session_state.get("train_run_pick")
            started = st.session_state.get("train_pick_started")
            if not drawn_by_full_run and started and picked != started["before"]:
                del st.session_state["train_pick_started"]  # the browser's own message shows the run just started (or another chosen since)
            if not drawn_by_full_run and picked is not None and picked not in set(now["run"]):
                st.rerun(scope="app")  # the run shown was deleted meanwhile (by the teacher): the full run says so

        if tab_runs.open:
            runs_list()
        ids = table["run"].tolist()
        wanted = st.session_state.get("train_selected")
        names = run_names(table)
        # a class shares one list: a student's own newest run comes first (the class's newest, another
        # student's, was shown to a student coming back), and the picker marks the student's runs
        me = session_owner()
        own = [i for i, owner in zip(ids, table["owner"]) if owner and owner == me]
        newest = own[0] if own else ids[0]
        names = {i: f"✓ {names.get(i, i)}" if i in own else names.get(i, i) for i in ids}
        keep_started_run(ids)
        # the run shown was deleted (here, or in another session): the one just started, else the newest
        gone = replace_gone_choice("train_run_pick", ids, wanted if wanted in ids else newest)
        if gone is not None and gone != deleted:  # (deleted here: said above)
            st.session_state["train_gone"] = (gone, st.session_state["train_run_pick"])
        # said while the run shown instead is shown: a rerun of its own right after (the list's, when the
        # last run ends) took the note away before it was read (a class scenario: "never showed")
        said = st.session_state.get("train_gone")
        if said and said[1] == st.session_state.get("train_run_pick") and said[0] != deleted:
            st.info(t("ui.url_choice_missing", markdown=True, name=said[0], shown=names.get(said[1], said[1])))
        elif said:
            del st.session_state["train_gone"]
        # the run the page just started, else the address's (?run=..., a reload, a shared link; a run
        # deleted since is said), else the newest
        first = ids.index(wanted) if wanted in ids and "train_run_pick" not in st.session_state else url_index("run", ids, ids.index(newest), key="train_run_pick", label=lambda i: names.get(i, i), say_missing=gone is None)
        selected = st.selectbox(t("train.pick_run"), ids, index=first, key="train_run_pick", format_func=lambda i: names.get(i, i), help=t("train.pick_run_help"))
        put_url("run", selected if tab_runs.open else None)  # (a preset's link copied from the New run tab named a stranger's run)
        interval = "2s" if store.run(selected).status().get("state") in ACTIVE_STATES else None

        @st.fragment(run_every=interval)
        def live_run(run_id: str) -> None:
            leave_if_left_behind(drawn_in)
            run = store.run(run_id)
            if not run.config_path.exists():  # deleted meanwhile (the teacher, another tab): the full run says so and shows another
                st.rerun(scope="app")  # (the panel read "unknown · epoch 0/?" and "another session started this run", Resume enabled)
            status = store.refresh(run)
            state = status.get("state", "?")
            config = run.config()
            metric = headline_metric(config)
            progress = float(status.get("progress") or (1.0 if state == "done" else 0.0))
            eta = status.get("eta_seconds")
            # the epoch it is in, not the ones finished ("epoch 0/3" while the first trained)
            done_epochs = epoch_in_progress(status, config) if state == "running" else int(status.get("epoch") or 0)
            where = {"state": state_label(state, status.get("stopped_by")), "epoch": done_epochs, "epochs": config.get("epochs", "?")}
            if state == "running" and not status.get("epoch_running"):
                # the process imports TensorFlow and reads its data before its first epoch: 15-80 s on a busy
                # 2-core server, which read "running · epoch 1/4" on an empty bar, as if stuck (an exploratory tester)
                since = time.time() - float(status.get("spawned") or status.get("started") or time.time())  # (the process's own start time came later: the count fell back to 0)
                label = t("train.progress_starting", seconds=f"{max(0.0, since):.0f}", **where)
            elif state in ACTIVE_STATES and eta:
                label = t("train.progress_limit" if status.get("eta_limited") else "train.progress", eta=f"{eta:.0f}", **where)
            else:  # ended (no time left to tell), or queued or before its first epoch is timed (no estimate yet)
                label = t("train.progress_ended", **where)
                checkpoint = status.get("checkpoint_epoch")
                if state in ("interrupted", "failed") and checkpoint is not None and checkpoint < (status.get("epoch") or 0):
                    label += t("train.checkpoint_at", epoch=checkpoint)  # where a resume starts
            stopping = state in ACTIVE_STATES and run.stop_requested()
            if stopping:  # asked to stop: the run does so at its next batch (seconds, longer while it prepares its data)
                label = t("train.stopping") + " · " + label
            if state == "queued":  # where it stands: a class's runs wait one behind the other
                wait = store.queue_wait(run_id)
                if wait is not None:
                    place, seconds, exact = wait
                    label += t("train.queue_place", place=place)
                    if seconds is not None:  # from the running runs' own estimates ("place 2" alone said nothing of the wait)
                        label += t("train.queue_wait" if exact else "train.queue_wait_least", seconds=f"{seconds:.0f}")
            st.progress(min(max(progress, 0.0), 1.0), text=label)
            if state == "cancelled" and status.get("stopped_by") == "time_limit":  # what stopped it, and what Resume does, under its bar
                said = "train.time_limit_no_epoch" if status.get("stretch_epochs") == 0 else "train.time_limit_reached"
                st.info(t(said, minutes=f"{config.get('time_limit_minutes', 0):g}", epoch=done_epochs, epochs=config.get("epochs", "?"), checkpoint=status.get("checkpoint_epoch", done_epochs)))
            if status.get("stalled"):
                st.warning(t("train.stalled"))
            error = status_error(status, LANG, markdown=True)  # escaped once here: put into the message as is
            if error and state == "interrupted":
                st.warning(t("train.run_interrupted", error=error))
            elif error:
                st.error(t("train.run_error", error=error))
            # the curves change only when the run's files do: built once per file stamp and shared by every session
            history = charts.memo(("history", str(run.path), charts.stamp(run.history_path)), lambda: history_frame(run))
            if not history.empty:
                show_curves(("curves", str(run.path), charts.stamp(run.history_path), metric, LANG), lambda: figures.training_curves({short_run_names([run_id])[run_id]: history}, metric, LANG), f"curves_{run_id}")
            batches_stamp = charts.stamp(run.batches_path)
            batches = charts.memo(("batches", str(run.path), batches_stamp), lambda: pd.DataFrame(run.batches()))
            if not batches.empty and "loss" in batches:
                st.plotly_chart(charts.cached(("batch_loss", str(run.path), batches_stamp, LANG), lambda: figures.batch_loss_plot(batches, LANG)), key=f"batches_{run_id}")
            params, vocab_size = status.get("parameters"), status.get("vocab_size")
            if params and not history.empty and "seconds" in history:
                # (the cores it trained on: what the seconds mean, when runs from several machines are compared; older runs did not record them)
                cores = t("train.run_cores", cores=status["cores"]) if status.get("cores") else ""
                st.caption(t("train.run_figures", params=f"{params:,}", vocab=f"{vocab_size:,}" if vocab_size else "?", per_epoch=seconds_text(typical_epoch_seconds(history.to_dict("records")) or 0.0), cores=cores).strip())
            if config.get("task") == "language_model" and not history.empty:
                vocab = status.get("vocab_size")
                st.caption(t("train.perplexity_explain", vocab=f"{vocab:,}" if isinstance(vocab, int) else "?"))
                unknown, held_out = status.get("val_unknown"), (status.get("data") or {}).get("val_tokens")
                if unknown and held_out:  # the validation perplexity counts these as <unk>: said where it is read
                    st.caption(val_unknown_sentence(unknown, held_out))
            if not batches.empty and "grad_norm" in batches and batches["grad_norm"].notna().any():
                # the tutorials' gradient clipping, seen: the norm of each logged batch's gradients before clipping, and theta
                theta = config.get("clip_global_norm")
                st.plotly_chart(charts.cached(("grad_norm", str(run.path), batches_stamp, theta, LANG), lambda: figures.grad_norm_plot(batches, theta, LANG)), key=f"grad_norm_{run_id}")
                norms = batches["grad_norm"].dropna()
                if theta:
                    st.caption(t("train.clipped_share", clipped=int((norms > theta).sum()), n=len(norms), theta=f"{theta:g}", every=config.get("log_every_batches", "?")))
                else:
                    st.caption(t("train.not_clipped", n=len(norms), every=config.get("log_every_batches", "?")))
            samples = run.samples()
            if samples:
                st.markdown(f"**{t('train.samples')}**")
                line_breaks = config.get("tokenizer") != "word"  # the corpus's line breaks are read as spaces: shown as the Lyrics page shows them
                # the last three epochs' samples, each the page's width and read whole, its prefix underlined
                # (a table's epoch and prefix columns left the text 258 of a phone's 358 px, and cut it)
                recent = samples[-len(config.get("sample_prefixes", [])) * 3 :]
                if line_breaks and any(" " in str(sample.get("text", "")) for sample in recent):  # (said only where one is shown)
                    st.caption(t("train.samples_line_breaks", mark=LINE_BREAK_MARK))
                st.markdown(samples_html(recent, lambda epoch: t("train.samples_epoch", epoch=epoch), LINE_BREAK_MARK if line_breaks else None), unsafe_allow_html=True)
            if status.get("test_accuracy") is not None:
                best_epoch = (status.get("best") or {}).get("epoch")
                st.metric(t("train.test_accuracy"), f"{status['test_accuracy']:.3f}", help=t("train.test_accuracy_help", epoch=best_epoch or "?"))
                st.caption(t("train.test_accuracy_epoch", epoch=best_epoch or "?"))
            admin = is_admin()
            mine = hosting.can_manage(status.get("owner"), session_owner(), admin)
            if not mine:  # (a run the CLI started has no owner: it read "another browser session started this run")
                st.caption(t("host.not_yours") if status.get("owner") else t("host.not_yours_cli"))
            # the run's actions in one row, side by side from the left, wrapped on a phone (three
            # columns spread them over the page, and the downloads' columns left "Download the config"
            # alone in the middle of a second row when the run had no model yet)
            actions = st.container(horizontal=True, gap="small")
            if actions.button(t("train.stop"), key=f"stop_{run_id}", disabled=not mine or state not in ACTIVE_STATES or stopping):
                try:
                    store.stop(run_id, actor=session_owner(), admin=admin)
                except RnnLabError as exc:
                    show_error(exc)
                else:
                    st.rerun(scope="fragment")
            held = state == "cancelled" and status.get("stopped_by") == "teacher" and not admin  # (only the teacher resumes it)
            if held and mine:
                st.caption(t("runs.teacher_stopped", run_id=run_id))
            if actions.button(t("train.resume"), key=f"resume_{run_id}", disabled=not mine or held or state not in ("interrupted", "cancelled", "failed")):
                try:
                    if not admin:  # a resumed run queues or trains as a new one does: within the same caps (Resume went past them)
                        hosting.check_can_queue([store.refresh(store.run(i)) for i in store.list_ids()], session_owner())
                    # within the instance's time limit too (a run from before there was one, or from the command line)
                    store.start(run_id, resume=True, actor=session_owner(), admin=admin, time_limit_minutes=hosting.settings().max_run_minutes)
                except RnnLabError as exc:
                    show_error(exc)  # (said where the button is: the rerun after it took the message away)
                else:
                    st.rerun(scope="app")
            # deleting is for good (the models, the history, the samples): said, and confirmed, first;
            # a queued run may be deleted too (it leaves the queue: it had to be stopped first)
            can_delete = mine and state != "running"
            with actions.popover(t("train.delete"), icon=":material/delete:", disabled=not can_delete, key=f"delete_menu_{run_id}"):
                st.markdown(t("train.delete_confirm", run_id=run_id))
                if st.button(t("train.delete_yes"), type="primary", key=f"delete_{run_id}", disabled=not can_delete):
                    try:
                        store.delete(run_id, actor=session_owner(), admin=admin)
                    except RnnLabError as exc:
                        show_error(exc)
                        return
                    st.session_state.pop("train_selected", None)
                    st.session_state["train_deleted"] = run_id  # said once, above the run picker
                    put_url("run", None)
                    st.rerun(scope="app")
            model_path = run.best_model_path if run.best_model_path.exists() else run.last_model_path
            if model_path.exists():  # read when clicked, not on every run of the page (a model is megabytes)
                # which epoch's weights it holds: the best (validation loss) if saved, else the last checkpoint (it did not say)
                saved_epoch = (status.get("best") or {}).get("epoch") if model_path == run.best_model_path else status.get("checkpoint_epoch")
                label = t("train.download_model_epoch", epoch=saved_epoch) if saved_epoch else t("train.download_model")
                actions.download_button(label, data=model_path.read_bytes, file_name=f"{run_id}.keras", key=f"dl_model_{run_id}",
                                   help=t("train.download_model_help"))
                if run.vocab_path.exists():  # the model reads ids: without its vocabulary it could not be given text outside the app
                    actions.download_button(t("train.download_vocab"), data=run.vocab_path.read_bytes, file_name=f"{run_id}-vocab.json", mime="application/json",
                                            key=f"dl_vocab_{run_id}", help=t("train.download_vocab_help"))
            actions.download_button(t("train.download_config"), data=json.dumps(config, ensure_ascii=False, indent=1), file_name=f"{run_id}.json", mime="application/json", key=f"dl_config_{run_id}")
            playground = PLAYGROUNDS.get(config.get("task"))
            if playground and model_path.exists():  # its saved model, opened on the page that plays with it
                page_link(playground, label=t(f"train.play_{config['task']}"), icon=":material/play_circle:", query_params={"model": run_id})
                best_epoch, last_epoch = (status.get("best") or {}).get("epoch"), status.get("epoch")
                if config.get("task") == "language_model" and best_epoch and last_epoch and best_epoch != last_epoch and samples:
                    # the samples read here are the last epoch's; the playground opens the best (a learner
                    # read good samples here and got "分开↵" x 100 there, and wondered why the model got worse)
                    st.caption(t("train.play_best_weights", best=best_epoch, last=last_epoch))
            if interval and state not in ACTIVE_STATES:
                st.rerun(scope="app")  # the run ended: redraw once without the timer

        if tab_runs.open:  # its panel refreshes every 2 s while a run trains: only while it is shown
            live_run(selected)

# ====================================================================== compare runs
with tab_compare:
    all_ids = store.list_ids()
    compare_names = run_names(table)  # the run list's table, read above
    # a reload or a teacher's link: the same runs compared (the picks were not in the address, and a
    # link opened on the two newest runs, a student's own)
    choices_from_url("train_compare", "compare", all_ids)
    drop_gone_choices("train_compare", all_ids)  # a run deleted meanwhile
    picked = st.multiselect(t("train.compare_pick"), all_ids, default=all_ids[:2], key="train_compare", placeholder=t("ui.choose"), select_all=select_all(), format_func=lambda i: compare_names.get(i, i))
    gone = url_choices_gone("train_compare", picked)  # said while the comparison is the link's
    shipped = [g for g in gone if str(g).startswith("shipped/")]  # (not runs of this server: "deleted, perhaps" was wrong)
    if shipped:
        st.info(t("train.compare_shipped", markdown=True, names=shipped))
    if gone := [g for g in gone if g not in shipped]:
        st.warning(t("train.compare_gone", markdown=True, names=gone))
    put_url("compare", (",".join(picked) or None) if tab_compare.open else None)  # (only on its tab, as ?run= on the Runs tab)
    only = st.checkbox(t("train.only_differences"), True, key="train_only_diff")
    if len(picked) >= 1 and tab_compare.open:  # its widgets drawn in every run (kept_tabs), its work only when shown
        configs = {i: store.run(i).config() for i in picked}
        metrics = {headline_metric(c) for c in configs.values()}
        metric = metrics.pop() if len(metrics) == 1 else "accuracy"
        statuses = {i: store.run(i).status() for i in picked}
        by_task: dict[str, dict] = {}
        for i, c in configs.items():
            by_task.setdefault(c.get("task"), {})[i] = c
        if len(by_task) > 1:
            st.warning(t("train.compare_mixed"))
        for task, group in by_task.items():  # figures measured on other texts or tokens: not one scale (among the runs of each task)
            if task in SCORING_SETTINGS and (scoring := scoring_differences(group, statuses)):
                settings = join_list([setting_label(k, LANG) for k in scoring], LANG)
                if len(by_task) > 1:  # ("these runs'" would be all of them)
                    st.warning(t("train.compare_other_data_of", settings=settings, figures=t(f"train.compare_figures_of_{task}")))
                else:
                    st.warning(t("train.compare_other_data", settings=settings, figures=t(f"train.compare_figures_{task}")))
        # the figures side by side first (the practitioner's question), from the run list's table
        # in the order picked, as the curves' legends and colours (the table listed them newest first)
        rows = table.set_index("run", drop=False)
        summary = shown_runs(rows.loc[[i for i in picked if i in rows.index]].reset_index(drop=True)).drop(columns=["task", "dataset"], errors="ignore")
        # what each figure was measured on, and the time an epoch takes (the total's first epoch builds the
        # graph: "4.8 s" against "2.6 s" for a SimpleRNN cell loop and layer was mostly that, a practitioner)
        summary["scored_on"] = [scored_on(statuses[i], configs.get(i, {})) for i in summary["run"]]
        summary["epoch_seconds"] = [typical_epoch_seconds(store.run(i).history()) for i in summary["run"]]
        # each run's colour in the curves below (figures: PALETTE by the order picked), a key the table lacked
        colours = [figures.PALETTE[picked.index(i) % len(figures.PALETTE)] for i in summary["run"]]
        summary.insert(0, "colour", "●")
        summary = localise_columns(summary)
        sideways_hint()
        keyed = summary.style.apply(lambda column: [f"color: {c}" for c in colours], subset=[t("col.colour")])
        st.dataframe(keyed, hide_index=True, column_config={**runs_columns(picked, summary[t("col.state")]), t("col.colour"): st.column_config.TextColumn(width=64, help=t("train.colour_help"))},
                     column_order=runs_column_order(summary))
        stamps = tuple((i, charts.stamp(store.run(i).history_path)) for i in picked)
        short = short_run_names(picked)  # in legends and headers: the whole ids were cut ("…-848f3b · valida")
        show_curves(("compare_curves", str(store.root), stamps, metric, LANG), lambda: figures.training_curves({short[i]: history_frame(store.run(i)) for i in picked}, metric, LANG), "compare_curves")
        config_stamps = tuple((i, charts.stamp(store.run(i).config_path)) for i in picked)
        diff = charts.memo(("config_diff", str(store.root), config_stamps), lambda: config_differences(configs))
        shown = diff[diff["differs"]] if only else diff
        if shown.empty:  # one run, or runs of one config: said in the page's language, not Streamlit's "empty" table
            st.info(t("train.compare_no_differences") if len(picked) > 1 else t("train.compare_one_run"))
        # settings by their names on the form and values in the page's language (the config's own
        # key beside them, for the CLI and config files); every value is text, so that Arrow need not
        # guess one type per column when they differ in type between runs ("random" beside 0)
        marked = shown["differs"]
        texts = {run_id: [setting_value(key, value, LANG) for key, value in zip(shown["setting"], shown[run_id])] for run_id in picked}
        shown = shown.assign(**texts, label=[setting_label(key, LANG) for key in shown["setting"]])
        # the runs' values right after the setting's name, its config key last: at 1024 px the
        # key's column pushed every run's values but the first off-screen
        shown = shown[["label", *picked, "differs", "setting"]].rename(columns={"label": t("col.setting"), "setting": t("col.config_key"), "differs": t("col.differs"), **short})
        if not shown.empty:
            # the setting's name and key whole ("每条文本的词元数 m…" was cut), the runs' values beside them
            widths = {t("col.setting"): st.column_config.TextColumn(width="medium"), t("col.config_key"): st.column_config.TextColumn(width="medium"),
                      t("col.differs"): st.column_config.CheckboxColumn(width="small")}
            sideways_hint()
            st.dataframe(shown.style.apply(lambda row: ["background-color: #fff3cd" if marked[row.name] else "" for _ in row], axis=1), hide_index=True, column_config=widths)

# ====================================================================== gradient flow through time
GRAD_UNITS, GRAD_STEPS = (4, 256), (5, 200)  # the gradient-flow tab's sizes: seconds of work at most

with tab_grad:
    st.markdown(t("train.grad_intro"))
    # the chain the chart measures, for a SimpleRNN h_k = tanh(x_k W + h_{k-1} U + b)
    # one equation a line: side by side they ran off a phone's screen after "= diag", the Jacobian (the
    # point of the tab) hidden behind a sideways scroll nothing said was there (an exploratory tester)
    # the chain written out, in the order it multiplies (the gradient a row, each Jacobian on its right):
    # "∏ from k=t+1 to T" left the order to the reader, and read left to right it is the wrong one
    st.latex(r"\frac{\partial L}{\partial h_t} = \frac{\partial L}{\partial h_T}\,\frac{\partial h_T}{\partial h_{T-1}} \cdots \frac{\partial h_{t+1}}{\partial h_t}")
    st.latex(r"\frac{\partial h_k}{\partial h_{k-1}} = \mathrm{diag}\left(1 - h_k^2\right) U^\top")
    c1, c2, c3 = st.columns(3)
    # no bounds of Streamlit's own (as the New run form): a typed 1000 stayed in the box beside a tiny
    # red mark while the chart went on showing 50 steps; what is out of range is said, and not drawn
    # in the address while the tab is shown, as the other tabs' choices (a reload or a teacher's link
    # showed 64 units, 50 steps and Keras's initialisation again: a practitioner)
    g_units = int(c1.number_input(t("train.units"), value=url_number("grad_units", 64, *GRAD_UNITS, clamp=True, key="grad_units"), step=1, key="grad_units"))
    g_steps = int(c2.number_input(t("data.num_steps"), value=url_number("grad_steps", 50, *GRAD_STEPS, clamp=True, key="grad_steps"), step=1, key="grad_steps"))
    inits = ("keras", "tutorial")
    g_init = c3.radio(t("train.initializer"), inits, index=url_index("grad_init", inits, fixed=True, key="grad_init", label=lambda x: tr(f"train.init_{x}", LANG)), format_func=lambda x: tr(f"train.init_{x}", LANG), key="grad_init")
    for param, value, default in (("grad_units", g_units, 64), ("grad_steps", g_steps, 50), ("grad_init", g_init, "keras")):
        put_url(param, value if tab_grad.open else None, default)
    out_of_range = [(name, value, low, high) for name, value, low, high in ((t("train.units"), g_units, *GRAD_UNITS), (t("data.num_steps"), g_steps, *GRAD_STEPS)) if not low <= value <= high]
    for name, value, low, high in out_of_range:
        st.error(t("train.bad_range", name=name, low=low, high=high, value=value))
    # seconds (9 s at 256 units x 200 steps on a busy 2-core server): a background job
    # (ui.jobs), so changing a number does not freeze the page, and sessions share the result
    if tab_grad.open and not out_of_range:  # a job of seconds, asked for only while its tab is shown (kept_tabs)
        flow = jobs.result(
            ("grad_flow", g_units, g_steps, g_init),
            lambda progress: gradient_flow_table(units=g_units, steps=g_steps, initializer=g_init, progress=progress),
            label=t("train.grad_computing", steps=g_steps),
            reading_label=t("train.computing"),
            family="grad_flow",  # stepping a number asks for a new one each step: the stale ones are dropped,
            stop_stale=True,  # queued or running
        )
        if flow is not None:
            flow_figure = charts.cached(("grad_flow", g_units, g_steps, g_init, LANG), lambda: figures.gradient_flow_plot(flow, LANG))
            st.plotly_chart(flow_figure, key="grad_flow")
            # what this chart shows, measured (a fixed sentence said "LSTM keeps a few times more than
            # SimpleRNN" where the chart showed 300-1000 times)
            farthest = flow[flow["distance_from_loss"] == flow["distance_from_loss"].max()].set_index("cell")["relative"]
            st.caption(t(
                "train.grad_measured",
                distance=int(flow["distance_from_loss"].max()),
                kept=[f"{figures.CELL_LABELS.get(cell, cell)} {value:.1e}" for cell, value in farthest.sort_values(ascending=False).items()],
                best=figures.CELL_LABELS.get(farthest.idxmax(), farthest.idxmax()),
                worst=figures.CELL_LABELS.get(farthest.idxmin(), farthest.idxmin()),
                ratio=figures.times_text(farthest.max() / farthest.min()) if farthest.min() > 0 else "∞",
            ))
    st.caption(t("train.grad_note"))
