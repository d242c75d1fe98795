"""The config file: precedence, checked values, one-line errors, ``qdtrack config``."""

import json
import os
import pathlib
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qdtrack import config
from qdtrack.config import ConfigError, config_value, effective_settings, load_config, setting
from tests.conftest import write_config


def test_path_follows_xdg_config_home_else_home(monkeypatch, tmp_path):
    assert config.config_path() == str(pathlib.Path(os.environ["XDG_CONFIG_HOME"]) / "qdtrack" / "config.toml")
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config.config_path() == str(tmp_path / ".config" / "qdtrack" / "config.toml")


def test_no_file_means_defaults(monkeypatch):
    monkeypatch.delenv("QDTRACK_DB", raising=False)
    assert load_config() == {}
    by_name = {s.name: s for s in effective_settings()}
    assert by_name["db"].value == str(config.default_db_path()) and by_name["db"].source == "default"
    assert by_name["tolerance"].value == 0.0 and by_name["tolerance"].source == "default"
    assert by_name["by"].source == "default" and by_name["by"].value


def test_db_precedence_option_env_config_default(monkeypatch, tmp_path):
    path = write_config('db = "/srv/qdtrack/ledger.db"\n')
    assert setting("db", "/cli.db") == config.Setting("db", "/cli.db", "option", "--db")
    monkeypatch.setenv("QDTRACK_DB", "/env.db")
    assert setting("db") == config.Setting("db", "/env.db", "environment", "QDTRACK_DB")
    monkeypatch.delenv("QDTRACK_DB")
    assert setting("db") == config.Setting("db", "/srv/qdtrack/ledger.db", "config", str(path))
    path.unlink()
    assert setting("db").source == "default"


def test_tolerance_and_by_precedence():
    write_config('tolerance = 2\nby = " 市发改委 "\n')
    assert setting("tolerance") .value == 2.0 and setting("tolerance").source == "config"
    assert setting("tolerance", 0.5).value == 0.5
    assert config_value("tolerance") == 2.0 and isinstance(config_value("tolerance"), float)
    assert config_value("by") == "市发改委"
    assert setting("by", "张三").source == "option"


def test_relative_db_is_from_the_config_folder_and_tilde_expands(monkeypatch, tmp_path):
    path = write_config('db = "data/ledger.db"\n')
    assert config_value("db") == str(path.parent / "data" / "ledger.db")
    monkeypatch.setenv("HOME", str(tmp_path))
    write_config('db = "~/ledger.db"\n')
    assert config_value("db") == str(tmp_path / "ledger.db")


def test_a_changed_file_is_read_again():
    write_config('tolerance = 1\n')
    assert config_value("tolerance") == 1.0
    write_config('tolerance = 3.5\nlang = "zh"\n')
    assert config_value("tolerance") == 3.5


@pytest.mark.parametrize(
    "text, words",
    [
        ('lang = "zh"\ntolerance = \n', ["line 2", "not valid TOML", "Invalid value"]),
        ('lang = zh\n', ["line 1", "not valid TOML"]),
        ('[section\n', ["line 1", "not valid TOML"]),
        ('lang = "zh"\nby = "x\n', ["line 2", "not valid TOML"]),
        ('colour = 1\nlang = "zh"\n', ["unknown keys: colour", "the keys are lang, db, tolerance, by"]),
        ('tolerance = "a"\n', ["tolerance = 'a' is not valid", "a number of points from 0 to 100"]),
        ('tolerance = 150\n', ["tolerance = 150 is not valid"]),
        ('tolerance = true\n', ["tolerance = True is not valid"]),
        ('lang = "fr"\n', ["lang = 'fr' is not valid", '"zh" or "en"']),
        ('by = ""\n', ["by = '' is not valid"]),
        ('db = 3\n', ["db = 3 is not valid"]),
    ],
)
def test_bad_config_is_one_clear_line(text, words):
    path = write_config(text)
    with pytest.raises(ConfigError) as e:
        load_config()
    message = str(e.value)
    assert str(path) in message and "\n" not in message
    for word in words:
        assert word in message


