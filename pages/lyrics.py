"""Lyrics playground: continue a prefix with a character language model, see how sure it was of
every character, look inside the network, and compare SimpleRNN, GRU and LSTM on the same prefix."""

import json
from dataclasses import asdict
from pathlib import Path

import streamlit as st

from core import figures
from core.errors import RnnLabError
from core.gates import CELL_GATES
from core.generate import (
    LINE_BREAK_MARK,
    MAX_LENGTH,
    MAX_SAMPLES,
    STRATEGIES,
    check_request,
    Generation,
    LanguageGenerator,
    SamplingSettings,
    show_token,
    steps_table,
    trailing_loop,
    units_reacting_to,
)
from core.i18n import tr
from core.runs import RunDir, RunStore, model_choices
from ui.common import model_missing_words, dataset_title, lang, localise_columns, model_card, model_names, on_phone, still_training_note, page_link, put_url, drop_gone_choices, replace_gone_choice, run_via_entrypoint, select_all, show_error, sideways_hint, stop_page, t, url_index, url_number
from ui.highlight import coloured_text_html, legend_html
from ui import jobs
from ui.loaders import generator_for, model_stamp

run_via_entrypoint()
LANG = lang()
TRAIN_PRESET = "lyrics_scratch_rnn_consecutive"
DEFAULT_PREFIX = "分开"
MAX_PREFIX_BOX = 200  # characters the prefix box takes (a prefix of a line or two; the CLI takes up to core.generate.MAX_PREFIX_CHARS)
QUANTITY_ORDER = ("h", "c", *CELL_GATES["lstm"], *CELL_GATES["gru"])  # h and the LSTM memory, then the gates
WINDOW = 80  # steps shown at once in the heatmap (a slider moves the window over longer texts)
STEP_WIDTH, PROBABILITY_WIDTH = 56, 96  # px: the steps table's narrow columns
BOXED_CHARACTERS, BOXED_HEIGHT = 2_000, 640  # several samples longer than this in all scroll in a box this tall (px)
BOXED_HEIGHT_PHONE = 360
REQUEST_ROW = [2, 1, 2]  # the samples, seed and unknown-characters row: 215, 102 and 215 px of the 564 px column at 1024 px

st.title(t("lyr.title"))
st.caption(t("lyr.intro"))


def load(folder: Path, weights: str = "auto") -> LanguageGenerator | None:
    try:
        return generator_for(str(folder), model_stamp(folder), weights)
    except RnnLabError as exc:
        show_error(exc)
        return None


def _perplexity(value) -> str:
    return f"{value:.1f}" if isinstance(value, (int, float)) else "–"


def run_request(folder: Path, request: dict, generator: LanguageGenerator, place: int = 0) -> Generation | None:
    """The generation `request` asks of `generator` (the model in `folder`): a background job
    (`ui.jobs`) with a bar counting the characters, since 1,000 characters x 16 samples take
    seconds; a quick one is shown at once. One job per model file and request, shared by
    every session asking at once (a class asking for 分开 with the defaults makes it once), then
    kept in this session, one per `place` on the page (0 the text, 1-4 the models beside it, 5
    the chosen model's one sample beside them when the text has several),
    not on the server's board of a few finished jobs, which a class's generations would crowd.
    None while it runs (its bar is on the page) or when it failed (said there)."""
    key = ("lyr_generate", str(folder), model_stamp(folder), json.dumps(request, sort_keys=True, ensure_ascii=False))
    settings = SamplingSettings(**request["settings"])

    def work(progress) -> Generation:
        return generator.generate(request["prefix"], request["length"], settings, n_samples=request["n_samples"], unknown=request["unknown"], progress=progress)

    return jobs.result(key, work, t("lyr.generating_count", samples=request["n_samples"]), t("lyr.generating"), slot=f"lyr_generated_{place}")


choices = model_choices(RunStore(), "language_model")
if not choices:
    st.info(t("lyr.no_models", preset=TRAIN_PRESET))
    page_link("pages/training.py", label=t("lyr.to_training"), icon=":material/model_training:", query_params={"preset": TRAIN_PRESET})
    stop_page()
