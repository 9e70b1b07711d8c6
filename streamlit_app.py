"""RNN Lab: the entry point. Navigation over the pages and the shared sidebar, nothing else.

Run with `streamlit run streamlit_app.py`.
"""

import sys
from pathlib import Path

import streamlit as st

from core.i18n import tr
from ui.common import defer_url, flush_url, leave_legacy_pages_mode, remember_page, render_sidebar, settle_url, warm_up

# the tab's icon is a file of the app: a ":material/..." icon is fetched from fonts.gstatic.com,
# which a classroom without Google (or without the internet) does not reach
st.set_page_config(page_title="RNN Lab", page_icon=str(Path(__file__).parent / "ui" / "favicon.png"), layout="wide")
leave_legacy_pages_mode()  # a fresh server's first run: before any widget, so that each keeps its id
defer_url()  # the settings go into the address when the page is known, or at its end on a new page (ui.common.put_url)
try:
    lang = render_sidebar()
    warm_up()  # TensorFlow imported in the background while the first page is read (once per server)

    pages = [
        st.Page("pages/home.py", title=tr("nav.home", lang), icon=":material/home:", url_path="home", default=True),
        st.Page("pages/data.py", title=tr("nav.data", lang), icon=":material/dataset:", url_path="data"),
        st.Page("pages/training.py", title=tr("nav.training", lang), icon=":material/model_training:", url_path="training"),
        st.Page("pages/sentiment.py", title=tr("nav.sentiment", lang), icon=":material/sentiment_satisfied:", url_path="sentiment"),
        st.Page("pages/lyrics.py", title=tr("nav.lyrics", lang), icon=":material/lyrics:", url_path="lyrics"),
        st.Page("pages/embeddings.py", title=tr("nav.embeddings", lang), icon=":material/scatter_plot:", url_path="embeddings"),
    ]
    page = st.navigation(pages)
    settle_url(page.url_path)  # the same page as before: the address is written from here on at once; another: it is found as it was left
    page.run()
finally:  # also after st.rerun() or an error (after st.stop(), only stop_page could)
    remember_page(sys.exc_info()[1])  # what Streamlit forgets once another page runs
    flush_url()
