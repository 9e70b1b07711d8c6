"""Home: what RNN Lab is, its pages, and which data sets this machine has."""

import pandas as pd
import streamlit as st

from core import datasets, paths
from ui import charts
from ui.common import lang, run_via_entrypoint, t

run_via_entrypoint()

st.title(t("app.title"))
st.write(t("app.tagline"))
st.write(t("home.intro"))

st.subheader(t("home.pages"))
st.markdown("\n".join("- " + t(f"home.page_{name}") for name in ("data", "training", "sentiment", "lyrics", "embeddings")))

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