labels = [label for label, _ in choices]
folders = dict(choices)
# the model is in the URL by its name (?model=shipped/lyrics_lstm, or a run id): a reload, a shared link
# or the Training page's link to a finished run opens it
replace_gone_choice("lyr_model", labels, labels[0])  # a run deleted meanwhile (the address still names it, which is said)
names = model_names(choices)
# (a classifier's run, or one without a model yet: said as such)
chosen = st.selectbox(t("lyr.model"), labels, index=url_index("model", labels, key="lyr_model", missing_words=model_missing_words("language_model", names.get)), key="lyr_model", format_func=names.get)
put_url("model", chosen)
# a run saves its best epoch (lowest validation loss) and its last: when they differ (a small
# corpus overfits early, so the tutorial's settings often end far from their best epoch) the
# user picks which to hear; the run's own samples on the Training page come from the last
saved = RunDir(folders[chosen]).saved_weights()
weights = "auto"


def weights_label(kind: str) -> str:
    return tr(f"lyr.weights_{kind}", LANG, epoch=saved[kind]["epoch"] or "?", perplexity=_perplexity(saved[kind].get("val_perplexity")))


if len(saved) > 1:
    weights = st.radio(
        t("lyr.weights"),
        list(saved),
        index=url_index("weights", list(saved), fixed=True, label=weights_label, key=f"lyr_weights_{chosen}"),
        format_func=weights_label,
        horizontal=True,
        key=f"lyr_weights_{chosen}",
        help=t("lyr.weights_help"),
    )
# in the address too, as everything that changes the text made (a class given a link of the last
# epoch's text got the best epoch's, another text: an exploratory tester)
put_url("weights", weights if len(saved) > 1 else None, list(saved)[0] if saved else None)  # (one set of weights: nothing to choose, nothing said)
with st.spinner(t("lyr.loading")):
    generator = load(folders[chosen], weights)
if generator is None:
    stop_page()
info = generator.describe()
st.caption(
    t(
        "lyr.model_info",
        dataset=dataset_title(info["dataset"]),
        cell=figures.CELL_LABELS.get(info["cell"], "?"),
        implementation=tr(f"train.impl_short_{info['implementation']}", LANG),
        units=" / ".join(str(u) for u in info["units"]),
        tokenizer=tr(f"tok.{info['tokenizer']}", LANG),
        vocab=info["vocab_size"],
        perplexity=_perplexity(info["val_perplexity"]),
        epoch=info["weights_epoch"] or "?",
        epochs=info["epochs"] or "?",
    )
)
OPTIMIZER_NAMES = {"sgd": "SGD", "adam": "Adam", "rmsprop": "RMSprop"}
if info.get("sampler") in ("random", "consecutive") and info.get("optimizer"):  # (the shipped models' configs have them too)
    clip = info.get("clip_global_norm")
    st.caption(t("lyr.trained_how", sampler=tr(f"data.sampler_{info['sampler']}", LANG), steps=info.get("num_steps", "?"), optimizer=OPTIMIZER_NAMES.get(info["optimizer"], info["optimizer"]),
                 lr=float(info.get("learning_rate") or 0.0), clip=f"{clip:g}" if clip else tr("setting.none_off", LANG)))
# what the figure means, as the Training page says it, and when it is worse than a uniform guess
# (a tutorial run's 1,857 beside a vocabulary of 970 was shown without a word: an exploratory learner)
st.caption(t("train.perplexity_explain", vocab=f"{info['vocab_size']:,}"))
if isinstance(info["val_perplexity"], (int, float)) and info["val_perplexity"] > info["vocab_size"]:
    st.warning(t("lyr.worse_than_uniform", perplexity=_perplexity(info["val_perplexity"]), vocab=info["vocab_size"]))
still_training_note(folders[chosen])
model_card(folders[chosen])

