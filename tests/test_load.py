import json

import pytest

from audit.load import Columns, InputError, load_documents, url_host


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


def test_malformed_json_lines_say_at_once(tmp_path):
    p = tmp_path / "docs.jsonl"
    p.write_text('{"id": "a", "text": "tab\there"}\n{"id": "b",, "text": "x"}\n{"id": "c"\n', encoding="utf-8")
    reasons = [d.reason for d in load_documents([p])]
    assert reasons == [
        "line 1: malformed JSON: Invalid control character at column 25",
        "line 2: malformed JSON: Expecting property name enclosed in double quotes at column 12",
        "line 3: malformed JSON: Expecting ',' delimiter at column 11",
    ]


def test_other_id_text_and_source_columns(tmp_path):
    p = tmp_path / "rows.jsonl"
    rows = [
        {"url": "https://a.example/1", "body": "Text one", "outlet": "A", "lang_note": "x"},
        {"url": "https://b.example/2", "body": "Text two", "text": "not this one"},
        {"url": "https://c.example/3", "summary": "no body"},
    ]
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    docs = list(load_documents([p], Columns(id="url", text="body", source="outlet")))
    assert [(d.id, d.text, d.source) for d in docs] == [
        ("https://a.example/1", "Text one", "A"),
        ("https://b.example/2", "Text two", None),
        ("https://c.example/3", "", None),
    ]
    assert docs[0].meta == {"lang_note": "x", "source_from": "column"}
    assert docs[1].meta == {"text": "not this one"}  # another column named text is carried, not read
    assert docs[2].reason == "no 'body' field (--text-column names the text column)"


@pytest.mark.parametrize(
    "mode, sources, recorded",
    [
        ("column", ["given", None, None], ["column", None, None]),
        ("folder", ["given", "feeds", "feeds"], ["column", "folder", "folder"]),
        ("file", ["given", "wire", "wire"], ["column", "file", "file"]),
        ("url-host", ["given", "example.org", None], ["column", "url-host", None]),
    ],
)
def test_source_from(tmp_path, mode, sources, recorded):
    folder = tmp_path / "feeds"
    folder.mkdir()
    p = folder / "wire.jsonl"
    rows = [
        {"id": "1", "text": "a", "source": "given", "url": "https://other.example/x"},
        {"id": "2", "text": "b", "source": "", "url": "https://WWW.Example.org:8080/path?q=1"},
        {"id": "3", "text": "c"},
    ]
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    docs = list(load_documents([p], Columns(source_from=mode)))
    assert [d.source for d in docs] == sources
    assert [d.meta.get("source_from") for d in docs] == recorded


def test_text_files_record_that_their_source_is_their_folder(tmp_path):
    (tmp_path / "outlet").mkdir()
    (tmp_path / "outlet" / "a.txt").write_text("Text A", encoding="utf-8")
    (doc,) = load_documents([tmp_path], Columns(source_from="url-host"))
    assert (doc.source, doc.meta) == ("outlet", {"source_from": "folder"})


def test_url_host():
    assert url_host("https://www.Example.org:8080/a?b") == "example.org"
    assert url_host("example.org/news/1") == "example.org"
    assert url_host("http://[::1") is None  # malformed: no host, no exception
    assert [url_host(v) for v in ("", None, 3, "/relative/path")] == [None, None, None, None]


def test_bad_columns_are_usage_errors():
    with pytest.raises(InputError, match="choose one of column, folder, file, url-host"):
        Columns(source_from="moon")
    with pytest.raises(InputError, match="must differ"):
        Columns(id="text")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rows.csv", "id,body\n1,Text one\n"),
        ("rows.jsonl", '{"id": 1, "body": "Text one"}\n{"id": 2, "body": "Text two", "lang": "en"}\n'),
    ],
)
def test_a_row_file_without_the_text_column_is_an_input_error_before_reading(tmp_path, name, content):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=r"no column 'text' in .*; its columns are: id, body"):
        load_documents([p])  # raised at the call, before a document is read
    assert [d.text for d in load_documents([p], Columns(text="body"))][0] == "Text one"


def test_the_columns_are_decided_from_the_first_rows_not_every_row(tmp_path):
    p = tmp_path / "rows.jsonl"
    p.write_text('{"id": 1, "text": "Text one"}\n{"id": 2, "body": "Text two"}\n', encoding="utf-8")
    docs = list(load_documents([p]))
    assert docs[1].status == "unreadable" and "no 'text' field" in docs[1].reason


def test_no_documents_note_counts_skipped_files(tmp_path):
    from audit.load import no_documents_note

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "README").write_text("x", encoding="utf-8")
    note = no_documents_note([tmp_path])
    assert note.splitlines() == [
        f"no document found in {tmp_path}",
        f"{tmp_path}: 2 files skipped (1 .md, 1 without suffix): only .txt files are read from folders",
    ]


def test_a_parquet_without_the_text_column_is_an_input_error(tmp_path):
    import pandas as pd

    p = tmp_path / "rows.parquet"
    pd.DataFrame({"id": ["a"], "body": ["Text one"]}).to_parquet(p)
    with pytest.raises(InputError, match=r"no column 'text' in .*rows.parquet; its columns are: id, body \(use --text"):
        load_documents([p])
