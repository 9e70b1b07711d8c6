"""Home: what RNN Lab is, its pages, and which data sets this machine has."""

import pandas as pd
import streamlit as st

from core import datasets, paths
from ui import charts
from ui.common import lang, page_link, run_via_entrypoint, t

run_via_entrypoint()

st.title(t("app.title"))
st.write(t("app.tagline"))
st.write(t("home.intro"))

st.subheader(t("home.pages"))
st.markdown("\n".join("- " + t(f"home.page_{name}") for name in ("data", "training", "sentiment", "lyrics", "embeddings")))

# each tutorial's steps, in its order, as links that open the page at that step (the learners come
# from these tutorials and asked where to start: a list of pages said what each holds, not the way)
TUTORIAL_PATHS = {
    "t1": [("pages/embeddings.py", "home.step_embedding_layer", {"tab": "layer"}), ("pages/data.py", "home.step_imdb_tensor", {"dataset": "imdb", "tab": "tensors"}),
           ("pages/training.py", "home.step_simple_rnn_cells", {"preset": "imdb_simple_rnn_cells"}), ("pages/training.py", "home.step_lstm_gru_layers", {"preset": "imdb_lstm_layer"})],
    "t2": [("pages/data.py", "home.step_imdb_lengths", {"dataset": "imdb", "tab": "lengths"}), ("pages/training.py", "home.step_bilstm", {"preset": "imdb_bilstm"}),
           ("pages/training.py", "home.step_bilstm_offline", {"preset": "chinese_reviews_bilstm"}), ("pages/sentiment.py", "home.step_sentiment", {})],
    "t3": [("pages/embeddings.py", "home.step_word2vec", {"tab": "neighbours"}), ("pages/embeddings.py", "home.step_analogy", {"tab": "analogy"}),
           ("pages/training.py", "home.step_bptt", {"tab": "gradients"})],
    "t4": [("pages/data.py", "home.step_lyrics_data", {"dataset": "lyrics", "char_limit": "10000", "tab": "samplers"}), ("pages/training.py", "home.step_scratch_rnn", {"preset": "lyrics_scratch_rnn_random"}),
           ("pages/lyrics.py", "home.step_lyrics_play", {})],
}
ICONS = {"pages/data.py": ":material/dataset:", "pages/embeddings.py": ":material/scatter_plot:", "pages/training.py": ":material/model_training:",
         "pages/sentiment.py": ":material/sentiment_satisfied:", "pages/lyrics.py": ":material/lyrics:"}

st.subheader(t("home.paths"))
st.caption(t("home.paths_intro"))
for tutorial, steps in TUTORIAL_PATHS.items():
    with st.container(border=True):
        st.markdown(f"**{t(f'home.path_{tutorial}')}**")
        # one link a line: a link keeps to one line, and two side by side at 1024 px cut every label short
        for page, label, params in steps:
            page_link(page, label=t(label), icon=ICONS[page], query_params=params)

st.subheader(t("home.datasets"))


def status_of(name: str) -> str:
    info, avail = datasets.get_info(name), datasets.availability(name)
    if info.offline:
        return t("status.embedded")
    if avail.local:
        return t("status.local")
    return t("status.download", mb=f"{avail.download_bytes / 1e6:.1f}")


statuses = tuple(status_of(n) for n in datasets.DATASET_NAMES)  # checked on every visit (a data set may have been downloaded)
table = charts.table(  # the rest is fixed per language: built once and shared by every session
    ("home.datasets", lang(), statuses),
    lambda: pd.DataFrame(
        {
            t("home.col_name"): [t(f"ds.{n}.title") for n in datasets.DATASET_NAMES],
            t("home.col_kind"): [t(f"kind.{datasets.get_info(n).kind}") for n in datasets.DATASET_NAMES],
            t("home.col_status"): list(statuses),
            t("home.col_description"): [t(f"ds.{n}.desc") for n in datasets.DATASET_NAMES],
        }
    ),
)
st.dataframe(table, hide_index=True, width="stretch")
st.caption(t("home.offline_note") + " " + t("app.data_folder", folder=paths.data_dir()))