# ---------------------------------------------------------------- the request
# the request is in the address too (?prefix=分开&strategy=top_k&k=5&seed=3...; a setting at its default is left
# out): a reload keeps it, and a class given the link generates the same text (a seed makes sampling repeatable)
# Three rows of at most three widgets, so that every label fits on one line at 1024 px and the inputs of a
# row line up: in one row of four, "Characters (tokens) to generate" and "Samples (generated at once)"
# (and 样本数（一次生成几份）) wrapped to two lines in columns of 101 px (a layout audit), and "Characters
# not in the vocabulary" in the next row's fifth.
c1, c2 = st.columns(2)
linked_prefix = st.query_params.get("prefix", DEFAULT_PREFIX)
if len(linked_prefix) > MAX_PREFIX_BOX and "lyr_prefix" not in st.session_state:  # a link's: cut to what the box takes, and said (it was cut silently)
    st.warning(t("lyr.prefix_link_cut", n=len(linked_prefix), limit=MAX_PREFIX_BOX))
prefix = c1.text_input(t("lyr.prefix"), linked_prefix[:MAX_PREFIX_BOX], key="lyr_prefix", max_chars=MAX_PREFIX_BOX, help=t("lyr.prefix_help"))
# The number fields have no bounds of their own (as the Training page's): Streamlit's bounds refused a typed
# -5 in the browser, left it in the box and kept the number before it, which the message then named.
# What is typed stays, core's check below says what is wrong, and Generate waits until it is right.
length = int(c2.number_input(t("lyr.length"), None, None, url_number("length", 100, 1, MAX_LENGTH, clamp=True, key="lyr_length"), key="lyr_length", help=t("lyr.length_help", limit=MAX_LENGTH)))
c1, c2 = st.columns(2)
strategy = c1.radio(
    t("lyr.strategy"), STRATEGIES, index=url_index("strategy", STRATEGIES, fixed=True, label=lambda s: tr(f"lyr.strategy_{s}", LANG), key="lyr_strategy"),
    format_func=lambda s: tr(f"lyr.strategy_{s}", LANG), horizontal=True, key="lyr_strategy",
)
with c2:
    temperature = st.slider(
        t("lyr.temperature"), 0.1, 3.0, url_number("temperature", 1.0, 0.1, 3.0, float, key="lyr_temperature"), 0.05, key="lyr_temperature", disabled=strategy == "greedy", help=t("lyr.temperature_help")
    )
    top_k, top_p = 10, 0.9
    if strategy == "top_k":
        top_k = int(st.number_input(t("lyr.top_k"), None, None, url_number("k", min(10, generator.vocab_size), 1, generator.vocab_size, key="lyr_top_k"), key="lyr_top_k"))
    elif strategy == "top_p":
        top_p = float(st.slider(t("lyr.top_p"), 0.05, 1.0, url_number("p", 0.9, 0.05, 1.0, float, key="lyr_top_p"), 0.05, key="lyr_top_p"))
c1, c2, c3 = st.columns(REQUEST_ROW)
# greedy decoding writes the same text every time: several samples were as many identical copies
greedy = strategy == "greedy"
n_samples = int(c1.number_input(t("lyr.samples"), None, None, url_number("samples", 1, 1, MAX_SAMPLES, key="lyr_samples"), key="lyr_samples", disabled=greedy, help=t("lyr.samples_help")))
if greedy:
    n_samples = 1
seed = int(c2.number_input(t("lyr.seed"), None, None, url_number("seed", 0, 0, 2**31 - 1, key="lyr_seed"), key="lyr_seed"))
unknown = c3.radio(t("lyr.unknown"), ("drop", "unk"), index=url_index("unknown", ("drop", "unk"), fixed=True, label=lambda p: tr(f"lyr.unknown_{p}", LANG), key="lyr_unknown"),
                   format_func=lambda p: tr(f"lyr.unknown_{p}", LANG), key="lyr_unknown")
