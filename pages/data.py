"""Data: inspect every corpus the tutorials use, offline, before any model exists.

Widgets -> core.stats (computed and tested in core) -> core.figures -> the page.
"""

import numpy as np
import pandas as pd
import streamlit as st

from core import datasets, figures, hosting, paths, stats, text as textlib
from core.generate import show_token
from core.i18n import tr
from core.train import LIMITS
from ui import charts, jobs
from ui.common import notice_text, whole_number, dataset_title, digest_of, kept_file_uploader, kept_tabs, lang, localise_columns, on_phone, put_url, run_via_entrypoint, show_error, stop_page, t, url_index, url_memory, url_number
from ui.loaders import tokenised, tokenised_file

run_via_entrypoint()

UPLOAD = "upload"
CHAR_LIMIT_MIN, CHAR_LIMIT_MAX = LIMITS["char_limit"]  # a run's bounds (core.train): 10 to a billion
# Format functions are also called outside the script run (by AppTest), so they use
# the language captured now rather than reading the session each time.
LANG = lang()

st.title(t("data.title"))
st.caption(t("data.intro"))


def dataset_label(name: str) -> str:
    if name == UPLOAD:
        return tr("ds.upload.title", LANG)
    info, avail = datasets.get_info(name), datasets.availability(name)
    if info.offline:
        status = tr("status.embedded", LANG)
    elif avail.local:
        status = tr("status.local", LANG)
    else:
        status = tr("status.download", LANG, mb=f"{avail.download_bytes / 1e6:.1f}")
    return f"{tr(f'ds.{name}.title', LANG)} · {status}"


default_name = "lyrics" if datasets.availability("lyrics").local else "chinese_reviews"
choices = list(datasets.DATASET_NAMES) + ([UPLOAD] if hosting.settings().allow_uploads else [])
left, mid, right = st.columns([2, 1, 1])
# the data set is in the URL by its name (?dataset=peoples_daily): a reload, or a link shared with a
# class, opens it (Streamlit's bind="query-params" would hold the label, which names the language); a
# name that is none of them is a link's value the page cannot use, said with the data set shown by
# its title ("“bogus” is not here any more (deleted, perhaps): “lyrics” is shown" named the id)
arrived = "data_dataset" not in st.session_state  # a new visit (a link, a reload, another page): the address is a link's
name = left.selectbox(t("data.dataset"), choices, index=url_index("dataset", choices, choices.index(default_name), key="data_dataset", label=dataset_title, fixed=True), format_func=dataset_label, key="data_dataset")
put_url("dataset", name)

# ---------------------------------------------------------------- get the data (download or upload when needed)
upload = None
if name == UPLOAD:
    limit_mb = datasets.max_upload_bytes() / 1e6
    upload = kept_file_uploader(t("data.upload"), type=["txt", "csv", "tsv"], key="data_upload", help=t("data.upload_hint", mb=f"{limit_mb:.0f}"))
    st.caption(t("data.upload_hint", mb=f"{limit_mb:.0f}"))
    if upload is None:
        st.info(t("data.upload_wait"))
        stop_page()
    tokenizer_options = ("char", "jieba", "word")
else:
    info = datasets.get_info(name)
    st.caption(t(f"ds.{name}.desc"))
    avail = datasets.availability(name)
    if avail.local:
        st.session_state.pop(f"data_pending_{name}", None)  # a download that finished while the user was elsewhere
    else:
        st.warning(t("data.page_not_local", title=t(f"ds.{name}.title")))
        if not hosting.settings().allow_downloads:
            st.info(t("hosting.downloads_off"))
        else:
            # downloaded (and unpacked) in the background (ui.jobs): the page stays usable and a
            # widget touched meanwhile no longer stops the download; sessions asking for the same
            # data set share one download
            pending = f"data_pending_{name}"
            if st.button(t("data.download_button", mb=f"{avail.download_bytes / 1e6:.1f}"), key="data_download", type="primary"):
                jobs.start(
                    pending, ("download", name),
                    lambda progress, name=name: datasets.fetch(
                        name, progress=lambda done, total: progress(done, total, "data.downloading"), unpack_progress=lambda done, total: progress(done, total, "data.unpacking")
                    ),
                    reading=t("data.downloading", name=t(f"ds.{name}.title")),
                )

            def describe(job) -> str:
                return f"{t(job.phase or 'data.downloading', name=t(f'ds.{name}.title'))} {job.done / 1e6:.1f} / {job.total / 1e6:.1f} MB"

            fetched = jobs.waiting(pending, describe)
            if fetched is not None and fetched[1] is not None:  # (a failed download is said there)
                st.rerun()  # the data set is on this machine now: the page shows it
        st.caption(t("data.or_copy", filename=" / ".join(info.local_names), folder=paths.data_dir()))
        stop_page()
    tokenizer_options = info.tokenizers

