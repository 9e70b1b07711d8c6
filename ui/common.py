"""What every page needs: the current language, translated text, shared cached data, errors."""

from __future__ import annotations

import hashlib
import logging
import math
import re
import threading
from pathlib import Path
from typing import Any, Callable, Hashable

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import figures
from core.errors import RnnLabError
from core.i18n import DEFAULT_LANG, LANG_LABELS, LANGS, tr
from ui import heap

log = logging.getLogger("rnnlab")
heap.install()


_RUN = threading.local()  # the language of the script run on this thread, set by render_sidebar


def lang() -> str:
    """The language this browser session chose in the sidebar (Chinese by default)."""
    value = getattr(_RUN, "lang", None)  # (a page asks hundreds of times per run: no Session State lookup each time)
    if value is None:
        value = st.session_state.get("ui_lang", DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def t(key: str, markdown: bool = False, **params) -> str:
    """`key` in the session's language; ``markdown=True`` when the text goes to a Markdown
    element and a value may come from a user or an exception (`core.i18n.tr` escapes them)."""
    return tr(key, lang(), markdown=markdown, **params)


def on_phone() -> bool:
    """Whether the browser says it is a phone ("Mobi" in its User-Agent, as MDN advises): a chart
    whose labels are placed in pixels (the word map) is laid out for a phone's width, and the
    language switch heads the page (the sidebar starts closed). Streamlit does not tell a page
    its width; a phone that does not say so gets the wide layout."""
    return "Mobi" in _user_agent()


def _user_agent() -> str:
    """The browser's User-Agent; "" without request headers (AppTest, a bare script: neither a phone nor a tablet)."""
    try:
        return st.context.headers.get("User-Agent") or ""
    except Exception:  # noqa: BLE001
        return ""


def select_all() -> int | bool:
    """A multiselect's `select_all`: Streamlit's own "Select all" entry (English only, it cannot be
    translated) in English; none on the Chinese page, which was otherwise Chinese throughout."""
    return 1000 if lang() == "en" else False


def on_touch_screen() -> bool:
    """A phone (`on_phone`) or a tablet by its User-Agent (Android without "Mobile", "iPad", "Tablet"):
    a screen without hover, where plotly shows its tool bar all the time."""
    agent = _user_agent()
    return any(mark in agent for mark in ("Mobi", "Android", "iPad", "Tablet"))


SUGGESTION_KEYS = frozenset({"emb.unknown_word", "emb.unknown_word_none", "emb.unknown_words", "emb.unknown_words_none"})
"""Errors that are a typed word the vocabulary lacks: shown as a warning (`show_error`)."""


# messages that name the host's settings (environment variables, the command line) -> their words for
# a student on a class server, who can change neither: "(RNNLAB_MAX_EPOCHS, its default…) The command
# line, python -m core.train, is not held to these caps" spoke to the teacher
FOR_STUDENTS = {"hosting.cap": "hosting.cap_class", "hosting.no_time_limit": "hosting.no_time_limit_class", "hosting.uploads_off": "hosting.uploads_off_class",
                "train.time_limit_help": "train.time_limit_help_class", "preset.t4_longer": "preset.t4_longer_class",
                # the operator's command and the server's own folder: the IMDB word index and the full file
                **{key: f"{key}_class" for key in ("train.imdb_full_hint", "train.imdb_no_word_index", "sent.no_word_index", "data.imdb_no_word_index", "predict.no_word_index")}}


def hosts_words(key: str) -> str:
    """`key`, or its words for a student (`FOR_STUDENTS`) on a class server: an instance with an admin
    token, in a session not signed in as its admin. A server without one is its user's own machine."""
    from core.hosting import settings

    if key in FOR_STUDENTS and settings().admin_token and not is_admin():
        return FOR_STUDENTS[key]
    return key


def notice_text(notice) -> str:
    """A loaded data set's notice (`core.datasets.Notice`) in the page's language, in a student's
    words on a class server (`hosts_words`)."""
    return t(hosts_words(notice.key), **notice.params)


def show_error(exc: Exception) -> None:
    """A sentence for the user; the trace goes to the log. The error's values (a file name,
    a column, typed text, an exception's words) are shown as text, not read as Markdown."""
    if isinstance(exc, RnnLabError) and hosts_words(exc.key) != exc.key:
        exc = RnnLabError(hosts_words(exc.key), **exc.params)
    if isinstance(exc, RnnLabError):
        # a word the vectors lack, with close spellings: a yellow suggestion, not a red failure
        (st.warning if exc.key in SUGGESTION_KEYS else st.error)(exc.message(lang(), markdown=True))
    else:
        log.exception("unexpected error")
        st.error(t("error.generic", markdown=True, reason=str(exc)))


def kept_tabs(key: str, label_keys: list[str]) -> list:
    """`st.tabs` labelled by these i18n keys, whose chosen tab the server keeps (`key`).

    Streamlit's plain tabs live in the browser only: when a rerun draws them anew (another data
    set or tokeniser, a job that finished, a message above them) the browser shows the first
    tab again, and a tab clicked while the page was still being redrawn was lost. Tracked tabs
    (`on_change="rerun"`: a click reruns the page) keep the choice in Session State. It is also
    kept here under another name, as the tab's i18n key, so that it survives a visit to another
    page (where the widget is not drawn and Streamlit forgets it), a language switch (the same
    tab under its label in the new language) and a view that lacks the tab (the Samplers tab
    of a corpus, while a data set without one shows its first tab: going back to a corpus shows
    Samplers again). The choice is in the URL too (`?tab=runs`, `TAB_PARAM`): a reload, or a
    link shared with a class, opens it. Each tab's `.open` says whether it is the one shown, so a page can skip
    costly work in the others; their widgets must still be drawn in every run, or Streamlit
    forgets their values too.
    """
    labels = [t(k) for k in label_keys]
    kept, fallback = f"_{key}_kept", f"_{key}_fallback"
    shown = st.session_state.get(key)  # as the last run drew it, or as a click in the browser set it
    chosen = st.session_state.pop(f"_{key}_switch", None)  # asked for by `switch_tab` in the run before
    if chosen is None:
        # a tab of this view that the user chose, not the first tab shown in place of a missing one
        clicked = shown in labels and shown != st.session_state.get(fallback)
        chosen = label_keys[labels.index(shown)] if clicked else st.session_state.get(kept)
    if chosen is None:  # a new session (a reload, a shared link): the tab the URL names, if any
        chosen = next((k for k in label_keys if tab_slug(k) == st.query_params.get(TAB_PARAM)), None)
    if chosen in label_keys:
        st.session_state[key] = t(chosen)
        st.session_state[kept] = chosen
        st.session_state.pop(fallback, None)
    else:  # nothing chosen yet, or a tab this view lacks: the first tab, the choice still kept
        st.session_state.pop(key, None)
        st.session_state[fallback] = labels[0]
    put_url(TAB_PARAM, tab_slug(st.session_state[kept]) if st.session_state.get(kept) else None)
    return st.tabs(labels, key=key, on_change="rerun")


def url_index(param: str, options, default: int = 0, say_missing: bool = True, key: str | None = None, label: Callable[[Any], str] = str, fixed: bool = False,
              missing_words: Callable[[str, Any], str] | None = None) -> int:
    """The index of the option the URL names (`?model=shipped/sentiment_gru`), else `default`:
    what a selectbox starts on, so that a reload, a link shared with a class or a link from
    another page (the Training page's "play with this model") opens that choice. The index
    counts only when the widget is new (Streamlit keeps a keyed widget's value); the page writes
    its choice back with `put_url(param, chosen)`. Options are names in no language
    (run ids, data set names); an unknown name gives the default, and the page says so (a model
    deleted while a student used it was replaced by the first one without a word), unless
    `say_missing` is off: a setting whose options differ between the page's choices (a tokeniser
    the next data set does not offer) falls back silently.

    With the selectbox's `key`, the page goes on saying so while the selectbox still shows the
    option put in the missing one's place, on this page: the first run writes that option into
    the address, so without a memory the message left with the next run, which a background
    job's end can start a second later (a data set read on a server's first request).

    `label` names the option shown instead in the message, where its name means nothing to a
    reader ("custom", a run id). `missing_words(name, shown option)`: the page's own sentence for a
    missing name when it knows why (`model_missing_words`), said and remembered as the default one.

    `fixed` options are a setting's own (a sampling strategy), which never come and go: a name
    that is none of them is a link's value the page cannot use, said as `url_number` says one
    (a Lyrics link's strategy=weird gave greedy without a word)."""
    wanted = st.query_params.get(param)
    shown = options[default] if options else "—"
    if fixed:
        if wanted is not None and wanted not in options:
            _say_ignored(param, wanted, shown, label(shown), key)
        else:
            _still_ignored(param, wanted, key)
        return options.index(wanted) if wanted in options else default
    missing = url_memory()

    def words(name: str, replaced_by) -> str:  # (the name is the URL's, anyone's words)
        return missing_words(name, replaced_by) if missing_words else t("ui.url_choice_missing", markdown=True, name=name, shown=label(replaced_by))

    if say_missing and wanted and wanted not in options:
        if key is not None:
            missing[key] = (wanted, shown)
        st.warning(words(wanted, shown))
    elif key in missing:
        name, replaced_by = missing[key]
        if (wanted is None or wanted == replaced_by) and st.session_state.get(key, replaced_by) == replaced_by:
            st.warning(words(name, replaced_by))
        else:  # chosen since, or a new link that names a known option
            del missing[key]
    return options.index(wanted) if wanted in options else default


PLAYGROUND_OF = {"sentiment": "nav.sentiment", "language_model": "nav.lyrics"}


def model_missing_words(task: str, label: Callable[[Any], str] = str) -> Callable[[str, Any], str]:
    """A playground's `url_index` words for an address's model (``?model=``) that is not among its
    models: a run of this server of the other task (played with on the other playground), or one
    without a saved model yet, said for what it is; else "not here any more (deleted, perhaps)",
    the shown option by its id. Both of the first read that for a run the Training page listed (an
    exploratory teacher). `label` names the option shown instead in the first two."""
    from core.runs import RunStore

    def words(name: str, shown) -> str:
        try:
            run = RunStore().run(name)
            config = run.config() if run.config_path.exists() else None
        except Exception:  # noqa: BLE001 - not a run id of this server
            config = None
        if config is not None:
            other = config.get("task")
            if other != task and other in PLAYGROUND_OF:
                return t("ui.model_other_task", markdown=True, name=name, page=t(PLAYGROUND_OF[other]), shown=label(shown))
            if not (run.best_model_path.exists() or run.last_model_path.exists()):
                return t("ui.model_not_saved", markdown=True, name=name, shown=label(shown))
        return t("ui.url_choice_missing", markdown=True, name=name, shown=shown)

    return words


def replace_gone_choice(key: str, options: list, fallback: Any) -> Any:
    """A keyed selectbox whose value has left its options (a run deleted by this session or
    another): its value becomes `fallback`, and the value gone is returned (None when it is still
    there) for the page to say so. Assigned, not dropped: Streamlit keeps a keyed widget's
    identity across reruns, and its browser side went on showing the value gone (the Training
    page's "Run to show" named the deleted run while its panel showed the newest) unless the
    value is set from the script."""
    if key not in st.session_state or st.session_state[key] in options:
        return None
    gone = st.session_state[key]
    if options:
        st.session_state[key] = fallback
    else:
        del st.session_state[key]
    return gone


def drop_gone_choices(key: str, options: list) -> list:
    """`replace_gone_choice` for a keyed multiselect: the values that have left its options are
    taken out of it (and returned), so that its browser side stops showing them."""
    chosen = st.session_state.get(key)
    if not isinstance(chosen, list):
        return []
    gone = [x for x in chosen if x not in options]
    if gone:
        st.session_state[key] = [x for x in chosen if x in options]
    return gone


def url_memory() -> dict:
    """What a page remembers of the address it was opened with, until another page opens
    (`settle_url` drops it): `url_index`'s missing choices, and a page's own (the Sentiment
    page's compared models that a link named and that are gone)."""
    return st.session_state.setdefault(_URL_MISSING, {})


def choices_from_url(key: str, param: str, options: list, leave_out=()) -> None:
    """Before the keyed multiselect `key` is drawn: a new session whose address names its choices
    (`?<param>=a,b`: a reload, a shared link) starts with those still among `options` (less
    `leave_out`); the others are remembered for `url_choices_gone` to say."""
    if key in st.session_state or not st.query_params.get(param):
        return
    asked = [x for x in dict.fromkeys(st.query_params[param].split(",")) if x and x not in leave_out]
    st.session_state[key] = [x for x in asked if x in options]
    url_memory()[f"{key}_gone"] = ([x for x in asked if x not in options], st.session_state[key])


def url_choices_gone(key: str, chosen: list) -> list:
    """The link's choices for the multiselect `key` that were not there (`choices_from_url`), while
    it still holds what the link left; once the user changes it, none (and forgotten)."""
    gone, left = url_memory().get(f"{key}_gone") or ([], None)
    if gone and chosen == left:
        return gone
    url_memory().pop(f"{key}_gone", None)
    return []


_URL_MISSING = "_rnnlab_url_missing"
"""url_index's memory: selectbox key -> (the URL's unknown name, the option shown instead),
forgotten when the selectbox changes or another page opens (`settle_url`)."""


def url_number(param: str, default, low, high, kind=int, clamp: bool = False, key: str | None = None):
    """The URL's number for `param` (`?seed=3`) when it is a `kind` within [low, high]; else
    `default` (nothing there, not a number), or with `clamp` the nearest bound (out of range).
    A value the page cannot use is said, with what is used instead (a link's length=5000 gave
    100 characters without a word, where an unknown model is said). With the widget's `key`, the
    message stays while the widget holds the value used instead (`_still_ignored`).

    The address is a link's only while the widget `key` is new (a new session, a link, another
    page): once drawn, the page writes the widget's value there itself, a number typed out of range
    included, which the next run said as "the link's samples=0 cannot be used" (a learner who had
    typed it; the box's own message had said so already)."""
    raw = st.query_params.get(param)
    if raw is None or (key is not None and key in st.session_state):
        _still_ignored(param, raw, key)
        return default
    try:
        value = kind(raw)
    except (TypeError, ValueError):
        value = None
    if value is not None and low <= value <= high:
        _still_ignored(param, raw, key)
        return value
    value = min(max(low, value), high) if value is not None and clamp else default
    _say_ignored(param, raw, value, f"{value:g}" if isinstance(value, float) else value, key)
    return value


def whole_number(container, label: str, low: int, high: int, *, key: str, value: int | str = "min", step: int = 1, help: str | None = None) -> int:
    """A whole-number box whose value is kept within [low, high] by the page, not by Streamlit:
    Streamlit's own bounds refused a number out of range with an English tooltip ("Number is
    outside the allowed range") and went on with the old value, the box showing the new one in red
    (a Chinese learner). Out of range, the nearest bound is used and shown in the box, and the
    page says so once, in its language."""
    typed = st.session_state.get(key)
    said = None
    if isinstance(typed, (int, float)) and not low <= typed <= high:
        used = int(min(max(typed, low), high))
        st.session_state[key] = used
        value = "min"  # (set just now: a default beside it makes Streamlit warn that the widget has two)
        said = t("ui.number_clamped", label=label, typed=f"{typed:,}", low=f"{low:,}", high=f"{high:,}", used=f"{used:,}")
    number = container.number_input(label, min_value=None, max_value=None, value=value, step=step, key=key, help=help)
    if said:
        container.warning(said)
    return int(min(max(int(number), low), high))


def _say_ignored(param: str, raw: str, used, shown, key: str | None) -> None:
    """Say that the link's `param`=`raw` cannot be used and `used` is; with the widget's `key`,
    remembered (`url_memory`) to be said again while the widget holds `used` (`_still_ignored`)."""
    st.warning(t("ui.url_value_ignored", markdown=True, name=param, value=raw, used=shown))
    if key is not None:
        url_memory()[f"value:{param}"] = (raw, used, shown)


def _still_ignored(param: str, raw: str | None, key: str | None) -> None:
    """A link's value said unusable on an earlier run of this page: said again while the widget
    `key` holds what was used instead and the address holds that or nothing (the page writes its
    settings back). The page writes the used value into the address, so the message left with the
    next run: a Lyrics link's length=5000&generated=1 said it until the text came, a second later,
    and six bad values of one link were all gone by the time anyone read them. Forgotten once the
    user changes the widget."""
    memory = url_memory()
    slot = f"value:{param}"
    if key is None or slot not in memory:
        return
    wanted, used, shown = memory[slot]
    if (raw is None or raw == str(used) or (isinstance(used, float) and raw == f"{used:g}")) and st.session_state.get(key, used) == used:
        st.warning(t("ui.url_value_ignored", markdown=True, name=param, value=wanted, used=shown))
    else:
        memory.pop(slot, None)


def put_url(param: str, value, default=None) -> None:
    """Write a page's setting into the URL (a float as "%g"), or take it out when it is None or
    at its `default`, so that the address holds what differs from what the page opens with.

    In the first run on a page (`settle_url`) the writes wait for `flush_url` at the end of
    the run, so that they reach the browser after the page's own address: the browser gives a
    change of the address to the page it shows when the change arrives, and written at once,
    the first run of a page wrote its settings into the address of the page the user had just
    left (the Lyrics page's ?model= into the Sentiment page's entry), which Back then opened. A
    page that ends early calls `stop_page`, not `st.stop()`. Later runs on the same page, a page
    run on its own (`run_via_entrypoint`) and a fragment's own run write at once."""
    pending = _url_pending()
    pending[param] = None if value is None or value == default else (f"{value:g}" if isinstance(value, float) else str(value))
    ctx = get_script_run_ctx()
    if not getattr(_RUN, "defer_url", False) or (ctx is not None and ctx.fragment_ids_this_run):
        flush_url()


def _url_pending() -> dict:
    pending = getattr(_RUN, "url", None)
    if pending is None:
        pending = _RUN.url = {}
    return pending


def defer_url() -> None:
    """streamlit_app.py, before anything else: this run's `put_url` writes wait, until
    `settle_url` knows which page the run shows."""
    _RUN.url = {}
    _RUN.defer_url = True
    _RUN.page = None  # known once st.navigation has chosen (`settle_url`)


_LAST_PAGE = "_rnnlab_last_page"


def settle_url(page: str) -> None:
    """streamlit_app.py, once st.navigation has chosen `page` (its url path): when the session's
    last full run showed the same page, the writes so far go out now and later ones at once, so
    that a setting changed on a page (a language switch) is in the address as soon as the run
    gets that far, even when the run is then cut short by the next click; when the run shows
    another page, or is the session's first, they wait for the end of the run (`put_url`)."""
    moved = st.session_state.get(_LAST_PAGE) != page
    st.session_state[_LAST_PAGE] = page
    _RUN.page = page  # (`remember_page`)
    if moved:  # a missing choice that url_index went on naming belongs to the page left
        st.session_state.pop(_URL_MISSING, None)
        restore_page(page)
    else:
        _RUN.defer_url = False
        flush_url()


def page_link(page: str, label: str, icon: str | None = None, query_params: dict[str, str] | None = None) -> None:
    """`st.page_link` to another page of the app, with the session's language in the address.

    A page writes `?lang=en` (`put_url`) only at the end of its first run, so a link without it
    opened the new page under an address in the default language until then: a reload in that
    moment (or a copy of the address) showed the page in Chinese to a reader who had chosen
    English. Pages call this, never `st.page_link` itself."""
    params = dict(query_params or {})
    if lang() != DEFAULT_LANG:
        params["lang"] = lang()
    st.page_link(page, label=label, icon=icon, query_params=params or None)


def stop_page() -> None:
    """`st.stop()` for a page: its settings go into the address first (after st.stop() the run
    sends nothing more, so `flush_url` in streamlit_app.py could not)."""
    flush_url()
    remember_page(None)  # the page's end, as it chose to end it
    st.stop()


def flush_url() -> None:
    """Send the `put_url` writes not yet sent to the browser as one change of the address, if
    they change it (streamlit_app.py calls this when the page's script ends, however it ends)."""
    current = st.query_params.to_dict()
    wanted = _address_with_pending()
    _RUN.url = {}
    if wanted != current or st.session_state.get(_URL_UNSENT):
        # A run that is being stopped or rerun may refuse to send (its next message raises
        # StopException or RerunException again) after the server has taken the new address:
        # the next run sends it again, although the server sees nothing to change.
        st.session_state[_URL_UNSENT] = True
        st.query_params.from_dict(wanted)
        st.session_state[_URL_UNSENT] = False


def _address_with_pending() -> dict[str, str]:
    """The address as this run's `put_url` writes not yet sent will make it (None takes a parameter out)."""
    address = st.query_params.to_dict()
    for param, value in _url_pending().items():
        if value is None:
            address.pop(param, None)
        else:
            address[param] = value
    return address


_URL_UNSENT = "_rnnlab_url_unsent"


TAB_PARAM = "tab"
"""The URL parameter that names a page's chosen tab (`?tab=runs`), so that a reload or a link
shared with the class opens that tab; it holds the tab's name in no language (Streamlit's own
`bind="query-params"` holds the label, which a language switch changes)."""


def tab_slug(label_key: str) -> str:
    """A tab's name in the URL: its i18n key's last part ("train.tab_runs" -> "runs")."""
    return label_key.rsplit(".", 1)[-1].removeprefix("tab_")


def switch_tab(key: str, label_key: str) -> None:
    """Show this tab of `kept_tabs(key, ...)` from the next run on (e.g. after a button in
    another tab; the caller then calls `st.rerun()`). A drawn widget's value cannot be set
    in the run that drew it, so the wish waits in Session State until `kept_tabs` reads it."""
    st.session_state[f"_{key}_switch"] = label_key


def once_per_session(slot: str, key: Hashable, build: Callable[[], Any], still_good: Callable[[Any], bool] = lambda value: True) -> Any:
    """`build()` once per `key` in this session: its value, or the `RnnLabError` it raised (kept
    too, so a refused file is not read again on every rerun either). One Session State entry
    (`slot`) holds the latest key only: uploads can be large. A kept value for which
    `still_good(value)` is false (e.g. a stored file that went away) is built again.
    """
    kept = st.session_state.get(slot)
    if kept is None or kept[0] != key or (not isinstance(kept[1], RnnLabError) and not still_good(kept[1])):
        try:
            kept = (key, build())
        except RnnLabError as exc:
            kept = (key, exc)
        st.session_state[slot] = kept
    return kept[1]


def model_card(folder: Path) -> None:
    """A model's card (the shipped models have one: data, results, how to reproduce) in an
    expander, its headings put under the page's; nothing for a run without one.

    The card in the page's language (`core.shipped.CARD_NAMES`: MODEL_CARD.zh.md in Chinese);
    a folder with only MODEL_CARD.md (a run card written by an older version, or by hand) shows
    that one, under a line that says it is in English."""
    from core.shipped import CARD_NAMES

    english = folder / CARD_NAMES["en"]
    own = folder / CARD_NAMES.get(lang(), CARD_NAMES["en"])
    card = own if own.is_file() else english
    if not card.is_file():
        return
    text = re.sub(r"<!--.*?-->", "", card.read_text(encoding="utf-8"), flags=re.S)  # committed text; its generator note is an HTML comment
    with st.expander(t("ui.model_card")):
        if card != own:
            st.caption(t("ui.model_card_english_only"))
        st.markdown(re.sub(r"^(#{1,3}) ", lambda m: "#" * (len(m.group(1)) + 3) + " ", text, flags=re.M))


class KeptUpload:
    """A file uploaded on a page the session left and came back to (`kept_file_uploader`): what
    pages use of Streamlit's UploadedFile, its name and its bytes."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self._data = data

    def getvalue(self) -> bytes:
        return self._data


def kept_file_uploader(label: str, key: str, **kwargs):
    """`st.file_uploader` whose file stays with the page: Streamlit empties an uploader once another
    page runs, so a file uploaded on the Data page (or a CSV scored on the Sentiment page) was gone
    after a visit elsewhere, back or from the sidebar, where every other setting comes back
    (`remember_page`). The file's bytes are kept in the session when it is uploaded and dropped
    when the user removes it (the uploader's own ✕); an uploader found empty with a file kept
    gives that file, said under it, with a button to let it go."""
    kept_key = f"_rnnlab_kept_{key}"

    def changed() -> None:
        value = st.session_state.get(key)
        if value is None:
            st.session_state.pop(kept_key, None)
        else:
            st.session_state[kept_key] = (value.name, value.getvalue())

    upload = st.file_uploader(label, key=key, on_change=changed, **kwargs)
    if upload is not None:
        return upload
    kept = st.session_state.get(kept_key)
    if kept is None:
        return None
    note, forget = st.columns([4, 1], vertical_alignment="center")
    size = len(kept[1])
    note.caption(t("ui.upload_kept", name=kept[0], size=f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1e3))} KB"))
    if forget.button(t("ui.upload_forget"), key=f"{key}_forget"):
        st.session_state.pop(kept_key, None)
        st.rerun()
    return KeptUpload(*kept)


def sideways_hint() -> None:
    """Above a table wider than a phone: that it scrolls sideways, which nothing showed (the run list
    showed its run ids alone, the Sentiment side-by-side table cut P(positive) at its edge, and no
    scroll bar appears on a touch screen until the table is touched). Nothing on a wide screen."""
    if on_phone():
        st.caption(t("ui.table_sideways"))


def still_training_note(folder: Path) -> None:
    """A playground's word on a run that is still training (a student opening a classmate's run,
    or their own from the Training page's link): which epoch it is in, and that the page uses the
    weights saved so far (the caption's "epoch 1 (of 9 trained)" read as a finished run's). The
    page loads newer weights when the run saves them (the loaders are keyed on the files' stamps)."""
    from core.runs import ACTIVE_STATES, RunDir, RunStore, epoch_in_progress

    run = RunDir(folder)
    status = RunStore().refresh(run)  # (a run whose process died is interrupted, not training)
    if status.get("state") not in ACTIVE_STATES:
        return
    if status.get("state") == "queued":
        st.info(t("ui.still_queued"))
    else:
        config = run.config()
        st.info(t("ui.still_training", epoch=epoch_in_progress(status, config), epochs=config.get("epochs", "?")))


def dataset_title(name: str | None) -> str:
    """A data set's name as the pages show it, in the page's language (`core.train.dataset_title`)."""
    from core.train import dataset_title as title

    return title(name, lang())


def model_names(choices: list[tuple[str, Path]]) -> dict[str, str]:
    """Each model of a playground's menu as the Training page's run picker names a run (`run_name`):
    its name (a shipped model's, or a run id: a time, a preset, a random tail), then its data set and
    cell (the Lyrics menu listed bare run ids, which say neither). Settings that never change, so an
    option's label stays the same across reruns."""
    from core.runs import RunDir

    names = {}
    for label, folder in choices:
        config = RunDir(folder).config()
        model = config.get("model") or {}
        names[label] = run_name(label, config.get("dataset"), model.get("cell"), bool(model.get("bidirectional")))
    return names


def run_name(label: str, dataset: str | None, cell: str | None, bidirectional: bool) -> str:
    """A run (or a shipped model) as every picker names it: "<id> · <data set> · <cell>", the data
    set in the page's language ("20261204-…-90a250 · Jay Chou lyrics · GRU"). On a phone the cell and
    data set come first ("GRU · Jay Chou lyrics · 20261204-153012-…"): a 48-character run id took the
    whole width of a phone's menu, which cut what the run is off behind it; its start, the time, still shows."""
    what = (figures.cell_name(cell, bidirectional), dataset_title(dataset) if dataset else "?")
    return " · ".join((*what, label) if on_phone() else (label, *what[::-1]))


def localise_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names through the translation table (`col.<name>`), for display only."""
    return frame.rename(columns={c: t(f"col.{c}") for c in frame.columns if f"col.{c}" != t(f"col.{c}")})


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_ENTRY = threading.local()
FULL_RUN = "_rnnlab_full_run"  # Session State: how many full script runs this session has made


def full_run() -> int:
    """The number of this session's latest full script run (`render_sidebar` counts them)."""
    return int(st.session_state.get(FULL_RUN, 0))


def leave_if_left_behind(drawn_in: int) -> None:
    """First thing in a fragment that reruns itself (`st.fragment(run_every=...)`), given the
    `full_run()` that drew it: when a newer full run has replaced the page, rerun the whole page
    instead of drawing.

    Why: a full run that ends with `st.stop()` leaves the fragments of the run before registered
    in Streamlit (1.67 forgets them only after a script that runs to its end), and a poll of the
    old fragment that reaches the server during the new run is run after it. It then drew its
    progress bar at its old place, over what the new page had put there, and went on polling:
    seen on the Data page, where switching to a data set that is not on this machine mid-job left
    the first data set's tokenising bar where the "not on this machine" warning belongs
    (tests/e2e/test_stale_poll_browser.py races it). The full rerun draws the current page and
    ends the old fragment's timer."""
    if drawn_in != full_run():
        st.rerun(scope="app")
    use_screen_title_width()  # a fragment's rerun may run in a thread of its own, which has the default


def use_screen_title_width() -> None:
    """Chart titles built in this thread as wide as a desktop's column allows, a touch screen's as
    narrow as a phone's (its plotly tool bar is shown all the time, over the top right of the chart:
    `_TOUCH_CSS`). Every full run sets it (`render_sidebar`), and every self-refreshing fragment
    (`leave_if_left_behind`): Streamlit may run a fragment's rerun in a new thread, whose titles
    would otherwise be wrapped narrower than the same chart's in the full run, a jump every 2 s."""
    figures.set_title_width(figures.TITLE_WIDTH if on_touch_screen() else figures.WIDE_TITLE_WIDTH)


# the widgets whose value cannot be set through Session State (buttons, uploaders, editors, chat)
_NOT_SETTABLE = frozenset({"trigger_value", "string_trigger_value", "json_trigger_value", "file_uploader_state_value", "chat_input_value", "json_value", "arrow_value", "bytes_value"})


def keep_choices_across_a_language_switch() -> None:
    """Called by the language switch's callback: every widget keeps the value it has, in the new
    language.

    Why: Streamlit (1.67) sends a choice widget's value between browser and server as its shown
    label, and every menu and radio here labels its options in the page's language (the task
    "语言模型" / "Language model"). After a switch the browser's labels matched none of the new
    ones: the radios showed nothing chosen, the menus kept the old language's text, and the
    switch back reset them to their defaults (a language-model config became a sentiment one,
    jieba became characters, top-k sampling became greedy, a t-SNE map being made became PCA).
    Each value, read here as the previous run understood it, is written back through Session
    State, which the widgets then take (in the new language) over what the browser sent."""
    # the widgets of the page the switch is made on, as its last run drew them (`remember_page`):
    # Streamlit still knows the widgets of pages left before, and written back too they came back
    # to life with their empty defaults: Back to the Sentiment page after a switch on the Lyrics
    # page found its review box empty beside the verdict for the review
    kept = st.session_state.get(_PAGE_MEMORY, {}).get(st.session_state.get(_LAST_PAGE))
    for key, value in settable_widget_values(list(kept["widgets"]) if kept else None).items():
        try:
            st.session_state[key] = value
        except Exception:  # noqa: BLE001 - a value that cannot be written back stays as Streamlit has it
            continue


def settable_widget_values(keys: Any) -> dict[str, Any]:
    """The values of the keyed widgets named by `keys` (every keyed widget Streamlit knows when
    None) that a script may set through Session State (not buttons, uploaders, tables' selections),
    the language switch left out."""
    from streamlit.runtime.state.session_state_proxy import get_session_state

    state = getattr(get_session_state(), "_state", None)  # SessionState behind the thread-safe wrapper
    mapper = getattr(state, "_key_id_mapper", None)
    widgets = getattr(getattr(state, "_new_widget_state", None), "widget_metadata", None)
    if mapper is None or widgets is None:  # pragma: no cover - another Streamlit layout: nothing kept
        log.warning("this Streamlit version hides its widgets' state: their values are not kept")
        return {}
    ids = mapper.id_key_mapping
    wanted = list(ids.values()) if keys is None else list(keys)
    by_key = {key: widget_id for widget_id, key in ids.items()}
    out: dict[str, Any] = {}
    for key in wanted:
        meta = widgets.get(by_key.get(key))
        if key == "lang" or meta is None or meta.value_type in _NOT_SETTABLE:
            continue
        try:
            out[key] = st.session_state[key]
        except Exception:  # noqa: BLE001 - a value that cannot be read is not kept
            continue
    return out


_PAGE_MEMORY = "_rnnlab_page_memory"
"""page url path -> {"address": its query parameters but the language, "widgets": key -> value}, as
the session last left the page (`remember_page`)."""


def remember_page(ended_by: BaseException | None) -> None:
    """What the page of this run (`settle_url`) holds in its widgets, and its address, so that
    coming back to it (`restore_page`) finds it as it was left: streamlit_app.py calls this when
    a run ends, `stop_page` before it stops one. Streamlit drops a page's widget values once
    another page runs: leaving the Lyrics page from the sidebar and coming back showed the first
    model, greedy and seed 0, and the Training page lost its preset and edits.

    A run that ended (`ended_by` nothing) replaces what was kept; one cut short by a rerun or an
    error adds to it, since it drew only part of the page. After `st.stop()` Session State can no
    longer be read (every access raises StopException again): `stop_page` has kept it already."""
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

    page = getattr(_RUN, "page", None)
    ctx = get_script_run_ctx()
    if page is None or ctx is None or ctx.fragment_ids_this_run or isinstance(ended_by, StopException):
        return
    try:
        memory = st.session_state.setdefault(_PAGE_MEMORY, {})
        widgets = {} if ended_by is None else dict((memory.get(page) or {}).get("widgets", {}))
        widgets.update(settable_widget_values(ctx.shared.widget_user_keys_this_run.snapshot()))
        memory[page] = {"address": _page_address(), "widgets": widgets}
    except (RerunException, StopException):  # a run being replaced: the next one keeps it
        return


def _page_address() -> dict[str, str]:
    """The page's address but the language, with this run's writes not yet sent (`put_url`)."""
    return {k: v for k, v in _address_with_pending().items() if k != "lang"}


def restore_page(page: str) -> None:
    """`settle_url`, when a run shows another page than the last: the page's widgets get back the
    values they had when the session left it (`remember_page`), when the address asks for nothing
    else: it names none of the page's settings (the sidebar's link) or the same ones as then (Back).
    A link naming other settings (a run to play with, a shared preset) opens as it says."""
    kept = st.session_state.get(_PAGE_MEMORY, {}).get(page)
    address = _page_address()
    if not kept or (address and address != kept["address"]):
        return
    for key, value in kept["widgets"].items():
        if key not in st.session_state:
            st.session_state[key] = value


LANG_COOKIE = "rnnlab_lang"


_COOKIES_SET = "_rnnlab_cookies_set"
"""The cookies this session has set in the browser (`set_cookie`; "" when deleted): name -> value."""


def _cookie(name: str) -> str | None:
    """One of the app's cookies as this browser now holds it: what this session set last
    (`set_cookie`), else what the browser sent when the session began (Streamlit reads a
    session's cookies once, from its first request)."""
    written = st.session_state.get(_COOKIES_SET, {})
    if name in written:
        return written[name]
    try:
        return st.context.cookies.get(name)
    except Exception:  # noqa: BLE001 - no request (a bare script): no cookies
        return None


def first_language(in_address: str | None, in_cookie: str | None) -> str:
    """The language a new session (a first visit, a reload, a new tab) opens in: the address's
    (`?lang=en`, a link shared with the class), else the one this browser chose last (its
    cookie, `remember_language`), else Chinese. Without the cookie, a reload right after a
    click in the page menu, before the new page's first run had written its `?lang=en`, showed
    the page in Chinese, and so did every new visit of a reader who had chosen English.
    Unknown values count as absent."""
    for wanted in (in_address, in_cookie):
        if wanted in LANGS:
            return wanted
    return DEFAULT_LANG


def remember_language(chosen: str) -> None:
    """Keep the session's language in the browser's cookie when it differs from what the browser
    has (`set_cookie`: one of `LANGS`, nothing a user typed)."""
    if chosen == first_language(None, _cookie(LANG_COOKIE)) or chosen not in LANGS:
        return
    set_cookie(LANG_COOKIE, chosen, 31536000)


WARM_UP_ENV = "RNNLAB_WARM_UP"
"""0 = no background import of TensorFlow and Keras at a server's first page (`warm_up`)."""
_WARMING = threading.Lock()  # taken by the first call and never let go: once per process


def warm_up() -> None:
    """Import TensorFlow and Keras (and the app's model code) in a background thread, once per
    server process, when its first page is drawn. On a fresh server the first visit to a page
    that builds or loads a model (Training, the playgrounds) waited 5 s for the import on an idle
    machine and 15 s on a busy one (an exploratory tester); a reader is usually still on the
    home page by the time it is done. Python's import lock makes a page that asks for Keras
    meanwhile wait for this import rather than start a second one. `bench/bench_cold.py`."""
    import os

    if os.environ.get(WARM_UP_ENV, "1") == "0" or not _WARMING.acquire(blocking=False):
        return

    def load() -> None:
        try:
            import keras  # noqa: F401

            import core.cells  # noqa: F401 - the model code's custom layers
            import core.models  # noqa: F401
        except Exception:  # noqa: BLE001 - a page that needs it reports its own import error
            logging.getLogger(__name__).exception("warming up TensorFlow failed")

    threading.Thread(target=load, name="rnnlab-warm-up", daemon=True).start()


def render_sidebar() -> str:
    """The shared sidebar: the language switch (on a phone, `on_phone`, at the top of the page
    instead). Returns the chosen language.

    The language lives in the session (`ui_lang`, which survives page switches), in the URL
    (`?lang=en`, which survives a reload and goes with a shared link) and in a cookie (the
    browser's last choice, for a new session whose address does not say: `first_language`);
    the radio widget only edits it.
    """
    heap.settle()  # every run starts here: a moment to keep the garbage collector cheap (ui/heap.py)
    use_screen_title_width()
    st.session_state[FULL_RUN] = full_run() + 1  # (a fragment's own runs do not pass here)
    if "ui_lang" not in st.session_state:
        st.session_state["ui_lang"] = first_language(st.query_params.get("lang"), _cookie(LANG_COOKIE))
    st.session_state["lang"] = st.session_state["ui_lang"]

    def changed() -> None:
        st.session_state["ui_lang"] = st.session_state["lang"]
        keep_choices_across_a_language_switch()

    # The style and the one-off scripts (history, cookies) go into one container that heads the
    # sidebar in every run: sent loose, a script drawn in one run and not the next moved every
    # element after it, which the browser then drew twice (the admin's token box, found by the
    # browser test of the admin's sign-in) or anew (an opened expander closed).
    _RUN.scripts = st.sidebar.container()
    keep_history_to_pages()  # before this run's first change to the address
    _RUN.scripts.html(_TOUCH_CSS + _SCRIPTS_CSS + uploader_css(st.session_state["ui_lang"]))  # every run: a style lasts as long as its element
    # On a phone the sidebar starts closed, behind a bare "»": a reader of the other language saw no
    # way to it, so there the switch heads the page, its options each in its own language.
    phone = on_phone()
    chosen = (st if phone else st.sidebar).radio(
        tr("app.language", st.session_state["ui_lang"]),
        LANGS,
        format_func=LANG_LABELS.get,
        horizontal=True,
        key="lang",
        on_change=changed,
        label_visibility="collapsed" if phone else "visible",
    )
    put_url("lang", chosen, DEFAULT_LANG)  # (Chinese, the default, needs no word in the address)
    remember_language(chosen)
    # Every run of this session's script thread starts here, and the language only changes through
    # the radio above (its callback runs before the script), so it is fixed for the rest of the run.
    _RUN.lang = st.session_state["ui_lang"]
    from core.hosting import ADMIN_PASS_SECONDS, settings

    remember_owner()
    if settings().admin_token:  # a hosted instance with an admin: the teacher signs in here
        with st.sidebar.expander(tr("host.admin", chosen)):
            if is_admin():
                remember_admin()
                # the button above its caption: the panel's content is drawn when it opens, and the
                # caption drawn last pushed a button below it down under the pointer, so a click
                # right after opening landed on the caption (seen by the browser test, 1 in 20 on
                # a busy machine: the press on the button, the release on the text)
                st.button(tr("host.admin_sign_out", chosen), key="admin_sign_out", on_click=sign_out_admin)
                st.caption(tr("host.admin_on", chosen) + " " + tr("host.admin_kept", chosen, hours=ADMIN_PASS_SECONDS // 3600))
            else:  # (a typed token is in Session State before the run: a right one is taken above, and
                # its box, not drawn again, is dropped from Session State)
                st.text_input(tr("host.admin_token", chosen), type="password", key="admin_token")
                wait, whose = _admin_locked_for()
                if wait > 0:  # (a right token is not taken now either: say why)
                    st.error(tr("host.admin_locked" if whose == "browser" else "host.admin_locked_address", chosen, minutes=max(1, math.ceil(wait / 60))), icon=":material/lock_clock:")
                elif st.session_state.get("admin_token"):  # typed and not the token: say so, or the box looks unread
                    st.error(tr("host.admin_wrong", chosen), icon=":material/key_off:")
        if st.session_state.pop("_admin_cookie_clear", False):
            set_cookie(ADMIN_COOKIE, "", 0)
    _ENTRY.ran = True
    return chosen


ADMIN_COOKIE = "rnnlab_admin"


def is_admin() -> bool:
    """Whether this session entered the instance's admin token (RNNLAB_ADMIN_TOKEN) in the
    sidebar, or this browser did so earlier and has not signed out (`core.hosting.admin_pass`
    in its cookie: a reload is a new session, and a teacher reloads often)."""
    typed = st.session_state.get("admin_token")
    if typed and _judge_token(typed) == "ok":
        return True
    return _pass_kept()


def _client() -> str:
    """Whom the admin token's lock-out counts (`core.hosting.TokenGuesses`): the browser's
    address (None for localhost, which is one person's machine: "local")."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request (a bare script)
        address = None
    return address if isinstance(address, str) and address else "local"  # (AppTest: a mock object)


def _judge_token(typed: str) -> str:
    """The verdict on a typed admin token, judged once per value this session typed: a rerun
    (every click on the page) keeps the box's value and is not another guess. A lock-out is
    not a verdict: the same token is judged again once it has passed."""
    from core.hosting import ADMIN_GUESSES

    digest = hashlib.sha256(typed.encode("utf-8")).hexdigest()  # (Session State keeps no second copy of it)
    kept = st.session_state.get("_admin_verdict")
    if kept and kept[0] == digest:
        return kept[1]
    verdict = ADMIN_GUESSES.try_token(typed, _client(), browser=session_owner())
    if verdict != "locked":
        st.session_state["_admin_verdict"] = (digest, verdict)
    return verdict


def _admin_locked_for() -> tuple[float, str]:
    """(seconds this browser must wait before a typed admin token is judged, "browser" or
    "address": whose wrong tokens locked it)."""
    from core.hosting import ADMIN_GUESSES

    return ADMIN_GUESSES.locked(_client(), session_owner())


def _pass_kept() -> bool:
    """Whether this browser holds a valid admin pass (in its cookie, as this session last set it)."""
    from core.hosting import admin_pass_ok

    return admin_pass_ok(_cookie(ADMIN_COOKIE), session_owner())


def remember_admin() -> None:
    """Keep the admin's sign-in in this browser (`core.hosting.admin_pass`), once per session."""
    from core.hosting import ADMIN_PASS_SECONDS, admin_pass

    if _pass_kept():
        return
    value = admin_pass(session_owner())
    if value:
        set_cookie(ADMIN_COOKIE, value, ADMIN_PASS_SECONDS)


def sign_out_admin() -> None:
    """The sidebar's "Sign out" (a callback): this session and this browser are no longer admin."""
    st.session_state.pop("admin_token", None)
    # (a callback draws nothing: the cookie counts as deleted from now on, and the script that
    # deletes it in the browser is drawn by this run's `render_sidebar`)
    st.session_state.setdefault(_COOKIES_SET, {})[ADMIN_COOKIE] = ""
    st.session_state["_admin_cookie_clear"] = True


def set_cookie(name: str, value: str, max_age: int) -> None:
    """Set (max_age 0: delete) one of the app's cookies in the browser, through a one-line script
    in the sidebar. The app's only script besides `_HISTORY_SCRIPT`; callers pass fixed names and
    values the server made (hex ids, one of `LANGS`, `admin_pass`), never anything a user typed,
    and the value is checked to hold nothing a script could read as code."""
    if not re.fullmatch(r"[0-9A-Za-z_.-]*", value) or not re.fullmatch(r"[a-z_]+", name):
        raise ValueError(f"not a cookie the app sets: {name}={value!r}")
    st.session_state.setdefault(_COOKIES_SET, {})[name] = value if max_age > 0 else ""
    _scripts().html(
        f"<script>document.cookie = '{name}={value}; path=/; max-age={int(max_age)}; SameSite=Strict';</script>",
        unsafe_allow_javascript=True,
    )


def leave_legacy_pages_mode() -> None:
    """First thing in `streamlit_app.py`: rerun at once when Streamlit runs it as a legacy page.

    Until a script in the process has called `st.navigation`, Streamlit 1.67 runs a folder named
    `pages/` the legacy way: the very first run of a fresh server wraps `streamlit_app.py` in a
    page of its own, so the widgets it draws before `st.navigation` (the sidebar's language switch,
    admin token box and Sign out button) got other ids in that run than in every later one
    (Streamlit keys a widget's id by the script it runs in). The first thing a reader did with
    one of them after a server start was lost: the widget of the next run was a new one, empty
    (seen by the browser test of the admin's sign-in, whose server is fresh: a typed token was
    not acted on). Nothing has been drawn or used when this reruns."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

    ctx = get_script_run_ctx()
    if ctx is not None and ThreadState.get().active_script_hash != ctx.pages_manager.main_script_hash:
        PagesManager.uses_pages_directory = False
        st.rerun()


def run_via_entrypoint() -> None:
    """Make sure the page has the app's shell (sidebar, language, navigation).

    Streamlit still supports the legacy `pages/` folder: until a script in the process
    has called `st.navigation`, a page can run on its own, without `streamlit_app.py`
    (in a fresh server, a deep link such as `/data` as its very first request; in
    AppTest, every run). Every page calls this first. On a session's first run it
    turns the legacy mode off and reruns, so the entry point takes over (nothing is
    lost: no widget has been used yet). Later, it draws the shared sidebar itself
    rather than rerunning, which would swallow a button click.
    """
    from streamlit.runtime.pages_manager import PagesManager

    ran = getattr(_ENTRY, "ran", False)
    _ENTRY.ran = False
    if ran:
        return
    PagesManager.uses_pages_directory = False
    _RUN.defer_url = False  # no streamlit_app.py around this run to write the address at its end
    if "ui_lang" not in st.session_state:
        st.rerun()
    render_sidebar()
    _ENTRY.ran = False


def session_id() -> str:
    """A random id of this Streamlit session (one browser tab until it reloads): who asked for a
    background job (`ui.jobs`), where two tabs of one browser are two askers."""
    if "session_id" not in st.session_state:
        import secrets

        st.session_state["session_id"] = secrets.token_hex(8)
    return st.session_state["session_id"]


NAME_COOKIE = "rnnlab_name"


def remembered_name() -> str:
    """The name this browser gave its last runs (`remember_name`), "" without one."""
    raw = str(_cookie(NAME_COOKIE) or "")
    try:
        return bytes.fromhex(raw).decode("utf-8") if re.fullmatch(r"(?:[0-9a-f]{2})*", raw) else ""
    except ValueError:
        return ""


def remember_name(name: str | None) -> None:
    """Keep the name a student typed for the run list (`core.runs.clean_owner_name`) in a cookie,
    hex-encoded (a cookie the app sets holds no other characters), when it changed."""
    from core.runs import clean_owner_name

    kept = clean_owner_name(name) or ""
    if kept != remembered_name():
        set_cookie(NAME_COOKIE, kept.encode("utf-8").hex(), 31536000 if kept else 0)


OWNER_COOKIE = "rnnlab_owner"
_OWNER_ID = re.compile(r"[0-9a-f]{16}")


def session_owner() -> str:
    """The id recorded as the owner of the runs this browser starts: a random one, kept in a
    cookie (`remember_owner`) so that a reload, which starts a new Streamlit session, or a
    second tab of the same browser is still the owner and may stop its run. A browser that
    refuses cookies gets a new id with every session, as before."""
    owner = st.session_state.get("owner")
    if owner is None:
        cookie = str(_cookie(OWNER_COOKIE) or "")
        if _OWNER_ID.fullmatch(cookie):
            owner = cookie
        else:
            import secrets

            owner = secrets.token_hex(8)
        st.session_state["owner"] = owner
    return owner


# Streamlit's frontend adds a browser history entry (`history.pushState`) for every change a
# script makes to st.query_params, beside the one for the page itself: a visit to the Data page
# made three (the page, then ?dataset=, then ?tokenizer=), so Back stayed on the page, twice.
# Streamlit's own `bind="query-params"` replaces the entry instead, but it puts a widget's label
# in the address, which a language switch changes. This line, sent once per session, makes a
# push that stays on the same page path a replace: one entry per page visited, as a user expects
# of Back and Forward; a page's settings are still in its address for a reload or a shared link.
#
# A page's first run that ends at once (the Data page waiting for an upload) wrote its settings before
# the browser had moved to its path: the write replaced the entry of the page left, so Back from the
# Data page showed /embeddings?dataset=upload (an exploratory tester, reproduced each time). A move to
# another path that carries the very query such a write put on the page left moments before (400 ms)
# first gives that entry its address back.
_HISTORY_SCRIPT = (
    "<script>(() => { if (window.__rnnlabHistory) return; window.__rnnlabHistory = true;"
    " const push = history.pushState.bind(history), replace = history.replaceState.bind(history); let last = null;"
    " history.pushState = (state, title, url) => { if (url == null) return push(state, title, url);"
    " const to = new URL(url, location.href);"
    " if (to.pathname === location.pathname) { last = {href: location.href, state: history.state, search: to.search, at: Date.now()};"
    " return replace(state, title, url); }"
    " if (last && Date.now() - last.at < 400 && last.search === to.search && new URL(last.href).search !== to.search) replace(last.state, '', last.href);"
    " last = null; return push(state, title, url); }; })();</script>"
)


_TOUCH_CSS = (
    "<style>@media (hover: none) and (max-width: 640px) {"
    " [data-testid=stPlotlyChart] .modebar-group:not(:has([data-title=Fullscreen])) { display: none; } }"
    " @media (hover: none) {"
    " [data-testid=stElementContainer]:has(> [data-testid=stFullScreenFrame] > [data-testid=stDataFrame]) { margin-top: 1.75rem; } }"
    " [data-testid=stMarkdownContainer] table { display: block; max-width: 100%; overflow-x: auto; }</style>"
)
"""On a screen without hover plotly shows its tool bar all the time, where a mouse shows it only
under the pointer: on a phone, eight buttons over a narrow chart covered its title (titles are
wrapped to `core.figures.TITLE_WIDTH`, 255 px). On a narrow touch screen (a phone held upright)
only Streamlit's full-screen button is kept; a drag still zooms and a double tap resets. A
tablet, or a phone held sideways, has room for the whole bar beside the title, and keeps it
(the zoom buttons and the PNG download: it used to lose them too). (A browser without `:has`
keeps the whole bar, as before.)

A table's tool bar (show columns, download, search, full screen: 44 px) stands above its top
edge, where a mouse shows it only under the pointer; without hover it is always there, and it
covered the line above, a tab's label or a heading ("每一步的前 5 个候选"). On a touch screen each
table is moved down by the bar's height less the gap above it.

A Markdown table (a model card's layers and epochs) wider than its column scrolls sideways inside
its own box: on a phone the cards' 602 px tables ran out of their 324 px expander, under its border,
their last columns out of reach (the page does not scroll sideways)."""


_SCRIPTS_CSS = (
    "<style>[data-testid=stSidebarUserContent] [data-testid=stLayoutWrapper]:has(.rnnlab-scripts) { display: none; }</style>"
    '<span class="rnnlab-scripts"></span>'
)
"""The scripts' container (`render_sidebar`, the sidebar's first element, marked by the span) takes
no room: each script drawn there had a gap of its own, so the language switch below moved up by
16 px per script after a session's first run (a script runs when drawn, shown or not; the style
applies wherever its element is)."""


def uploader_css(in_lang: str) -> str:
    """Streamlit's file uploader speaks English only (1.67: an "Upload" button over "50MB per file
    • CSV, TSV"; streamlit#13500). Its line of limits is hidden, as every uploader here says the
    limit in a caption of its own and the file types in its label, in the page's language; the
    button's word is drawn in the page's language over Streamlit's (its own text made size 0)."""
    word = tr("ui.upload_button", in_lang).replace('"', "")
    # A file the browser itself refuses (over Streamlit's server.maxUploadSize, or a type the label
    # does not list, dropped on the box) never reaches the app: Streamlit marks its chip red and
    # says why only in an English tooltip. The reason is written under the chips instead.
    refused = tr("ui.upload_refused", in_lang, mb=int(st.get_option("server.maxUploadSize"))).replace('"', "")
    button = "[data-testid=stFileUploaderDropzone] [data-testid=stBaseButton-secondary] [data-testid=stMarkdownContainer] p"
    chips = "[data-testid=stFileChips]:has([data-testid=stFileChip][aria-invalid=true])"
    return (
        "<style>[data-testid=stFileUploaderDropzoneInstructions] { display: none; }"
        f' {button} {{ font-size: 0; }} {button}::after {{ content: "{word}"; font-size: 14px; }}'
        f' {chips} {{ flex-wrap: wrap; }} {chips}::after {{ content: "{refused}"; flex-basis: 100%; font-size: 14px; color: rgb(189, 65, 65); }}</style>'
    )


def keep_history_to_pages() -> None:
    """Send `_HISTORY_SCRIPT` to the browser once per session (a reload is a new session)."""
    if st.session_state.get("_history_script_sent"):
        return
    st.session_state["_history_script_sent"] = True
    _scripts().html(_HISTORY_SCRIPT, unsafe_allow_javascript=True)


def _scripts():
    """Where this run's scripts go: the sidebar's first container (`render_sidebar`)."""
    return getattr(_RUN, "scripts", None) or st.sidebar


def remember_owner() -> None:
    """Put this session's owner id in the browser's cookie, once per session when the browser
    did not send it (`set_cookie`: the server's own hex id, nothing a user typed)."""
    owner = session_owner()
    if _cookie(OWNER_COOKIE) == owner or not _OWNER_ID.fullmatch(owner):
        return
    set_cookie(OWNER_COOKIE, owner, 31536000)
