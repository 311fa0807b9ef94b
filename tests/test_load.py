import json

import pytest

from audit.load import InputError, load_documents


def test_folder_ids_and_sources(tmp_path):
    (tmp_path / "outlet").mkdir()
    (tmp_path / "outlet" / "a.txt").write_text("Text A", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Text B", encoding="utf-8")
    docs = list(load_documents([tmp_path]))
    assert [(d.id, d.source) for d in docs] == [("b", tmp_path.name), ("outlet/a", "outlet")]


def test_unreadable_files_are_kept_with_a_reason(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 au lait")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    docs = {d.id: d for d in load_documents([tmp_path])}
    assert docs["bad"].status == "unreadable" and "invalid UTF-8" in docs["bad"].reason
    assert docs["bin"].status == "unreadable" and "binary" in docs["bin"].reason


def test_jsonl_malformed_lines_and_duplicate_ids(tmp_path):
    p = tmp_path / "docs.jsonl"
    p.write_text(
        "\ufeff" + json.dumps({"id": "x", "text": "one", "source": "s", "url": "u"}) + "\n"
        "{not json\n" + json.dumps({"id": "x", "text": "two"}) + "\n" + json.dumps({"id": "y", "text": None}) + "\n",
        encoding="utf-8",
    )
    docs = list(load_documents([p]))
    assert [d.id for d in docs] == ["x", "docs:2", "x#2", "y"]
    assert docs[0].source == "s" and docs[0].meta["url"] == "u"
    assert docs[1].status == "unreadable" and "line 2" in docs[1].reason
    assert docs[2].meta["duplicate_of"] == "x"
    assert docs[3].status == "unreadable"


def test_csv_keeps_newlines_and_extra_columns(tmp_path):
    p = tmp_path / "docs.csv"
    p.write_text('id,text,source,lang_note\n1,"line one\r\nline two",s,keep\n2,short\n', encoding="utf-8")
    docs = list(load_documents([p]))
    assert docs[0].text == "line one\r\nline two" and docs[0].meta["lang_note"] == "keep"
    assert docs[1].status == "unreadable" and "fewer fields" in docs[1].reason


def test_parquet(tmp_path):
    pd = pytest.importorskip("pandas")
    p = tmp_path / "docs.parquet"
    pd.DataFrame({"id": ["a", "b"], "text": ["Text a", "Text b"], "source": ["s1", "s2"], "extra": [1, 2]}).to_parquet(
        p
    )
    docs = list(load_documents([p]))
    assert [(d.id, d.text, d.source, d.meta["extra"]) for d in docs] == [
        ("a", "Text a", "s1", 1),
        ("b", "Text b", "s2", 2),
    ]


def test_missing_or_unsupported_input_is_a_usage_error(tmp_path):
    with pytest.raises(InputError):
        list(load_documents([tmp_path / "nope"]))
    (tmp_path / "x.docx").write_text("x")
    with pytest.raises(InputError):
        list(load_documents([tmp_path / "x.docx"]))