# the tokeniser and the vocabulary limit are in the URL too (?tokenizer=jieba&max_tokens=3000): a reload or a
# link shared with a class shows the same tokens. A tokeniser this data set does not offer is its first,
# said when a link named it (data?dataset=imdb&tokenizer=char gave words without a word), silently when
# the reader has just switched data sets here (the address still holds the last one's choice)
switched = not arrived and st.session_state.get("data_shown_dataset") != name
st.session_state["data_shown_dataset"] = name
if switched:
    url_memory().pop("value:tokenizer", None)  # (the last data set's message: not this one's)
tokenizer = mid.selectbox(
    t("data.tokenizer"), tokenizer_options,
    index=url_index("tokenizer", tokenizer_options, say_missing=False, fixed=not switched, key=f"data_tokenizer_{name}", label=lambda k: tr(f"tok.{k}", LANG)),
    format_func=lambda k: tr(f"tok.{k}", LANG), key=f"data_tokenizer_{name}",
)
put_url("tokenizer", tokenizer, tokenizer_options[0])  # (the data set's first, which a link without one opens, needs no word)
num_words = None
if name == "imdb":
    # 0 = every word the file holds, Keras's own default (num_words=None); a fixed 10,000 warned on every
    # visit that the local subset holds only 500
    num_words = whole_number(right, t("data.num_words"), 0, 100_000, value=url_number("num_words", 0, 0, 100_000, clamp=True, key="data_num_words"), step=500, key="data_num_words", help=t("data.num_words_help")) or None
    put_url("num_words", num_words)
    if num_words is not None and num_words < 4:  # <pad>, <start>, <unk> and one word
        st.caption(t("data.num_words_raised", asked=num_words))
        num_words = 4
    max_tokens = None
else:
    max_tokens = whole_number(right, t("data.max_tokens"), 0, 1_000_000, value=url_number("max_tokens", 0, 0, 1_000_000, clamp=True, key="data_max_tokens"), step=500, key="data_max_tokens") or None
    put_url("max_tokens", max_tokens)
    least = len(textlib.RESERVED_TOKENS) + 1  # <pad>, <unk> and one token
    if max_tokens is not None and max_tokens < least:
        right.caption(t("data.max_tokens_raised", asked=max_tokens))
        max_tokens = least

# a corpus's first N characters only, as a language model's run with that setting reads them: the T4
# tutorial's corpus_chars[0:10000] and its 1,027 distinct characters were on the Training page's preset alone
char_limit = None
if upload is None and datasets.get_info(name).kind == "corpus":
    char_limit = whole_number(mid, t("data.char_limit"), 0, CHAR_LIMIT_MAX, value=url_number("char_limit", 0, 0, CHAR_LIMIT_MAX, clamp=True, key="data_char_limit"), step=1000, key="data_char_limit") or None
    put_url("char_limit", char_limit)
    if char_limit is not None and char_limit < CHAR_LIMIT_MIN:
        mid.caption(t("data.char_limit_raised", asked=char_limit, least=CHAR_LIMIT_MIN))
        char_limit = CHAR_LIMIT_MIN

# loaded and tokenised once per process, in the background the first time (ui.loaders.tokenised:
# 10 s for the Chinese reviews with jieba), its progress shown and the rest of the page after it
if upload is not None:
    data = upload.getvalue()
    digest = digest_of(data)
    tok = tokenised_file(digest, upload.name, data, tokenizer, max_tokens)
else:
    digest = None
    tok = tokenised(name, tokenizer, max_tokens, num_words, char_limit)
if tok is None:  # being made (its bar is shown), or it failed (said)
    stop_page()

ds = tok.source
# What every figure and derived table below depends on: this tokenised data set (the same key as its
# cache, plus the object itself, so a reloaded data set never gets the figures of the one it replaced).
TOK = (id(tok), name, digest, tokenizer, max_tokens, num_words, char_limit)


