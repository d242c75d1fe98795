"""File safety (issue 13): only regular files are ever written, replaced, removed or read as input.

Every special file is made inside tmp_path (devices with ``os.mknod``, only as
root), never taken from the real /dev. Each case checks the refusal (exit 2,
one line) and that the special file is still there, still what it was.
"""

from __future__ import annotations

import os
import pathlib
import signal
import socket
import stat
import sys
from collections.abc import Callable, Iterator

import pytest

from qdtrack import files
from qdtrack.errors import BadInput

KINDS = ["chardev", "fifo", "socket", "dir"]
ALL = KINDS + [f"link-{k}" for k in KINDS]
WORDS = {
    "chardev": "a character device",
    "fifo": "a FIFO",
    "socket": "a socket",
    "dir": "a folder",
}


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """Opening a FIFO for writing blocks for ever: fail the test instead of hanging the run."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def boom(signum: int, frame: object) -> None:
        raise TimeoutError("blocked: something opened a special file")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


class Node:
    """A special file made in tmp_path, with a check that it is untouched."""

    def __init__(self, path: pathlib.Path, kind: str, sockets: list[socket.socket]) -> None:
        self.path = path
        self.kind = kind
        base = kind.removeprefix("link-")
        self.real = path if base == kind else path.with_name(path.name + ".real")
        make(self.real, base, sockets)
        if self.real != path:
            os.symlink(self.real.name, path)
        self.before = os.lstat(self.real)

    @property
    def word(self) -> str:
        return WORDS[self.kind.removeprefix("link-")]

    def assert_intact(self) -> None:
        if self.real != self.path:
            assert os.path.islink(self.path), f"the symlink {self.path} was replaced"
            assert os.readlink(self.path) == self.real.name
        after = os.lstat(self.real)
        assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(self.before.st_mode), f"{self.real} changed kind"
        assert after.st_ino == self.before.st_ino, f"{self.real} was replaced"
        if stat.S_ISCHR(after.st_mode):
            assert after.st_rdev == self.before.st_rdev
        if stat.S_ISDIR(after.st_mode):
            assert os.listdir(self.real) == []


def make(path: pathlib.Path, kind: str, sockets: list[socket.socket]) -> None:
    if kind == "chardev":
        if not hasattr(os, "geteuid") or os.geteuid() != 0:
            pytest.skip("device nodes need root (os.mknod)")
        try:
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # the null device's numbers
        except PermissionError:
            pytest.skip("os.mknod is not permitted here")
    elif kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this platform")
        os.mkfifo(path)
    elif kind == "socket":
        if not hasattr(socket, "AF_UNIX"):
            pytest.skip("no Unix sockets on this platform")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        here = os.getcwd()
        os.chdir(path.parent)  # a relative name keeps clear of the 108-byte socket path limit
        try:
            s.bind(path.name)
        finally:
            os.chdir(here)
        sockets.append(s)
    else:
        path.mkdir()


@pytest.fixture
def node(tmp_path: pathlib.Path) -> Iterator[Callable[[str, str], Node]]:
    sockets: list[socket.socket] = []

    def _node(kind: str, name: str = "node") -> Node:
        return Node(tmp_path / name, kind, sockets)

    yield _node
    for s in sockets:
        s.close()


def one_line_refusal(r: object, *words: str) -> None:
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)  # type: ignore[attr-defined]
    err = r.stderr.strip()  # type: ignore[attr-defined]
    assert len(err.splitlines()) == 1, err
    assert err.startswith("Error: ") and "Traceback" not in err and "internal error" not in err
    for w in words:
        assert w in err, (w, err)


# -- the checks themselves ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL)
def test_check_writable_target_refuses_what_is_not_a_regular_file(node, kind):
    n = node(kind)
    with pytest.raises(BadInput) as e:
        files.check_writable_target(n.path, "--output")
    msg = str(e.value)
    assert "\n" not in msg and str(n.path) in msg and n.word in msg
    assert ("symlink" in msg) == kind.startswith("link-")
    n.assert_intact()


def test_check_writable_target_lets_regular_files_and_new_paths_through(tmp_path):
    (tmp_path / "r.html").write_text("old")
    os.symlink("r.html", tmp_path / "link.html")
    os.symlink("missing.html", tmp_path / "dangling.html")
    for name in ("r.html", "link.html", "dangling.html", "new.html", "no-folder/new.html"):
        files.check_writable_target(tmp_path / name, "--output")


@pytest.mark.parametrize("kind", ALL)
def test_check_readable_input_refuses_what_is_not_a_regular_file(node, kind):
    n = node(kind)
    with pytest.raises(BadInput) as e:
        files.check_readable_input(n.path)
    assert str(e.value).startswith(f"cannot import {n.path}: it is ")
    assert n.word in str(e.value) and "\n" not in str(e.value)
    n.assert_intact()


def test_check_readable_input_lets_files_through(tmp_path):
    (tmp_path / "q2.csv").write_text("id,quarter\n")
    files.check_readable_input(tmp_path / "q2.csv")
    files.check_readable_input(tmp_path / "missing.csv")  # "no such file" is the reader's message


@pytest.mark.parametrize("text", [":memory:", "file:ledger.db", "file::memory:?cache=shared", "FILE:x.db", "", "  "])
def test_check_ledger_path_refuses_what_sqlite_would_not_keep_in_a_file(text):
    with pytest.raises(BadInput) as e:
        files.check_ledger_path(text)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("kind", ALL)
def test_check_ledger_path_refuses_special_files(node, kind):
    n = node(kind)
    with pytest.raises(BadInput, match="not a regular file"):
        files.check_ledger_path(n.path)
    n.assert_intact()


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_check_ledger_path_refuses_special_side_files(node, tmp_path, suffix):
    n = node("fifo", "ledger.db" + suffix)
    with pytest.raises(BadInput, match=f"ledger.db{suffix} is a FIFO"):
        files.check_ledger_path(tmp_path / "ledger.db")
    n.assert_intact()


def test_check_ledger_path_lets_files_through(tmp_path):
    (tmp_path / "ledger.db").write_bytes(b"")
    files.check_ledger_path(tmp_path / "ledger.db")
    files.check_ledger_path(tmp_path / "new.db")


# -- writing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL)
def test_write_atomic_never_replaces_a_special_file(node, tmp_path, kind):
    n = node(kind)
    with pytest.raises(BadInput):
        files.write_atomic(n.path, b"report")
    n.assert_intact()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


@pytest.mark.parametrize("kind", ALL)
def test_output_lock_refuses_before_making_a_lock_file(node, tmp_path, kind):
    n = node(kind)
    with pytest.raises(BadInput), files.output_lock(n.path):
        pytest.fail("the lock was taken")
    assert not files.lock_path(n.path).exists()
    n.assert_intact()


@pytest.mark.parametrize("kind", [*ALL, "link-file"])
def test_a_special_lock_file_is_refused_and_left_alone(node, tmp_path, kind):
    if kind == "link-file":
        (tmp_path / "other").write_text("keep")
        os.symlink("other", tmp_path / "r.md.lock")
    else:
        n = node(kind, "r.md.lock")
    with pytest.raises(BadInput, match="lock file"), files.output_lock(tmp_path / "r.md"):
        pytest.fail("the lock was taken")
    if kind == "link-file":
        assert (tmp_path / "other").read_text() == "keep" and os.path.islink(tmp_path / "r.md.lock")
    else:
        n.assert_intact()
    assert not (tmp_path / "r.md").exists()


def test_write_atomic_keeps_the_mode_without_fchmod(tmp_path, monkeypatch):
    path = tmp_path / "r.md"
    path.write_text("old")
    os.chmod(path, 0o640)
    monkeypatch.delattr(os, "fchmod", raising=False)  # as on Windows
    files.write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_write_atomic_replaces_a_symlink_not_the_file_it_names(tmp_path):
    """Renaming over a symlink replaces the link: the file it named (an older report, say) is kept."""
    (tmp_path / "2025-03-31.html").write_text("Q1")
    os.symlink("2025-03-31.html", tmp_path / "latest.html")
    files.write_atomic(tmp_path / "latest.html", b"Q2")
    assert (tmp_path / "latest.html").read_text() == "Q2" and not os.path.islink(tmp_path / "latest.html")
    assert (tmp_path / "2025-03-31.html").read_text() == "Q1"


# -- through the CLI ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL)
def test_report_output_onto_a_special_file_is_refused(seeded, run, node, tmp_path, kind):
    n = node(kind)
    r = run("report", "--output", n.path)
    one_line_refusal(r, str(n.path), n.word)
    n.assert_intact()
    assert not files.lock_path(n.path).exists()
    r = run("report", "--format", "json")
    assert '"previous_report_at": null' in r.stdout  # the refused run was not recorded


@pytest.mark.parametrize("kind", ALL)
def test_report_output_through_date_onto_a_special_file_is_refused(seeded, run, node, tmp_path, kind):
    n = node(kind, "2025-06-30.html")
    r = run("report", "--as-of", "2025Q2", "--output", tmp_path / "{date}.html")
    one_line_refusal(r, n.word)
    n.assert_intact()


@pytest.mark.parametrize("kind", ALL)
def test_export_output_onto_a_special_file_is_refused(seeded, run, node, kind):
    n = node(kind)
    r = run("export", "--output", n.path)
    one_line_refusal(r, str(n.path), n.word)
    n.assert_intact()
    assert not files.lock_path(n.path).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_report_lock_file_that_is_special_is_left_alone(seeded, run, node, tmp_path, kind):
    n = node(kind, "r.html.lock")
    r = run("report", "--output", tmp_path / "r.html")
    one_line_refusal(r, "lock file")
    n.assert_intact()
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("force", [True, False])
@pytest.mark.parametrize("kind", ALL)
def test_backup_onto_a_special_file_is_refused(seeded, run, node, kind, force):
    n = node(kind)
    r = run("backup", n.path, *(["--force"] if force else []))
    one_line_refusal(r, str(n.path), n.word)
    n.assert_intact()


@pytest.mark.parametrize("kind", ["chardev", "fifo", "socket", "link-chardev", "link-fifo"])
def test_a_special_file_as_the_ledger_is_refused_and_kept(run, node, monkeypatch, kind):
    """QDTRACK_DB=/dev/null qdtrack status once removed the device (issue 13)."""
    n = node(kind)
    monkeypatch.setenv("QDTRACK_DB", str(n.path))
    for args in (["status"], ["init"], ["check"]):
        r = run(*args)
        one_line_refusal(r, "not a regular file")
    n.assert_intact()


# -- nothing POSIX-only on the paths every platform runs ---------------------------------------


def test_report_and_export_need_no_fcntl(seeded, run, tmp_path, monkeypatch):
    """Windows has no fcntl: --output must not need it (filelock uses msvcrt there)."""
    import filelock  # noqa: F401 - filelock picks its own backend at import; qdtrack itself must not import fcntl

    monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl now raises ImportError
    monkeypatch.delattr(os, "fchmod", raising=False)
    for args in (
        ["report", "--output", tmp_path / "r.html"],
        ["report", "--output", tmp_path / "r.xlsx"],
        ["export", "--output", tmp_path / "e.csv"],
        ["export", "--output", tmp_path / "e.xlsx"],
    ):
        r = run(*args)
        assert r.exit_code == 0, (args, r.stderr)
        assert r.stderr == "", r.stderr
    for name in ("r.html", "r.xlsx", "e.csv", "e.xlsx"):
        assert (tmp_path / name).stat().st_size > 0
    assert (tmp_path / "r.html").read_bytes().startswith(b"<!DOCTYPE html>")