for param, value, default in (
    ("prefix", prefix, DEFAULT_PREFIX), ("length", length, 100), ("unknown", unknown, "drop"), ("samples", n_samples, 1), ("seed", seed, 0), ("strategy", strategy, STRATEGIES[0]),
    ("temperature", None if strategy == "greedy" else float(temperature), 1.0), ("k", top_k if strategy == "top_k" else None, None), ("p", top_p if strategy == "top_p" else None, None),
):
    put_url(param, value, default)
st.caption(t(f"lyr.strategy_{strategy}_help"))
try:  # (avoid_unk, a toggle beside the button, is a yes or no: nothing to check)
    check_request(length, n_samples, SamplingSettings(strategy=strategy, temperature=float(temperature), top_k=top_k, top_p=top_p, seed=seed), generator.vocab_size)
    request_ok = True
except RnnLabError as exc:  # said with the number as typed; the text below stays the last one made
    show_error(exc)
    request_ok = False
c1, c2, c3 = st.columns([1, 2, 2])
clicked = c1.button(t("lyr.generate"), type="primary", key="lyr_generate", disabled=not request_ok)
line_breaks = c2.toggle(t("lyr.line_breaks"), value=generator.tokenizer != "word", key="lyr_line_breaks", help=t("lyr.line_breaks_help"))
# a corpus whose rare characters were read as <unk> teaches the model to write it (13.7% of the
# People's Daily model's text): left out by default, still shown among each step's candidates
avoid_unk = c3.toggle(t("lyr.avoid_unk"), value=st.query_params.get("avoid_unk") != "0", key="lyr_avoid_unk", help=t("lyr.avoid_unk_help"))
put_url("avoid_unk", None if avoid_unk else "0")

settings = SamplingSettings(strategy=strategy, temperature=float(temperature), top_k=top_k, top_p=top_p, seed=seed, avoid_unk=avoid_unk)
request = {"prefix": prefix, "length": length, "n_samples": n_samples, "unknown": unknown, "settings": asdict(settings), "weights": weights}
if clicked:
    st.session_state["lyr_request"] = request
elif "lyr_request" not in st.session_state and st.query_params.get("generated") == "1" and request_ok:
    # a reload, or a link a teacher shares, of a page that showed a text: made again at once (the seed
    # makes it the same text; a class opening the link at once shares one job), not an empty page
    # with the settings filled in and a button to find
    st.session_state["lyr_request"] = request
put_url("generated", "1" if "lyr_request" in st.session_state else None)
request = st.session_state.get("lyr_request")
if request is None:
    st.info(t("lyr.press_generate"))
    stop_page()
if request.get("weights", "auto") != weights:  # asked with the other saved weights: the same request with these
    request = st.session_state["lyr_request"] = dict(request, weights=weights)
if request != {"prefix": prefix, "length": length, "n_samples": n_samples, "unknown": unknown, "settings": asdict(settings), "weights": weights}:
    st.caption(t("lyr.stale"))

generation = run_request(folders[chosen], request, generator)
if generation is None:
    stop_page()

# ---------------------------------------------------------------- the text
if generation.unknown:
    key = "lyr.unknown_dropped" if generation.policy == "drop" else "lyr.unknown_mapped"
    distinct = list(dict.fromkeys(generation.unknown))
    st.warning(t(key, n=len(generation.unknown), tokens=" ".join(show_token(x) for x in distinct)))  # every occurrence counted, each character named once
if generation.start_token is not None:
    st.caption(t("lyr.started_from", token=show_token(generation.start_token)))

def loop_sentence(loop, generation: Generation, restore: bool, why: str) -> str:
    """Where a sample's loop starts, what repeats (↵ for a line break, and what ↵ is when the text shows
    line breaks as spaces), how often (exactly when the loop ends on a whole period), and `why`:
    "greedy" (decoding's argmax), "top_1" (top-k with k = 1, the same by another name) or "sampled"
    (sampling at too low a temperature)."""
    period = generation.joiner.join(show_token(x) for x in loop.period)
    whole = float(loop.repeats).is_integer()
    said = [t("lyr.loop" if whole else "lyr.loop_about", start=loop.start + 1, period=period, tokens=loop.tokens, repeats=int(loop.repeats) if whole else loop.repeats)]
    if not restore and LINE_BREAK_MARK in period:
        said.append(t("lyr.loop_line_break"))
    said.append(t(f"lyr.loop_{why}"))
    return ("" if LANG == "zh" else " ").join(said)  # (Chinese sentences follow one another without a space)


