"""The Staticman import with hostile or broken data files: every problem is a
message naming the file, nothing is written, and nothing can exhaust memory."""

from __future__ import annotations

import json
import subprocess
import textwrap

import pytest
import yaml

from tests.support.receiver import PYTHON, ROOT, cli_env

SLUG = "restless-legs-syndrome"

ALIAS_BOMB = textwrap.dedent("""\
    name: Jane
    message: hello
    date: 1764008100
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    _parent: [*i,*i,*i,*i,*i,*i,*i,*i,*i]
""")


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def _plan(tmp_path):
    from comment_receiver.staticman import plan_import

    return plan_import(tmp_path / "staticman", tmp_path / "content")


def _fields(**fields):
    return yaml.safe_dump({"name": "Jane Doe", "message": "Hello.", "date": 1764008100, **fields})


@pytest.mark.parametrize("date", [".inf", "-.inf", ".nan", "1e300", "99999999999999999999", "253402300799000", "-62135596800"])
def test_a_date_that_cannot_be_represented_is_a_problem_for_that_file(tmp_path, date):
    _write(tmp_path / "staticman" / SLUG, "one.yml", f"name: Jane\nmessage: Hi.\ndate: {date}\n")
    plan = _plan(tmp_path)
    assert plan.comments == []
    assert len(plan.problems) == 1 and "one.yml: 'date'" in plan.problems[0]


def test_a_date_at_the_edge_of_the_calendar_is_refused(tmp_path):
    _write(tmp_path / "staticman" / SLUG, "edge.yml", _fields(date="9999-12-31 23:59 -12:00"))
    plan = _plan(tmp_path)
    assert plan.comments == [] and "edge.yml: 'date'" in plan.problems[0] and "out of range" in plan.problems[0]


@pytest.mark.parametrize("field", ["name", "message", "_parent", "website", "email", "date"])
@pytest.mark.parametrize("value", [["a", "b"], {"x": "y"}], ids=["list", "mapping"])
def test_any_field_holding_a_structure_is_a_problem_never_str_of_it(tmp_path, field, value):
    _write(tmp_path / "staticman" / SLUG, "one.yml", _fields(**{field: value}))
    plan = _plan(tmp_path)
    assert plan.comments == []
    assert plan.problems == [f"{tmp_path / 'staticman' / SLUG / 'one.yml'}: {field} is a {type(value).__name__}, "
                             "not text; Staticman writes one value per field"]


def test_yaml_aliases_are_refused_and_an_alias_bomb_stays_within_a_memory_cap(tmp_path):
    folder = tmp_path / "staticman" / SLUG
    _write(folder, "bomb.yml", ALIAS_BOMB)
    # A subprocess limited to 300 MB of address space: expanding the bomb
    # would need gigabytes and end in MemoryError instead of a message.
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (300 * 2**20, 300 * 2**20))\n"
        "from comment_receiver.__main__ import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [PYTHON, "-c", script, "import-staticman", str(tmp_path / "staticman")],
        env=cli_env(COMMENTS_QUEUE=tmp_path / "queue", COMMENTS_CONTENT=tmp_path / "content"),
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert "bomb.yml: cannot be read as Staticman data (ComposerError)" in result.stderr
    assert not (tmp_path / "content").exists()


def test_a_linked_file_or_folder_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    _write(outside, "secret.yml", _fields())
    folder = tmp_path / "staticman" / SLUG
    folder.mkdir(parents=True)
    (folder / "link.yml").symlink_to(outside / "secret.yml")
    (tmp_path / "staticman" / "iron-deficiency").symlink_to(outside, target_is_directory=True)
    plan = _plan(tmp_path)
    assert plan.comments == []
    assert any("link.yml: is not a regular file" in p for p in plan.problems)
    assert any("iron-deficiency: is a link to a folder" in p for p in plan.problems)


@pytest.mark.parametrize("name", ["\u200b\u200b", "\U0001F600", "Ann\u202eeoD"], ids=["invisible", "emoji-only", "bidi"])
def test_a_name_without_a_letter_is_refused_and_invisible_characters_are_dropped(tmp_path, name):
    _write(tmp_path / "staticman" / SLUG, "one.json", json.dumps({"name": name, "message": "Hi.", "date": 1764008100}))
    plan = _plan(tmp_path)
    if name.startswith("Ann"):
        assert plan.problems == [] and plan.comments[0].author == "AnneoD"
    else:
        assert plan.comments == [] and plan.problems


def test_a_message_with_noncharacters_and_bidi_controls_is_imported_without_them(tmp_path):
    _write(tmp_path / "staticman" / SLUG, "one.json",
           json.dumps({"name": "Jane", "message": "A\ufffeB\u202eC\x85D", "date": 1764008100}))
    plan = _plan(tmp_path)
    assert plan.problems == [] and plan.comments[0].body == "ABCD"
