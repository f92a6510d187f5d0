"""`read_content`: one shipped file, or a folder of files joined in name order (docs/shipped-content.md)."""

import pytest

from inquiry.core.shipped import ShippedContentError, read_content
from tests.support.paths import REPO

FOLDERS = {
    "law": "laws",
    "cards": "cards",
    "faq": "faq",
    "guide": "flows",
}


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_single_file_is_read_as_it_is(tmp_path):
    write(tmp_path / "faq.yaml", "# what it holds\ntopics:\n  - slug: a\nnote: kept\n")
    assert read_content(tmp_path, "faq") == {"topics": [{"slug": "a"}], "note": "kept"}


def test_a_folders_files_are_joined_in_file_name_order(tmp_path):
    write(tmp_path / "faq/20-more.yaml", "articles:\n  - slug: c\n")
    write(tmp_path / "faq/00-topics.yaml", "# the topics\ntopics:\n  - slug: t\n")
    write(tmp_path / "faq/10-first.yaml", "articles:\n  - slug: a\n  - slug: b\n")
    write(tmp_path / "faq/notes.txt", "not read")
    assert read_content(tmp_path, "faq") == {
        "topics": [{"slug": "t"}],
        "articles": [{"slug": "a"}, {"slug": "b"}, {"slug": "c"}],
    }


def test_an_item_continues_in_a_later_file_by_its_lists(tmp_path):
    write(
        tmp_path / "flows/10-flow.yaml",
        "flows:\n  - slug: f\n    title: T\n    questions: [q1]\n    outcomes: [o1]\n  - slug: g\n    title: G\n",
    )
    write(tmp_path / "flows/11-flow-outcomes.yaml", "flows:\n  - slug: f\n    outcomes: [o2, o3]\n")
    write(tmp_path / "flows/12-flow-more.yaml", "flows:\n  - slug: f\n    outcomes: [o4]\n    extra: [x]\n")
    assert read_content(tmp_path, "flows") == {
        "flows": [
            {"slug": "f", "title": "T", "questions": ["q1"], "outcomes": ["o1", "o2", "o3", "o4"], "extra": ["x"]},
            {"slug": "g", "title": "G"},
        ]
    }


def test_the_same_slug_twice_in_one_file_is_left_to_the_loader(tmp_path):
    write(tmp_path / "faq/10-a.yaml", "articles:\n  - {slug: a, title: One}\n  - {slug: a, title: Two}\n")
    assert read_content(tmp_path, "faq") == {"articles": [{"slug": "a", "title": "One"}, {"slug": "a", "title": "Two"}]}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"10-a.yaml": "articles: []\nversion: 2\n"}, "'version' is not a list"),
        ({"10-a.yaml": "note: one\n", "20-b.yaml": "note: two\n"}, "'note' is not a list"),
        ({"10-a.yaml": "- just\n- a list\n"}, "expected a mapping"),
        (
            {"10-a.yaml": "flows:\n  - {slug: f, title: A}\n", "20-b.yaml": "flows:\n  - {slug: f, title: B}\n"},
            "'title' is given twice",
        ),
        ({}, "neither"),
    ],
)
def test_what_cannot_be_joined_is_an_error(tmp_path, files, message):
    (tmp_path / "flows").mkdir()
    for name, text in files.items():
        write(tmp_path / "flows" / name, text)
    with pytest.raises(ShippedContentError, match=message):
        read_content(tmp_path, "flows")


def test_a_file_and_a_folder_of_the_same_name_is_an_error(tmp_path):
    write(tmp_path / "laws.yaml", "laws: []\n")
    write(tmp_path / "laws/10-a.yaml", "laws: []\n")
    with pytest.raises(ShippedContentError, match="keep one"):
        read_content(tmp_path, "laws")


@pytest.mark.parametrize(("app", "name"), FOLDERS.items())
def test_the_shipped_folders_read_and_no_file_is_over_400_lines(app, name):
    folder = REPO / "inquiry" / app / "content"
    data = read_content(folder, name)
    assert data and all(isinstance(items, list) and items for items in data.values())
    for path in sorted((folder / name).glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) <= 400, f"{path.relative_to(REPO)} has {len(lines)} lines"
        assert lines[0].startswith("#"), f"{path.relative_to(REPO)} should start with what it holds"