st.subheader(t("lyr.result"))
restore = line_breaks and generation.tokenizer != "word"
# many long samples scroll in a box of their own (16 samples of 1,000 characters made a page 100,000 px
# tall, the table and the charts below it out of reach); one sample, however long, is the page's
boxed = len(generation.samples) > 1 and sum(len(sample.steps) for sample in generation.samples) > BOXED_CHARACTERS
if boxed:
    st.caption(t("lyr.samples_scroll", n=len(generation.samples)))
# (on a phone half its screen: a 640 px box in an 844 px screen caught every swipe, the table and charts
# below out of reach but through all the samples)
samples_box = st.container(height=BOXED_HEIGHT_PHONE if on_phone() else BOXED_HEIGHT, key="lyr_samples_box") if boxed else st.container()
for sample in generation.samples:
    if len(generation.samples) > 1:
        samples_box.markdown(f"**{t('lyr.sample_n', n=sample.index + 1)}**")
    loop = trailing_loop(sample.tokens)
    if loop is not None:  # greedy decoding's classic end: said above the text (below 400 line breaks, nobody read it), and why
        settings = request["settings"]
        top_1 = settings.get("strategy") == "top_k" and int(settings.get("top_k") or 0) == 1  # (greedy by another name: "raise the temperature" changed nothing)
        samples_box.info(loop_sentence(loop, generation, restore, "top_1" if top_1 else "greedy" if settings.get("strategy") == "greedy" else "sampled"))
    samples_box.markdown(coloured_text_html(generation.prefix_tokens, sample.steps, generation.joiner, restore, tr("lyr.top_candidates", LANG)), unsafe_allow_html=True)
    samples_box.caption(t("lyr.sample_stats", perplexity=sample.perplexity, mean=sample.mean_probability) + ("" if len(generation.samples) > 1 else t("lyr.seconds", seconds=generation.seconds)))
    if sample.perplexity > generator.vocab_size:  # (4,829 read under "a uniform guess is the vocabulary size, 2,493" without a word: a learner)
        samples_box.caption(t("lyr.sample_above_vocab", vocab=generator.vocab_size))
if len(generation.samples) > 1:  # the time is the whole batch's (each sample's caption repeated it as its own)
    st.caption(t("lyr.batch_seconds", n=len(generation.samples), seconds=generation.seconds))
st.markdown(legend_html([t("lyr.legend_0"), t("lyr.legend_1"), t("lyr.legend_2"), t("lyr.legend_3")]), unsafe_allow_html=True)
st.caption(t("lyr.colour_explain"))

# ---------------------------------------------------------------- every step's candidates
def steps_columns() -> dict:
    """The steps table's columns (`core.generate.steps_table`): the step pinned, step and token narrow."""
    return {
        t("col.step"): st.column_config.NumberColumn(t("col.step"), width=STEP_WIDTH, pinned=True),
        t("col.token"): st.column_config.TextColumn(t("col.token"), width=STEP_WIDTH),
        t("col.probability"): st.column_config.ProgressColumn(t("col.probability"), min_value=0.0, max_value=1.0, format="%.3f", width=PROBABILITY_WIDTH),
    }



st.subheader(t("lyr.candidates"))
index = 0
if len(generation.samples) > 1:
    index = int(st.selectbox(t("lyr.which_sample"), range(len(generation.samples)), format_func=lambda i: tr("lyr.sample_n", LANG, n=i + 1), key="lyr_sample"))