def shared(what: str, *args, build):
    """`build()` for this data set and `args`, computed once and shared by every session (ui.charts)."""
    return charts.memo((TOK, what, args), build)


def figure(what: str, *args, build):
    """A figure of this data set for `args` and the language, built once and shared (ui.charts)."""
    return charts.cached((TOK, what, args, LANG), build)

for notice in ds.notices:
    st.info(notice_text(notice))
if char_limit is not None:
    st.caption(t("data.char_limit_note", chars=char_limit))
if getattr(ds, "source", ""):
    place, inside = paths.source_place(ds.source)
    st.caption(t(f"data.source_{place}", source=inside))

summary = shared("summary", build=lambda: stats.dataset_summary(ds, tokenizer, max_tokens, tok=tok))
if summary["texts"] == 0:
    st.warning(t("data.no_texts"))
    stop_page()

# ---------------------------------------------------------------- headline figures
# Two rows of three: six figures in one row were cut off ("8,332 / …") below about 1,600 px. The
# label balance is a share, short enough for a third of the page; its counts are in its help and
# written out below.
cols = st.columns(3) + st.columns(3)
cols[0].metric(t("data.m_lines") if tok.kind == "corpus" else t("data.m_texts"), f"{summary['texts']:,}")
cols[1].metric(t("data.m_chars"), f"{summary['characters']:,}" if summary["characters"] is not None else "—")
cols[2].metric(t("data.m_tokens"), f"{summary['tokens']:,}")
cols[3].metric(t("data.m_distinct"), f"{summary['distinct_tokens']:,}")
cols[4].metric(t("data.m_vocab"), f"{summary['vocab_size']:,}")
notes = []
if "labels" in summary:
    counts = {"positive": summary["labels"]["positive"], "negative": summary["labels"]["negative"]}
    labelled = sum(counts.values())
    share = f"{counts['positive'] / labelled:.1%}" if labelled else "—"
    cols[5].metric(t("data.m_positive_share"), share, help=t("data.balance_help", total=labelled, **counts))
    notes.append(t("data.balance", **counts))
else:
    cols[5].metric(t("data.m_unknown"), f"{summary['unknown_share']:.1%}")
if "split" in summary:
    split = summary["split"]
    parts = {"train": 0, "val": 0, "test": 0, **split}
    notes.append(t("data.split_traintest", **parts) if tok.kind == "encoded" else t("data.split", **parts))
if upload is not None and tok.kind == "labelled_text":  # (a table read without a label column, or with one class)
    set_aside = any(notice.key.startswith("upload.labels_ignored") for notice in ds.notices)  # (a label column of star ratings: said above)
    if tok.labels is None and not set_aside:
        notes.append(t("data.upload_unlabelled", names="/".join(datasets.LABEL_COLUMN_NAMES)))
    elif "labels" in summary and min(summary["labels"].values()) == 0:  # (a column set aside has no counts: star ratings 1-5 raised KeyError)
        notes.append(t("upload.one_class"))
if notes:
    st.caption("  \n".join(notes))

lengths = shared("lengths", build=lambda: tok.lengths)
nonzero = shared("nonzero", build=lambda: lengths[lengths > 0])
pcts = summary["length_tokens"]

# ---------------------------------------------------------------- padding and truncation (labelled texts)
maxlen = padding = truncating = None
if tok.kind != "corpus":
    c1, c2, c3 = st.columns(3)
    default_maxlen = int(max(1, round(pcts["p95"])))
    maxlen = whole_number(c1, t("data.maxlen"), 1, 100_000, value=min(default_maxlen, 100_000), step=8, key=f"data_maxlen_{name}" + (f"_{digest[:12]}" if digest else ""))  # (each upload its own: a second file kept the first's 29 where its p95 was 2)
    padding = c2.radio(t("data.padding"), ("pre", "post"), format_func=lambda s: tr(f"side.{s}", LANG), horizontal=True, key="data_padding")
    truncating = c3.radio(t("data.truncating"), ("pre", "post"), format_func=lambda s: tr(f"side.{s}", LANG), horizontal=True, key="data_truncating")

# The time steps of a batch the Tensors tab draws at most (longer rows are drawn in part, and said so).
MAX_STEPS_DRAWN = 200