def test_not_utf8(tmp_path):
    path = write_config("")
    path.write_bytes(b'by = "\xb9\xfa"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config()


def test_cli_reports_a_malformed_config_with_file_and_line(run):
    path = write_config('lang = "zh"\ntolerance = \n')
    result = run("config")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "line 2" in lines[0]


def test_cli_malformed_config_in_chinese(run, monkeypatch):
    path = write_config('lang = "zh"\ntolerance = \n')
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = run("--help")
    assert result.exit_code == 1
    assert f"配置文件 {path} 第 2 行不是有效的 TOML" in result.stderr


def test_qdtrack_config_table_in_both_languages(run, monkeypatch, tmp_path):
    path = write_config('tolerance = 2.5\nby = "市发改委"\n')
    monkeypatch.setenv("QDTRACK_DB", str(tmp_path / "env.db"))
    en = run("config")
    assert en.exit_code == 0, en.stderr
    assert f"Config file: {path} (found)" in en.stdout
    assert "environment variable QDTRACK_DB" in en.stdout
    tol = next(line for line in en.stdout.splitlines() if line.startswith("tolerance"))
    assert "2.5" in tol and "config file" in tol
    zh = run("config", "--lang", "zh")
    assert f"配置文件：{path}（已找到）" in zh.stdout
    for word in ("配置项", "含义", "取值", "来源", "容差（百分点）", "填报人", "环境变量 QDTRACK_DB", "命令行选项 --lang"):
        assert word in zh.stdout, word


def test_qdtrack_config_json(run, monkeypatch):
    path = write_config('lang = "zh"\ndb = "ledger.db"\n')
    monkeypatch.delenv("QDTRACK_DB", raising=False)
    data = json.loads(run("config", "--format", "json").stdout)
    assert data["config_file"] == str(path) and data["config_file_exists"] is True
    assert data["settings"]["db"] == {"value": str(path.parent / "ledger.db"), "source": "config", "detail": str(path)}
    assert data["settings"]["lang"]["source"] == "config"
    over = json.loads(run("config", "--format", "json", "--db", "/x.db").stdout)
    assert over["settings"]["db"] == {"value": "/x.db", "source": "option", "detail": "--db"}


def test_no_config_file_means_no_toml_parser(tmp_path):
    probe = "import sys\nfrom qdtrack.cli import cli\ntry:\n    cli.main(['config'])\nexcept SystemExit:\n    pass\nprint('tomllib' in sys.modules)\n"
    env = {"HOME": str(tmp_path), "PATH": os.environ["PATH"]}
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert r.stdout.strip().splitlines()[-1] == "False", r.stderr


# -- the plain-TOML fast path agrees with tomllib -------------------------------------------

_LINES = st.one_of(
    st.sampled_from(['lang = "zh"', 'by = "王芳"', "tolerance = 2", "tolerance = 2.5", 'db = "~/q/ledger.db"', "", "# note", "  ", "\t# 注释"]),
    st.builds(
        lambda k, v, c: f"{k} = {v}{c}",
        st.sampled_from(["lang", "by", "db", "tolerance", "x-y", "a.b", '"q"', "9"]),
        st.one_of(
            st.text(max_size=8).map(lambda t: '"' + t + '"'),
            st.integers(-10**6, 10**6).map(str),
            st.floats(allow_nan=True, allow_infinity=True).map(repr),
            st.text(alphabet="0123456789.+-_eE", max_size=6),
            st.sampled_from(["true", "'lit'", '"""x"""', "[1]", "{a=1}", "1979-05-27", "0x1F", "01", "+2", "2.", ".5"]),
        ),
        st.sampled_from(["", " # c", "#c", " \t", " # \x01", "\r"]),
    ),
    st.text(max_size=12),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_LINES, max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_plain_toml_agrees_with_tomllib(lines, newline):
    import tomllib

    text = newline.join(lines)
    fast = config.plain_toml(text)
    try:
        slow = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert fast is None, text
        return
    assert fast is None or fast == slow, text
    if fast is not None:
        assert all(type(fast[k]) is type(slow[k]) for k in fast), text


def test_plain_toml_reads_the_usual_file_without_tomllib():
    text = '# 定时任务\nlang = "zh"  # 中文\nby = "市发改委"\ntolerance = 2.5\ndb = "~/qdtrack/ledger.db"\n'
    assert config.plain_toml(text) == {"lang": "zh", "by": "市发改委", "tolerance": 2.5, "db": "~/qdtrack/ledger.db"}
    assert config.plain_toml('lang = "zh"\nlang = "en"\n') is None  # a repeated key: tomllib words the error
    assert config.plain_toml('by = "a\\"b"\n') is None  # an escape: tomllib reads it