sample = generation.samples[index]
table = steps_table(sample)
# on a phone (358 px) the table scrolls sideways: the step stays at the left (pinned) beside each candidate,
# and the step, token and probability columns are narrow (at their default widths they filled two thirds
# of the screen, and half of a second candidate showed; a pinned token was drawn grey, so it is not pinned)
sideways_hint()  # (nothing showed that it scrolls: no scroll bar on a touch screen until it is touched)
st.dataframe(localise_columns(table), hide_index=True, height=280, column_config=steps_columns())
if len(sample.steps) > 1:
    step_no = st.slider(t("lyr.step"), 1, len(sample.steps), 1, key="lyr_step")
else:
    step_no = 1
step = sample.steps[step_no - 1]
st.plotly_chart(figures.candidates_plot([(c.token, c.probability) for c in step.top], step.token, LANG, step.probability), key="lyr_candidates_chart")
st.caption(t("lyr.step_explain", step=step_no, token=show_token(step.token), p=step.probability))

# ---------------------------------------------------------------- inside the network
st.divider()
st.subheader(t("lyr.inside"))
# (the second sentence is the cell's own: a SimpleRNN's said "the LSTM's memory c and the gates are recomputed")
st.caption(t("lyr.inside_explain") + ("" if LANG == "zh" else " ") + t(f"lyr.inside_explain_{generator.cell}"))
ids = generator.sample_ids(generation, index)
try:
    trace = generator.trace(ids)
except RnnLabError as exc:
    show_error(exc)
    stop_page()
layer_names = [layer.name for layer in trace.layers]
c1, c2 = st.columns(2)
layer_name = c1.selectbox(t("lyr.layer"), layer_names, key="lyr_layer") if len(layer_names) > 1 else layer_names[0]
layer = trace.layer(layer_name)
quantities = [q for q in QUANTITY_ORDER if q in layer.quantities()]
quantity = c2.selectbox(t("lyr.quantity"), quantities, format_func=lambda q: tr(f"fig.quantity_{q}", LANG), key="lyr_quantity")
def units_key(name: str) -> str:
    """The unit picker's key: one per model and layer, so that each model keeps its own choice
    (every model has an "rnn_1", with its own number of units)."""
    return f"lyr_units_{chosen}_{name}"


unit_key = units_key(layer_name)
default_units = list(range(min(16, layer.units)))
# empty is never kept: a heatmap of no units shows nothing, and the browser itself sent an empty choice
# after a switch of model while a generation ran (seen in Chromium: 16 units, then [] with no click);
# clearing the picker therefore goes back to the first units
if not st.session_state.get(unit_key) or any(u >= layer.units for u in st.session_state[unit_key]):
    st.session_state[unit_key] = default_units
units = st.multiselect(t("lyr.units"), list(range(layer.units)), key=unit_key, placeholder=t("ui.choose"), select_all=select_all())
marks = st.session_state.get("lyr_marks", []) if st.session_state.get("lyr_marks_for") == json.dumps(ids) else []
steps = len(trace.tokens)
low, high = 0, steps
if steps > WINDOW:  # a readable window of the text: one character per column
    low, high = st.slider(t("lyr.window"), 0, steps, (0, WINDOW), key=f"lyr_window_{steps}", help=t("lyr.window_help"))
    high = max(high, low + 1)
values = layer.quantities()[quantity][low:high]
shown_marks = [m for m in marks if low <= m < high]
st.plotly_chart(figures.state_heatmap(values, trace.tokens[low:high], sorted(units), quantity, layer_name, LANG, shown_marks, offset=low), key="lyr_heatmap")
if generator.cell == "lstm":
    st.caption(t("lyr.lstm_equations"))
elif generator.cell == "gru":
    st.caption(t("lyr.gru_equations"))
else:
    st.caption(t("lyr.rnn_equations"))

st.markdown(f"**{t('lyr.finder')}**")
st.caption(t("lyr.finder_explain", mark=LINE_BREAK_MARK))
c1, c2 = st.columns([1, 2])
pattern_typed = c1.text_input(t("lyr.pattern"), LINE_BREAK_MARK, key="lyr_pattern", max_chars=20)
pattern = pattern_typed.replace(LINE_BREAK_MARK, " ")
found = units_reacting_to(trace, pattern, quantity=quantity, top=10)
if not pattern:
    st.info(t("lyr.pattern_empty"))
