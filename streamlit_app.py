"""RNN Lab: the entry point. Navigation over the pages and the shared sidebar, nothing else.

Run with `streamlit run streamlit_app.py`.
"""

import streamlit as st

from core.i18n import DEFAULT_LANG, LANG_LABELS, LANGS, tr

st.set_page_config(page_title="RNN Lab", page_icon="🔁", layout="wide")

# The language lives in the session (`ui_lang`, which survives page switches) and in
# the URL (`?lang=en`, which survives a reload); the radio widget only edits it.
if "ui_lang" not in st.session_state:
    wanted = st.query_params.get("lang", DEFAULT_LANG)
    st.session_state["ui_lang"] = wanted if wanted in LANGS else DEFAULT_LANG
st.session_state["lang"] = st.session_state["ui_lang"]


def _language_changed() -> None:
    st.session_state["ui_lang"] = st.session_state["lang"]


lang = st.sidebar.radio(
    tr("app.language", st.session_state["ui_lang"]),
    LANGS,
    format_func=LANG_LABELS.get,
    horizontal=True,
    key="lang",
    on_change=_language_changed,
)
st.query_params["lang"] = lang

pages = [
    st.Page("pages/home.py", title=tr("nav.home", lang), icon="🏠", url_path="home", default=True),
    st.Page("pages/data.py", title=tr("nav.data", lang), icon="📚", url_path="data"),
]
st.navigation(pages).run()