def keep_within(key: str, top: int) -> None:
    """Keep the number in widget `key` when it is still in `0 … top`, else move it to `top`,
    without a word: `top` moved with another setting (the batch start when the batch size
    changes: "First text" 17,361 went back to 0 when the batch grew to 64), not with what was
    typed, which `ui.common.whole_number` says when it moves it. The value is set before the
    widget is drawn (so the widget takes no `value=` of its own, or Streamlit warns that it has two).

    Only a value that was within the last run's `top`: a number typed beyond it (99 as the one-hot
    row of a batch of 4) was moved here too, silently, where every other box says so.
    """
    last = st.session_state.get(f"_{key}_top")
    st.session_state[f"_{key}_top"] = top
    if key in st.session_state and last is not None:
        value = int(st.session_state[key])
        if top < value <= last:
            st.session_state[key] = top


tab_names = ["data.tab_lengths", "data.tab_tokens", "data.tab_samples", "data.tab_tensors"] + (["data.tab_samplers"] if tok.kind == "corpus" else [])
tabs = kept_tabs("data_tabs", tab_names)

# ---------------------------------------------------------------- lengths
with tabs[0]:
    st.plotly_chart(figure("lengths", maxlen, build=lambda: figures.length_histogram(nonzero, pcts, maxlen, LANG)), key="fig_lengths")
    percentiles = charts.table((TOK, "percentiles", LANG), lambda: localise_columns(pd.DataFrame([{f"len_{k}": round(v, 1) for k, v in pcts.items()}])))
    # with separators, 2,876 as the chart's title writes it
    st.dataframe(percentiles, hide_index=True, column_config={name: st.column_config.NumberColumn(format="localized") for name in charts.column_names(percentiles)})
    if maxlen:
        effect = textlib.truncation_effect(nonzero, maxlen)
        st.write(
            t(
                "data.trunc_summary",
                maxlen=maxlen,
                texts_cut=effect["texts_cut"],
                share_texts=effect["share_texts_cut"],
                tokens_lost=effect["tokens_lost"],
                share_tokens=effect["share_tokens_lost"],
                share_padding=effect["share_padding"],
                truncating=truncating,
                where=t(f"data.where_{truncating}"),
            )
        )

# ---------------------------------------------------------------- token frequencies
with tabs[1]:
    k = st.slider(t("data.top_k"), 10, 200, 30, step=10, key="data_top_k")
    left, right = st.columns(2)

    def top_tokens_shown() -> pd.DataFrame:
        """The most frequent tokens with the blank ones visible: a corpus's line break (read as a
        space) as ↵, a space inside a review as ␣ (the lyrics' commonest token was an empty cell)."""
        top = stats.top_tokens(tok, k)
        visible = show_token if tok.kind == "corpus" else (lambda token: token.replace(" ", "␣") if isinstance(token, str) else token)
        # the shares in percent with two decimals each (Streamlit's "percent" mixed 3.2% and 0.05%)
        return localise_columns(top.assign(token=top["token"].map(visible), share=top["share"] * 100, cumulative_share=top["cumulative_share"] * 100))

    left.dataframe(charts.table((TOK, "top_tokens", k, LANG), top_tokens_shown), hide_index=True, height=360, column_config={t("col.share"): st.column_config.NumberColumn(format="%.2f%%"), t("col.cumulative_share"): st.column_config.NumberColumn(format="%.2f%%"),
                                                                                                                        t("col.count"): st.column_config.NumberColumn(format="localized")})  # ("8809": 8,809)
    if tok.kind == "corpus":  # (all 8,809 of the lyrics' spaces were shown as line breaks; 2,990 are spaces inside a line)
        left.caption(t("data.space_token_note"))
    with figures.title_width_for(figures.TITLE_WIDTH):  # (half of the page)
        right.plotly_chart(figure("zipf", build=lambda: figures.zipf_plot(stats.rank_frequency(tok), LANG)), key="fig_zipf")
    chosen = tok.vocab_size
    st.plotly_chart(figure("unknown", build=lambda: figures.unknown_share_plot(stats.unknown_share_curve(tok), chosen, stats.unknown_share(tok, [chosen])[0], LANG)), key="fig_unknown")