elif not found.positions:
    st.info(t("lyr.pattern_absent", markdown=True, pattern=pattern_typed))
elif found.table.empty:
    st.info(t("lyr.pattern_everywhere", markdown=True, pattern=pattern_typed))
else:
    st.caption(t("lyr.pattern_found", markdown=True, n=len(found.positions), pattern=pattern_typed))
    three = {t(f"col.{c}"): st.column_config.NumberColumn(format="%.3f") for c in ("mean_at_pattern", "mean_elsewhere", "score")}  # one precision, not 0.12 beside 0.1234
    sideways_hint()
    st.dataframe(localise_columns(found.table.drop(columns=["matches"])), hide_index=True, column_config=three)
    best = found.table.head(3)
    series = {f"{row.layer} · {row.unit}": trace.layer(row.layer).quantities()[quantity][:, int(row.unit)] for row in best.itertuples()}
    st.plotly_chart(figures.unit_trace_plot(series, trace.tokens, found.positions, quantity, LANG), key="lyr_unit_trace")

    def show_found() -> None:
        top_layer = found.table["layer"].iloc[0]
        st.session_state["lyr_layer"] = top_layer
        st.session_state[units_key(top_layer)] = sorted(int(u) for u in found.table.loc[found.table["layer"] == top_layer, "unit"])
        st.session_state["lyr_marks"] = found.positions
        st.session_state["lyr_marks_for"] = json.dumps(ids)

    st.button(t("lyr.show_found"), key="lyr_show_found", on_click=show_found)

# ---------------------------------------------------------------- side by side
st.divider()
st.subheader(t("lyr.side_by_side"))
st.caption(t("lyr.side_explain"))


def default_comparison() -> list[str]:
    """One model per cell type (SimpleRNN, GRU, LSTM), shipped ones first, the chosen one excluded."""
    picked, cells = [], set()
    for label in labels:
        if label == chosen:
            continue
        try:
            cell = json.loads((folders[label] / "config.json").read_text(encoding="utf-8")).get("model", {}).get("cell")
        except (OSError, ValueError):
            continue
        if cell not in cells and cell != generator.cell:
            picked.append(label)
            cells.add(cell)
    return picked[:2]


others = [x for x in labels if x != chosen]
if not others:
    st.info(t("lyr.no_others"))
else:
    if "lyr_compare" not in st.session_state:
        st.session_state["lyr_compare"] = default_comparison()
    drop_gone_choices("lyr_compare", others)  # a run deleted meanwhile, or the model now chosen above
    compared = st.multiselect(t("lyr.compare_with"), others, key="lyr_compare", max_selections=4, placeholder=t("ui.choose"), select_all=select_all(), format_func=names.get)
    if compared:
        one = dict(request, n_samples=1, weights="auto")  # the other models: their best epoch
        columns = st.columns(len(compared) + 1)
        for place, (column, label) in enumerate(zip(columns, [chosen] + compared)):
            with column:
                other = generator if label == chosen else load(folders[label])
                if other is None:
                    continue
                st.markdown(f"**{figures.CELL_LABELS.get(other.cell, '?')}** · `{label}`")
                if label == chosen:  # its first sample, or the same request of one sample with its weights
                    result = generation if request["n_samples"] == 1 else run_request(folders[label], dict(one, weights=weights), generator, place=5)
                else:
                    result = run_request(folders[label], one, other, place=place)
                if result is None:
                    continue
                first = result.samples[0]
                st.markdown(coloured_text_html(result.prefix_tokens, first.steps, result.joiner, line_breaks and result.tokenizer != "word", tr("lyr.top_candidates", LANG)), unsafe_allow_html=True)
                st.caption(t("lyr.sample_stats", perplexity=first.perplexity, mean=first.mean_probability, seconds=result.seconds))
