"""The entry point and the Home page, in both languages."""

from core import datasets
from core.i18n import TEXTS, tr

from .conftest import open_app, settled


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


def test_the_admin_token_box_says_a_wrong_token_and_takes_a_pasted_one(monkeypatch, lang):
    # a teacher who typed a wrong token saw the box stay as it was, with no word: typed but unread?
    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "teacher-secret-42")
    # (on the page itself: AppTest runs streamlit_app.py only in its first run, where the sidebar's
    # widgets have other ids than when the page runs on its own in every later one)
    at = open_app(lang, "pages/home.py")
    box = at.sidebar.text_input(key="admin_token")
    assert not [e for e in at.sidebar.error if e.value == tr("host.admin_wrong", lang)], "nothing typed yet: no complaint"
    box.set_value("teacher-secret-24").run()
    assert not at.exception
    assert [e.value for e in at.sidebar.error] == [tr("host.admin_wrong", lang)]
    assert not any(c.value.startswith(tr("host.admin_on", lang)) for c in at.sidebar.caption)
    at.sidebar.text_input(key="admin_token").set_value("  teacher-secret-42\n").run()  # pasted with a space and a line break
    assert not at.exception
    assert not at.sidebar.error
    assert any(c.value.startswith(tr("host.admin_on", lang)) for c in at.sidebar.caption)
    assert not [w for w in at.sidebar.text_input if w.key == "admin_token"], "signed in: the box goes"


def test_five_wrong_admin_tokens_lock_the_box_for_ten_minutes(monkeypatch, lang):
    # a student's script could try tokens as fast as the server answered (core.hosting.TokenGuesses)
    from core import hosting

    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "teacher-secret-42")
    now = [1000.0]
    monkeypatch.setattr(hosting, "ADMIN_GUESSES", hosting.TokenGuesses(clock=lambda: now[0]))
    at = open_app(lang, "pages/home.py")
    locked = tr("host.admin_locked", lang, minutes=10)

    def errors() -> list[str]:
        return [e.value for e in at.sidebar.error]

    at.sidebar.text_input(key="admin_token").set_value("wrong-token-0").run()
    for _ in range(3):  # reruns with the same wrong token in the box are not more guesses
        at.run()
    assert errors() == [tr("host.admin_wrong", lang)]
    assert hosting.ADMIN_GUESSES.locked_for("local") == 0
    for i in range(1, 5):
        now[0] += 1
        at.sidebar.text_input(key="admin_token").set_value(f"wrong-token-{i}").run()
    assert not at.exception
    assert errors() == [locked], "the fifth wrong token locks the box"
    at.sidebar.text_input(key="admin_token").set_value("teacher-secret-42").run()
    assert errors() == [locked], "locked: not even the right token is taken"
    assert not any(c.value.startswith(tr("host.admin_on", lang)) for c in at.sidebar.caption)
    now[0] += 590  # ten minutes after the first wrong token, 6 s still to go: 1 min as said
    at.run()
    assert errors() == [tr("host.admin_locked", lang, minutes=1)]
    now[0] += 10
    at.run()  # (any click on the page) the token still in the box is judged now
    assert not at.exception and not at.sidebar.error
    assert any(c.value.startswith(tr("host.admin_on", lang)) for c in at.sidebar.caption)


def test_a_students_wrong_tokens_leave_the_teachers_browser_free(monkeypatch):
    # one address for a whole class (a school's NAT): a student's five typos locked the teacher's
    # browser out of the admin box too, for ten minutes (a class scenario)
    from core import hosting

    monkeypatch.setenv("RNNLAB_ADMIN_TOKEN", "teacher-secret-42")
    monkeypatch.setattr(hosting, "ADMIN_GUESSES", hosting.TokenGuesses())
    student = open_app("en", "pages/home.py")
    for i in range(5):
        student.sidebar.text_input(key="admin_token").set_value(f"wrong-token-{i}").run()
    assert [e.value for e in student.sidebar.error] == [tr("host.admin_locked", "en", minutes=10)]
    teacher = open_app("en", "pages/home.py")  # another browser, the same address
    assert teacher.session_state["owner"] != student.session_state["owner"]
    teacher.sidebar.text_input(key="admin_token").set_value("teacher-secret-42").run()
    assert not teacher.exception and not teacher.sidebar.error
    assert any(c.value.startswith(tr("host.admin_on", "en")) for c in teacher.sidebar.caption)


def test_every_tutorial_step_link_opens_its_page_at_that_step(lang):
    """Home lists each tutorial's steps as links; each opens its page with the data set, tab and
    preset it names, and nothing the page cannot use (a renamed tab or preset would open the
    page's first tab or the custom form, and say the link's value is not there)."""
    from urllib.parse import parse_qs

    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at = open_app(lang, "pages/home.py")
    links = at.get("page_link")
    steps = {tr(key, lang) for key in TEXTS if key.startswith("home.step_")}
    assert {link.proto.label for link in links} == steps and len(links) == len(steps) >= 12, [link.proto.label for link in links]
    files = {"data": "pages/data.py", "training": "pages/training.py", "embeddings": "pages/embeddings.py", "sentiment": "pages/sentiment.py", "lyrics": "pages/lyrics.py"}
    # (the longest fixed part of each message: the Chinese "not here" one starts with the name)
    refused = [max(tr(key, lang, markdown=True, name="@", value="@", shown="@", used="@").split("@"), key=len) for key in ("ui.url_choice_missing", "ui.url_value_ignored")]
    tab_keys = {"pages/data.py": "data_tabs", "pages/training.py": "train_tabs", "pages/embeddings.py": "emb_tabs"}
    for link in links:
        query = {k: v[0] for k, v in parse_qs(link.proto.query_string).items()}
        page, params = files[link.proto.page], {k: v for k, v in query.items() if k != "lang"}
        if lang != "zh":
            assert query["lang"] == lang, "the link keeps the page's language"
        opened = AppTest.from_file(APP, default_timeout=300)
        opened.query_params.update(query)
        opened.run()
        opened = settled(opened.switch_page(page).run())  # (a data set is read in the background the first time)
        assert not opened.exception, (page, params, [e.value for e in opened.exception])
        said = [w.value for w in opened.warning if any(r in w.value for r in refused)]
        assert not said, (page, params, said)
        if "tab" in params:
            kept = f"_{tab_keys[page]}_kept"  # (ui.common.kept_tabs: the tab the address named, as its label's key)
            assert kept in opened.session_state and opened.session_state[kept].rsplit("_", 1)[-1] == params["tab"], (page, params)
        if "preset" in params:
            assert opened.selectbox(key="train_preset").value == params["preset"]
        if "dataset" in params:
            assert opened.selectbox(key="data_dataset").value == params["dataset"]
        if "char_limit" in params and datasets.availability(params["dataset"]).local:  # (else the page offers the download first)
            assert opened.number_input(key="data_char_limit").value == int(params["char_limit"])