# ---------------------------------------------------------------- samples
with tabs[2]:
    index = whole_number(st, t("data.sample_index"), 0, len(tok.docs) - 1, value=0, key=f"data_sample_{name}")
    record = stats.sample_record(tok, index)
    if record["label"] is not None:
        if record["split"] in ("train", "val", "test"):
            st.write(t("data.label", label=t(f"label.{record['label']}"), split=t(f"data.split_{record['split']}")))
        else:  # (a file labelled in part is not split)
            st.write(t("data.label_alone", label=t(f"label.{record['label']}")))
    if record["raw"] is not None:
        st.markdown(f"**{t('data.raw')}**")
        st.text(record["raw"])
    if "tokens" in record:
        st.markdown(f"**{t('data.tokens')}**")
        st.code(" | ".join(record["tokens"]), language=None, wrap_lines=True)
    st.markdown(f"**{t('data.ids')}**")
    st.code(str(record["ids"]), language=None, wrap_lines=True)
    st.markdown(f"**{t('data.decoded')}**")
    st.code(" | ".join(record["decoded"]), language=None, wrap_lines=True)
    if "offset_table" in record:
        st.caption(t("data.imdb_offset", offset=ds.index_from))
        offsets = record["offset_table"].head(60).copy()
        # the reserved ids (pad, start, unknown, unused) have no rank: a dash, not "None"
        offsets["rank_in_word_index"] = offsets["rank_in_word_index"].map(lambda r: "–" if pd.isna(r) else str(int(r)))
        st.dataframe(localise_columns(offsets), hide_index=True)

# ---------------------------------------------------------------- tensors
with tabs[3]:
    c1, c2, c3 = st.columns(3)
    batch_size = whole_number(c1, t("data.batch_size"), 1, 64, value=4, key="data_tensor_batch")
    total_steps, first_step = None, 0  # labelled texts: each row's real length, and the first step drawn
    if tok.kind == "corpus":
        steps = whole_number(c2, t("data.num_steps"), 1, MAX_STEPS_DRAWN, value=35, key="data_tensor_steps")
        try:
            batch_ids = shared("tensor_batch", batch_size, steps, build=lambda: stats.sampler_batch(shared("stream", build=tok.stream), "consecutive", batch_size, steps).x)
        except (ValueError, IndexError) as exc:
            show_error(exc)
            batch_ids = None
    else:
        last_start = max(0, len(tok.docs) - batch_size)
        keep_within("data_tensor_start", last_start)
        start = whole_number(c2, t("data.batch_start"), 0, last_start, step=batch_size, key="data_tensor_start")
        padded = stats.padded_batch(tok, start, batch_size, maxlen, padding, truncating)
        # Long rows are drawn only in part: the end that holds the text (padding "pre" puts it last).
        total_steps = padded.shape[1]
        shown_len = min(total_steps, MAX_STEPS_DRAWN)
        first_step = total_steps - shown_len if padding == "pre" else 0
        batch_ids = padded[:, first_step : first_step + shown_len]
    if batch_ids is not None:
        b, s = batch_ids.shape[0], total_steps or batch_ids.shape[1]  # the batch's real shape, not the part drawn
        v = tok.vocab_size
        st.markdown(t("data.tensor_shapes", b=b, s=s, v=v, cells=b * s * v, ones=b * s, density=1 / v))
        if s > batch_ids.shape[1]:
            st.caption(t("data.tensor_part", total=s, shown=batch_ids.shape[1], first=first_step, last=first_step + batch_ids.shape[1] - 1, where=t("data.tensor_part_pre") if padding == "pre" else t("data.tensor_part_post")))
        # the figures depend on these ids and where they sit in the rows only (and the data set)
        batch_key = (batch_ids.shape, batch_ids.tobytes(), first_step, s)
        hover = shared("hover", batch_key, build=lambda: [tok.decode(row) for row in batch_ids])
        st.plotly_chart(figure("ids", batch_key, build=lambda: figures.id_heatmap(batch_ids, hover, LANG, first_step, s)), key="fig_ids")
        keep_within("data_tensor_row", b - 1)
        row = whole_number(c3, t("data.onehot_row"), 0, b - 1, key="data_tensor_row")
        st.plotly_chart(figure("onehot", batch_key, row, build=lambda: figures.one_hot_plot(batch_ids[row], hover[row], v, row, LANG, first_step, s)), key="fig_onehot")

