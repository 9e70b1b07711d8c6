"""Tabs whose choice the server keeps (`ui.common.kept_tabs`): the chosen tab survives a rerun
that redraws the page, a language switch and a visit to another page, and a page does a hidden
tab's costly work (a job of seconds) only once the tab is shown."""

from __future__ import annotations

from core.i18n import tr

from .conftest import charts_titled, open_app, settled, show_tab


def _grad_charts(at, lang):
    return charts_titled(at, tr("fig.grad_flow", lang))


def test_gradient_flow_is_asked_for_only_once_its_tab_is_shown():
    from ui import jobs

    at = settled(open_app("en", "pages/training.py", timeout=300))
    assert not at.exception
    assert at.session_state["train_tabs"] == tr("train.tab_new", "en")  # the first tab by default
    assert not [k for k in jobs.board().keys() if k[0] == "grad_flow"], "a hidden tab started its job"
    assert not _grad_charts(at, "en")
    # its widgets are drawn all the same (Streamlit forgets the values of widgets not drawn)
    at.number_input(key="grad_steps").set_value(12).run()
    assert not [k for k in jobs.board().keys() if k[0] == "grad_flow"]

    settled(show_tab(at, "train_tabs", "train.tab_gradients", "en"))
    assert not at.exception
    assert [k for k in jobs.board().keys() if k[0] == "grad_flow"] == [("grad_flow", 64, 12, "keras")]
    assert len(_grad_charts(at, "en")) == 1


def test_the_chosen_tab_survives_a_language_switch_and_another_page():
    at = show_tab(open_app("en", "pages/training.py", timeout=300), "train_tabs", "train.tab_runs", "en")
    assert at.session_state["train_tabs"] == "Runs"

    at.radio(key="lang").set_value("zh").run()  # the same tab, under its Chinese label
    assert not at.exception
    assert at.session_state["train_tabs"] == tr("train.tab_runs", "zh")

    at.switch_page("pages/home.py").run()  # the tabs are not drawn there: Streamlit forgets the widget
    at.switch_page("pages/training.py").run()
    assert not at.exception
    assert at.session_state["train_tabs"] == tr("train.tab_runs", "zh")


def test_a_tab_this_view_lacks_shows_the_first_and_the_samplers_come_back_with_a_corpus():
    at = settled(open_app("en", "pages/data.py").selectbox(key="data_dataset").set_value("peoples_daily").run())
    show_tab(at, "data_tabs", "data.tab_samplers", "en")
    assert at.session_state["data_tabs"] == "Samplers"
    assert any("Random sampling" in c.proto.spec for c in at.get("plotly_chart"))

    # another tokeniser: the page is read again (a job), and the Samplers tab is still the one shown
    settled(at.selectbox(key="data_tokenizer_peoples_daily").set_value("given").run())
    assert not at.exception
    assert at.session_state["data_tabs"] == "Samplers"

    # labelled reviews have no Samplers tab: the first one
    settled(at.selectbox(key="data_dataset").set_value("chinese_reviews").run())
    assert not at.exception
    assert at.session_state["data_tabs"] == tr("data.tab_lengths", "en")
    at.run()  # a rerun of that view is no choice of its first tab
    assert at.session_state["data_tabs"] == tr("data.tab_lengths", "en")

    # back to a corpus: its Samplers tab again, as the user left it
    settled(at.selectbox(key="data_dataset").set_value("peoples_daily").run())
    assert not at.exception
    assert at.session_state["data_tabs"] == "Samplers"

    # a tab chosen in a view without Samplers is a new choice, kept for the corpus too
    settled(at.selectbox(key="data_dataset").set_value("chinese_reviews").run())
    show_tab(at, "data_tabs", "data.tab_tokens", "en")
    settled(at.selectbox(key="data_dataset").set_value("peoples_daily").run())
    assert at.session_state["data_tabs"] == tr("data.tab_tokens", "en")


def test_the_chosen_tab_is_in_the_url_so_a_reload_or_a_shared_link_opens_it():
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at = show_tab(open_app("en", "pages/training.py", timeout=300), "train_tabs", "train.tab_runs", "en")
    assert at.query_params["tab"] == "runs"
    at.radio(key="lang").set_value("zh").run()  # the URL names the tab in no language
    assert at.query_params["tab"] == "runs"
    show_tab(at, "train_tabs", "train.tab_gradients", "zh")
    assert at.query_params["tab"] == "gradients"

    # a new session on that URL (a reload, or the link shared with a class)
    fresh = AppTest.from_file(APP, default_timeout=300)
    fresh.query_params.update({"lang": "en", "tab": "runs"})
    fresh.switch_page("pages/training.py").run()
    assert not fresh.exception
    assert fresh.session_state["train_tabs"] == "Runs"
    # a name the page has no tab for: the first tab, and the URL no longer names one
    other = AppTest.from_file(APP, default_timeout=300)
    other.query_params.update({"lang": "en", "tab": "samplers"})
    other.switch_page("pages/training.py").run()
    assert not other.exception
    assert other.session_state["train_tabs"] == tr("train.tab_new", "en")
    assert "tab" not in other.query_params
