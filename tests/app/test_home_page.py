"""The entry point and the Home page, in both languages."""

from core import datasets
from core.i18n import tr

from .conftest import open_app


def test_home_renders_with_dataset_table(lang):
    at = open_app(lang)
    assert at.title[0].value == tr("app.title", lang)
    table = at.dataframe[0].value
    assert len(table) == len(datasets.DATASET_NAMES)
    assert list(table.iloc[:, 0]) == [tr(f"ds.{n}.title", lang) for n in datasets.DATASET_NAMES]
    embedded = table.iloc[:, 2].tolist()
    assert embedded.count(tr("status.embedded", lang)) == sum(datasets.get_info(n).offline for n in datasets.DATASET_NAMES)


def test_language_switch_changes_every_visible_string_and_survives_page_switch():
    at = open_app("zh")
    assert at.title[0].value == "RNN 实验室"
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "RNN Lab"
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert at.title[0].value == tr("data.title", "en")
    at.radio(key="lang").set_value("zh").run()
    assert at.title[0].value == tr("data.title", "zh")