# ---------------------------------------------------------------- samplers (corpora)
TOY_SEQUENCE = 30  # the tutorial's my_seq = list(range(30))
if tok.kind == "corpus":
    with tabs[4]:
        # the tutorial's own example first: my_seq = list(range(30)) read with batch_size=2, num_steps=6,
        # where every id is its own position, so where each row starts and how batches follow is legible
        toy = st.toggle(t("data.sampler_toy", last=TOY_SEQUENCE - 1), value=False, key="data_sampler_toy", help=t("data.sampler_toy_help"))
        c1, c2, c3, c4 = st.columns(4)
        sb = whole_number(c1, t("data.batch_size"), 1, 64, value=2, key="data_sampler_batch")
        ss = whole_number(c2, t("data.num_steps"), 1, 200, value=6, key="data_sampler_steps")
        nb = whole_number(c3, t("data.n_batches"), 1, 10, value=3, key="data_sampler_n")
        seed = whole_number(c4, t("data.sampler_seed"), 0, 2**31 - 1, value=0, key="data_sampler_seed")
        stream = np.arange(TOY_SEQUENCE, dtype=np.int32) if toy else shared("stream", build=tok.stream)

        def decoded(ids) -> str:
            return " ".join(str(int(i)) for i in ids) if toy else "".join(show_token(x) for x in tok.decode(ids))

        phone = on_phone()
        # the small columns of `xy_table` narrow, so that X and Y have the rest: on a phone (358 px for
        # the table) 200 px of batch, row and start left Y a character or two, the rest scrolled away
        xy_narrow = (("batch", 44), ("row", 36), ("start_short", 60)) if phone else (("batch", 56), ("row", 48), ("start", 96))

        def xy_columns() -> dict:
            return {t(f"col.{c}"): st.column_config.NumberColumn(t(f"col.{c}"), width=width, format="localized") for c, width in xy_narrow}  # (47,616 as the text above writes it)

        def xy_table(sampler: str) -> pd.DataFrame:
            """X and Y of the first `nb` batches, row by row: row r of batch b+1 continues row r of
            batch b in consecutive sampling, and the random sampler's rows jump."""
            rows = []
            for b, batch in enumerate(textlib.SAMPLERS[sampler](stream, sb, ss, seed=seed)):
                if b >= nb:
                    break
                (bc, _), (rc, _), (sc, _) = xy_narrow
                rows += [{t(f"col.{bc}"): b, t(f"col.{rc}"): r, t(f"col.{sc}"): int(batch.starts[r]), "X": decoded(batch.x[r]), "Y": decoded(batch.y[r])} for r in range(len(batch.x))]
            return pd.DataFrame(rows)

        try:
            counts = {s: textlib.count_batches(s, len(stream), sb, ss) for s in ("random", "consecutive")}
            st.write(t("data.sampler_explain", n_random=counts["random"], n_consecutive=counts["consecutive"]))
            if toy:
                st.caption(t("data.sampler_toy_note", last=TOY_SEQUENCE - 1))
            for sampler, col in zip(("random", "consecutive"), st.columns(2)):
                with figures.title_width_for(figures.TITLE_WIDTH):  # (half of the page)
                    col.plotly_chart(
                        figure("sampler", sampler, sb, ss, nb, seed, toy,
                               build=lambda: figures.sampler_plot(stats.sampler_layout(len(stream), sampler, sb, ss, nb, seed), t(f"data.sampler_{sampler}"), LANG, corpus_length=len(stream))),
                        key=f"fig_sampler_{sampler}",
                    )
            # the X/Y tables below the charts, each the page's width: in half of it (274 px at 1024 px) the
            # batch, row and start columns left X a few characters and Y none (a layout audit)
            shown = {sampler: min(nb, count) for sampler, count in counts.items()}
            same = len(set(shown.values())) == 1
            if same:
                st.caption(t("data.sampler_xy_batches", n=shown["random"]))
            for sampler in ("random", "consecutive"):
                name = f"**{t(f'data.sampler_{sampler}')}**"
                st.caption(name if same else f"{name} · {t('data.sampler_xy_batches', n=shown[sampler])}")
                st.dataframe(charts.table((TOK, "sampler_xy", sampler, sb, ss, nb, seed, toy, LANG, phone), lambda: xy_table(sampler)), hide_index=True, column_config=xy_columns())
        except ValueError as exc:
            show_error(exc)
