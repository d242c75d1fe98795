"""Translation: language choice, help translated when shown, click's messages, the catalogue."""

import datetime
import io
import json
import os
import pathlib
import runpy
import shutil
import subprocess
import sys

import pytest

from qdtrack import __version__, i18n
from qdtrack.periods import Quarter
from tests.conftest import write_config

REPO = pathlib.Path(__file__).resolve().parent.parent
PO = REPO / "qdtrack" / "locale" / "zh_CN" / "LC_MESSAGES" / "qdtrack.po"




# --- choosing the language ----------------------------------------------------------


def test_choice_option_beats_config_beats_locale_beats_default(monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.choose_language("EN", "zh") == ("en", "option")
    assert i18n.choose_language(None, "en") == ("en", "config")
    assert i18n.choose_language(None, None) == ("zh", "LANG=zh_CN.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL comes before LANG
    assert i18n.choose_language(None, None) == ("en", "LC_ALL=en_US.UTF-8")
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert i18n.choose_language(None, None) == ("en", "default")


@pytest.mark.parametrize(
    "args, config, lang_env, want, source",
    [
        (["--lang", "zh"], 'lang = "en"\n', "en_US.UTF-8", "zh", "option"),
        ([], 'lang = "zh"\n', "en_US.UTF-8", "zh", "config"),
        ([], 'lang = "en"\n', "zh_CN.UTF-8", "en", "config"),
        ([], None, "zh_CN.UTF-8", "zh", "environment"),
        ([], None, None, "en", "default"),
    ],
)
def test_qdtrack_config_tells_which_source_decided(run, monkeypatch, args, config, lang_env, want, source):
    if config:
        write_config(config)
    if lang_env:
        monkeypatch.setenv("LANG", lang_env)
    else:
        monkeypatch.delenv("LANG")
    result = run("config", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    lang = json.loads(result.stdout)["settings"]["lang"]
    assert (lang["value"], lang["source"]) == (want, source)


# --- translated when shown ------------------------------------------------------------


def test_two_runs_in_one_process_give_two_languages(run, monkeypatch):
    english = run("--help").stdout
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    chinese = run("--help").stdout
    monkeypatch.setenv("LANG", "C.UTF-8")
    english_again = run("--help").stdout
    assert "Track the targets of Qingdao" in english and "Exit codes" in english
    assert "在本地台账中跟踪青岛市政府工作报告" in chinese and "退出码" in chinese
    assert "用法：" in chinese and "显示本帮助并退出。" in chinese and "Usage:" not in chinese
    assert english_again == english


def test_lang_option_translates_the_options_help(run):
    en = run("config", "--help").stdout
    zh = run("config", "--help", "--lang", "zh").stdout
    assert "Output format." in en and "The ledger file." in en and "Language of the output" in en
    for text in ("输出格式。", "台账数据库文件。", "输出语言：", "显示当前生效的设置及其来源", "[默认：table]"):
        assert text in zh, text
    assert "Output format." not in zh


def test_click_messages_in_chinese(run, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    no_command = run("nope")
    assert no_command.exit_code == 2 and "没有 'nope' 这个命令。" in no_command.stderr
    missing = run("show")
    assert missing.exit_code == 2 and "缺少参数 'ID'" in missing.stderr
    invalid = run("config", "--format", "xml")
    assert invalid.exit_code == 2 and "'--format' 的取值无效：'xml' 不是可选值" in invalid.stderr
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "No such command 'nope'." in run("nope").stderr  # and back to English


def test_short_help_of_a_chinese_command_is_cut_at_the_full_stop(run, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    out = run("--help").stdout
    line = next(x for x in out.splitlines() if x.strip().startswith("config"))
    assert line.split(None, 1)[1] == "显示当前生效的设置及其来源"


def test_lazy_text_translates_when_shown():
    text = i18n.N_("Output format.")
    i18n.activate("en")
    assert str(text) == "Output format." and f"[{text}]" == "[Output format.]"
    i18n.activate("zh")
    assert str(text) == "输出格式。" and f"[{text}]" == "[输出格式。]" and "> " + text == "> 输出格式。"
    assert i18n._("Missing argument") == "缺少参数"
    assert i18n.ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 3)
    assert i18n._("a msgid nobody translated") == "a msgid nobody translated"


def test_dates_and_quarters():
    d = datetime.date(2025, 6, 30)
    assert i18n.format_date(d, "zh") == "2025年6月30日"
    assert i18n.format_date(d, "en") == "2025-06-30"
    assert i18n.format_quarter(Quarter(2025, 2), "zh") == "2025年二季度"
    assert i18n.format_quarter(Quarter(2025, 4), "en") == "2025Q4"
    i18n.activate("zh")
    assert i18n.format_date(d) == "2025年6月30日"


def test_scan_lang_reads_the_command_line_before_click():
    assert i18n.scan_lang(["status", "--lang", "ZH"]) == "zh"
    assert i18n.scan_lang(["status", "--lang=en"]) == "en"
    assert i18n.scan_lang(["status", "--lang", "fr"]) is None  # click reports it
    assert i18n.scan_lang(["update", "1", "--", "--lang", "zh"]) is None


# --- processes: cron's bare environment, an ASCII terminal -------------------------


def bare_env(home: pathlib.Path, **extra: str) -> dict:
    return {"HOME": str(home), "PATH": os.environ["PATH"], **extra}


def test_only_home_path_and_a_config_give_chinese_help(tmp_path):
    config = tmp_path / ".config" / "qdtrack" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('lang = "zh"\n', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "qdtrack", "--help"], capture_output=True, text=True,
                       encoding="utf-8", env=bare_env(tmp_path), cwd=REPO)
    assert r.returncode == 0, r.stderr
    assert "在本地台账中跟踪青岛市政府工作报告" in r.stdout and "退出码" in r.stdout


def test_ascii_terminal_and_lang_zh_get_one_line_not_a_traceback(tmp_path):
    env = bare_env(tmp_path, LANG="C", PYTHONIOENCODING="ascii")
    r = subprocess.run([sys.executable, "-m", "qdtrack", "config", "--lang", "zh"], capture_output=True,
                       text=True, encoding="ascii", errors="replace", env=env, cwd=REPO)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert r.stdout == ""
    assert r.stderr.strip().splitlines() == [
        "Error: this terminal cannot show Chinese text; use a UTF-8 locale "
        "(e.g. LANG=zh_CN.UTF-8 or LANG=C.UTF-8) or --lang en"
    ]


def test_unencodable_output_is_one_line(run, monkeypatch):
    """Text written past click (print) to a stream that cannot encode it: one line, exit 1."""
    from qdtrack.cli import cli

    @cli.command("say-chinese")
    def say() -> None:
        "中文".encode("ascii")  # what print() to an ASCII stream raises

    try:
        result = run("say-chinese")
    finally:
        cli.commands.pop("say-chinese")
    assert result.exit_code == 1 and "use a UTF-8 locale" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_ascii_terminal_with_a_chinese_config_reads_english(tmp_path):
    config = tmp_path / ".config" / "qdtrack" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('lang = "zh"\n', encoding="utf-8")
    env = bare_env(tmp_path, LANG="C", PYTHONIOENCODING="ascii")
    r = subprocess.run([sys.executable, "-m", "qdtrack", "--help"], capture_output=True, text=True,
                       encoding="ascii", errors="replace", env=env, cwd=REPO)  # English help may quote 台账
    assert r.returncode == 0, r.stderr
    assert "Track the targets" in r.stdout and "Traceback" not in r.stderr


# --- the catalogue -----------------------------------------------------------------------


def test_catalogue_check_passes():
    r = subprocess.run([sys.executable, "tools/i18n.py", "check"], capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.fixture
def tool(tmp_path, monkeypatch):
    """tools/i18n.py with its zh_CN .po/.mo copied to tmp_path."""
    ns = runpy.run_path(str(REPO / "tools" / "i18n.py"))
    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(PO, folder / "qdtrack.po")
    shutil.copy(PO.with_suffix(".mo"), folder / "qdtrack.mo")
    monkeypatch.setitem(ns["problems_of"].__globals__, "po_path", lambda locale: folder / "qdtrack.po")
    return ns, folder


def test_check_finds_stale_untranslated_fuzzy_and_uncompiled(tool):
    ns, folder = tool
    tmpl = ns["template"]()
    assert ns["problems_of"]("zh_CN", tmpl) == []
    tmpl.add("A new message in the source")
    assert any("stale, not in the .po: 'A new message in the source'" in p for p in ns["problems_of"]("zh_CN", tmpl))
    po = folder / "qdtrack.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "输出格式。"', 'msgstr ""'), encoding="utf-8")
    problems = ns["problems_of"]("zh_CN", ns["template"]())
    assert f"{po}: untranslated: 'Output format.'" in problems
    assert any("does not match its .po" in p for p in problems)
    po.write_text(text.replace('msgid "Output format."', '#, fuzzy\nmsgid "Output format."'), encoding="utf-8")
    assert any("fuzzy: 'Output format.'" in p for p in ns["problems_of"]("zh_CN", ns["template"]()))


def test_check_finds_changed_placeholders(tool):
    ns, folder = tool
    po = folder / "qdtrack.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "配置文件：{path}（{state}）"', 'msgstr "配置文件：{pth}（{state}）"'), encoding="utf-8")
    assert any("placeholders differ" in p for p in ns["problems_of"]("zh_CN", ns["template"]()))


def test_every_click_message_exists_in_the_installed_click():
    ns = runpy.run_path(str(REPO / "tools" / "i18n.py"))
    assert ns["click_problems"]() == []


# --- the language of each run, the group's --lang, cron's bare environment --------------------


def test_option_help_and_errors_follow_each_runs_language(run, seeded, monkeypatch):
    english = run("update", "--help").stdout
    error_en = run("update", "999", "--note", "x", "--quarter", "2025Q2").stderr
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    chinese = run("update", "--help").stdout
    error_zh = run("update", "999", "--note", "x", "--quarter", "2025Q2").stderr
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "Year-to-date figure" in english and "累计完成数：4、278.17万" in chinese
    assert "Year-to-date figure" not in chinese
    assert error_en.startswith("Error: no task '999' in the ledger")
    assert error_zh.startswith("错误：台账中没有任务 '999'")
    assert run("update", "--help").stdout == english  # and back


def test_lang_before_the_command(run, seeded):
    """qdtrack --lang zh CMD: also for commands that print but take no --lang of their own."""
    assert run("--lang", "zh", "check").stdout == "正常\n"
    assert run("check").stdout == "ok\n"
    backup = run("--lang", "zh", "backup")
    assert backup.exit_code == 2 and backup.stderr.startswith("错误：缺少参数 'PATH'。")


def test_cron_with_home_path_and_a_config_writes_a_chinese_report(tmp_path):
    """The README's crontab line: no LANG, minimal PATH, lang = "zh" in the config file."""
    from tests.test_i18n_scan import english_words

    config = tmp_path / ".config" / "qdtrack" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('lang = "zh"\n', encoding="utf-8")
    env = bare_env(tmp_path)
    qdtrack = [sys.executable, "-m", "qdtrack"]
    init = subprocess.run([*qdtrack, "init"], capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path)
    assert init.returncode == 0 and init.stderr.startswith("已根据内置的2025年种子数据"), init.stderr
    out = tmp_path / "reports" / "{date}.md"
    r = subprocess.run([*qdtrack, "report", "--format", "markdown", "--output", str(out)], capture_output=True,
                       text=True, encoding="utf-8", env=env, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "" and r.stderr == "", r.stderr
    report = (tmp_path / "reports" / "2025-03-31.md").read_text(encoding="utf-8")
    assert "欠进度" in report and english_words(report) == []


def test_chinese_help_wraps_by_display_width(run, monkeypatch):
    from click.formatting import wrap_text

    from qdtrack import cjkwrap

    text = "未给出 --output 时，markdown 输出到标准输出。给出 --output 时，文件要么完整写成，要么不写，" * 3
    lines = cjkwrap.wrap(text, 40, "  ").splitlines()
    assert all(cjkwrap.width(line) <= 42 for line in lines) and len(lines) > 3  # 42: a closing mark may hang
    assert not any(line.strip()[0] in "，。；：）" for line in lines)
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
    english = "Markdown goes to stdout unless --output is given.\n\n\b\nExamples:\n    qdtrack report"
    assert cjkwrap.wrap(english, 30, "  ") == wrap_text(english, 30, "  ", "  ", preserve_paragraphs=True)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    help_text = run("report", "--help").stdout
    assert max(cjkwrap.width(line) for line in help_text.splitlines()) <= 82  # 80 columns, a closing mark may hang
    assert "    qdtrack report --format html --output reports/{date}.html" in help_text  # examples as written


def test_version_and_a_group_alone_in_chinese(run, monkeypatch):
    assert run("--version").stdout.endswith(", version " + __version__ + "\n")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert run("--version").stdout.endswith(" 版本 " + __version__ + "\n")  # click froze its message at import; ours is lazy
    alone = run("plan")
    assert alone.exit_code == 2 and alone.stdout == ""
    assert alone.stderr.startswith("用法：") and "\n\n命令：\n" in alone.stderr  # the help as click shows it, not one line


def test_the_catalogue_answers_as_gnutranslations_does():
    """i18n.MoCatalogue (messages looked up when shown) against the standard library's reader."""
    import gettext
    import pathlib

    import qdtrack

    mo = pathlib.Path(qdtrack.__file__).parent / "locale" / "zh_CN" / "LC_MESSAGES" / "qdtrack.mo"
    data = mo.read_bytes()
    ours, reference = i18n.MoCatalogue(data), gettext.GNUTranslations(io.BytesIO(data))
    keys = list(reference._catalog)  # type: ignore[attr-defined]
    assert len(keys) > 600
    plurals = 0
    for key in keys:
        if isinstance(key, tuple):  # (msgid, form) of a plural message
            plurals += 1
            singular = key[0]
            plural = next(i for i in _plural_ids(data) if i[0] == singular)[1]
            for n in (0, 1, 2, 5, 21):
                assert ours.ngettext(singular, plural, n) == reference.ngettext(singular, plural, n)
            assert ours.gettext(singular) == reference.gettext(singular)
        elif key:
            assert ours.gettext(key) == reference.gettext(key), key
    assert plurals, "no plural message to compare"
    for unknown in ("not in the catalogue", "状态", "", "x\0y"):
        assert ours.gettext(unknown) == reference.gettext(unknown)
    assert ours.ngettext("{n} thing", "{n} things", 1) == reference.ngettext("{n} thing", "{n} things", 1)
    assert ours.ngettext("{n} thing", "{n} things", 3) == reference.ngettext("{n} thing", "{n} things", 3)


def _plural_ids(data: bytes) -> list[tuple[str, str]]:
    """The (singular, plural) msgids of a .mo's plural messages, read with struct."""
    import struct

    n, originals = struct.unpack_from("<I", data, 8)[0], struct.unpack_from("<I", data, 12)[0]
    out = []
    for i in range(n):
        length, offset = struct.unpack_from("<2I", data, originals + 8 * i)
        key = data[offset : offset + length].decode()
        if "\0" in key:
            out.append(tuple(key.split("\0", 1)))
    return out


def test_a_file_that_is_not_a_catalogue_is_refused():
    with pytest.raises(ValueError):
        i18n.MoCatalogue(b"not a catalogue at all, 32 bytes+")


@pytest.mark.parametrize("keep", [10, 20, 1000, "three quarters"])
def test_a_damaged_catalogue_is_refused_whole_and_english_is_shown(keep, monkeypatch, tmp_path):
    """A truncated .mo (a partial copy) must not translate messages to blanks: the whole
    catalogue is refused, as GNUTranslations refuses it, and the reader gets English."""
    import qdtrack

    mo = pathlib.Path(qdtrack.__file__).parent / "locale" / "zh_CN" / "LC_MESSAGES" / "qdtrack.mo"
    data = mo.read_bytes()
    cut = data[: len(data) * 3 // 4] if keep == "three quarters" else data[:keep]
    with pytest.raises(ValueError):
        i18n.MoCatalogue(cut)
    broken = tmp_path / "locale" / "zh_CN" / "LC_MESSAGES"
    broken.mkdir(parents=True)
    (broken / "qdtrack.mo").write_bytes(cut)
    monkeypatch.setattr(i18n, "__file__", str(tmp_path / "i18n.py"))  # the catalogue is read from beside the module
    monkeypatch.setattr(i18n, "_catalogues", {})
    i18n.activate("zh")
    assert i18n._("no area {area} in {year}; areas are {first}-{last} (qdtrack areas lists them)").startswith("no area")


def test_a_translation_that_is_not_utf8_is_shown_in_english():
    import qdtrack

    mo = pathlib.Path(qdtrack.__file__).parent / "locale" / "zh_CN" / "LC_MESSAGES" / "qdtrack.mo"
    data = bytearray(mo.read_bytes())
    cat = i18n.MoCatalogue(bytes(data))
    msgid = "nothing was recorded"
    i = cat._find(msgid.encode())
    offset = cat._to[2 * i + 1]
    data[offset : offset + 2] = b"\xff\xfe"  # the same length, no longer UTF-8
    assert i18n.MoCatalogue(bytes(data)).gettext(msgid) == msgid
    assert cat.gettext(msgid) != msgid  # the undamaged catalogue translates it
