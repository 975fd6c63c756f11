"""Writing and reading model files safely: ``Module.save`` and ``Module.load``.

Writing: the text goes to a temporary file beside the target that then
replaces it in one step (``os.replace``), so a crash leaves the old file or the
new one, never half of one. The temporary file is created with mode 0o666, so
the umask applies as it would to ``open(path, "w")``; an existing file's mode
is kept; a symlink is written through (its target is replaced, the link stays);
the file and then its directory are synced, so the rename survives a power
cut; and an error names the target, never the temporary file.

Reading: at most ``cap`` bytes are read (a larger file, or ``/dev/zero``, is
refused without reading further); the bytes must be UTF-8 (a byte order mark is
allowed); the JSON may not repeat a key, nest deeper than a model file does,
hold a number with more than ``_MAX_DIGITS`` digits or a nan/inf constant.
Every problem is one ``ValueError`` naming the file.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from typing import Any

# A model file nests two levels (the document, its "parameters"); a little room
# for fields added later, and far below where the parser would recurse deeply.
_MAX_DEPTH = 8
_MAX_DIGITS = 400  # digits of an integer literal (a float's are not limited)


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Replace the file at ``path`` with ``text`` in one step (see the module docstring)."""
    shown = os.fspath(path)
    target = os.path.realpath(shown)  # through symlinks: replace the target, keep the link
    directory = os.path.dirname(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None  # a new file: the umask decides, as for open()
    except OSError as e:
        raise _renamed(e, shown) from None
    tmp = None
    try:
        fd, tmp = _create_beside(directory)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            if mode is not None:
                os.fchmod(f.fileno(), mode)
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        tmp = None
        _sync_directory(directory)
    except OSError as e:
        raise _renamed(e, shown) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _create_beside(directory: str) -> tuple[int, str]:
    """A new temporary file in ``directory``, mode 0o666 less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = os.path.join(directory, f".chaingrad-{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name in {directory!r}")


def _sync_directory(directory: str) -> None:
    """fsync the directory, so that the rename is on disk (POSIX; a no-op where
    directories cannot be opened, as on Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _renamed(e: OSError, path: str) -> OSError:
    """The same error about ``path`` (not about a temporary file)."""
    return type(e)(e.errno, e.strerror or str(e), path)


def read_json_document(path: str | os.PathLike[str], cap: int) -> Any:
    """The JSON document in ``path``, read as described in the module docstring."""
    shown = os.fspath(path)
    with open(path, "rb") as f:
        raw = f.read(cap + 1)
    if len(raw) > cap:
        raise ValueError(
            f"{shown!r} is larger than {cap:,} bytes, more than a model file of this "
            "model can be (is it a model file?)"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"{shown!r} is not UTF-8 text (byte {e.start} is invalid)") from None
    depth = _nesting(text)
    if depth > _MAX_DEPTH:
        raise ValueError(f"{shown!r} is nested {depth} levels deep; a model file has 2")
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_int=_int,
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as e:
        raise ValueError(f"{shown!r} is not valid JSON (truncated or corrupted?): {e}") from None
    except _Refused as e:
        raise ValueError(f"{shown!r}: {e}") from None


class _Refused(ValueError):
    """Something the JSON parser accepts and a model file may not hold."""


def _nesting(text: str) -> int:
    """How deep ``[``/``{`` nest in ``text`` outside strings (an upper bound on
    the JSON's depth, computed without recursion, before the parser sees it)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > _MAX_DEPTH:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for key, value in pairs:
        if key in doc:
            raise _Refused(f"duplicate key {key!r}")
        doc[key] = value
    return doc


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > _MAX_DIGITS:
        raise _Refused(f"a number with {len(digits.lstrip('-')):,} digits")
    return int(digits)


def _reject_constant(name: str) -> float:
    raise _Refused(f"non-finite number {name} (JSON numbers must be finite)")
