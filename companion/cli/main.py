"""The ``companion`` command line: every feature, headless, for scripts, tutors and tests.

It behaves like a Unix tool: a mistyped command is named with a suggestion, output that
came from files is printed with its control characters escaped, a closed pipe ends it
quietly, and every expected failure is one line on stderr with the documented exit status
(0 done, 1 problems found or a change refused, 2 usage or bad input).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path

from companion import __version__
from companion.cli.parser import COMMANDS, build_parser, command_names
from companion.errors import CompanionError, Interrupted
from companion.portfolio.layout import PROFILE_FILE
from companion.startup import started
from companion.text.terminal import SafeStream, safe_line

EXIT_PIPE_CLOSED = 141
"""128 + SIGPIPE: what a Unix tool whose reader went away exits with."""
WITHOUT_COLLECTION = frozenset(
    {
        "portfolio:cmd_status",
        "portfolio:cmd_check",
        "notes:cmd_notes",
        "notes:cmd_acknowledge",
        "tagging:cmd_tag",
        "tagging:cmd_untag",
        "search:cmd_search",
        "writing:cmd_cite",
        "writing:cmd_words",
        "writing:cmd_links",
        "gateway:cmd_gateway",
        "export:cmd_export_matrix",
    }
)
"""The commands that run to the end with the cyclic garbage collector still paused.

They read the notes' records and print: they make many objects that live until the command
ends and next to no cyclic garbage, so the collector only walks them again and again (at
10,000 notes a final collection after ``check`` finds under 500 objects and the peak memory
is the same; ``notes`` takes a fifth less CPU without it, ``check`` the same now that the
records themselves are outside the collector). Commands that build documents (the bundle,
PDFs) or run the app get collection back once their handler is loaded: a bundle leaves
thousands of cycles."""


def handler(spec: str) -> Callable[[argparse.Namespace], int]:
    """The function a ``"module:function"`` handler name in the parser stands for."""
    module, name = spec.split(":")
    command: Callable[[argparse.Namespace], int] = getattr(
        import_module(f"companion.cli.{module}"), name
    )
    return command


def _run_app(portfolio: Path | None, args: argparse.Namespace) -> int:
    from companion.cli.common import CommandError, content_folder
    from companion.portfolio.recent import last_opened
    from companion.ui.app import make_app

    if portfolio is None:
        portfolio = Path.cwd() if (Path.cwd() / PROFILE_FILE).is_file() else last_opened()
    elif not portfolio.is_dir():
        raise CommandError(f"{portfolio} is not a folder; give a portfolio folder")
    elif not (portfolio / PROFILE_FILE).is_file():
        raise CommandError(
            f"{portfolio} has no {PROFILE_FILE}; run 'companion init {portfolio}' "
            "first, or 'companion demo' to try the example"
        )
    app = make_app(portfolio, content_folder(args))
    started(long_lived=True)
    app.run()
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    """Open the app on a portfolio (the last one, or this folder's, when none is named)."""
    return _run_app(Path(args.portfolio) if args.portfolio else None, args)


def cmd_demo(args: argparse.Namespace) -> int:
    """Open the app on a fresh copy of the bundled example portfolio."""
    from companion.cli.common import CommandError, open_content
    from companion.portfolio.example import copy_example

    if args.copy:
        target = Path(args.copy)
        if target.exists():
            raise CommandError(f"{target} already exists; give a new folder to copy into")
        print(copy_example(target))
        return 0
    open_content(args)  # a broken --content folder is reported before anything is copied
    return _run_app(copy_example(), args)


def _route(argv: list[str]) -> list[str]:
    """Make ``companion PORTFOLIO`` mean ``companion open PORTFOLIO``, without letting a
    mistyped command pass for a folder name."""
    commands = command_names()
    if not argv:
        return ["open"]
    first = argv[0]
    if first in commands:
        return _default_sub(argv)
    if first.startswith("-"):
        return argv
    if os.path.lexists(first):
        return ["open", *argv]
    import difflib  # only for a mistyped command

    from companion.cli.common import CommandError

    close = difflib.get_close_matches(first, commands, n=1, cutoff=0.6)
    if close:
        raise CommandError(f"unknown command '{first}'; did you mean 'companion {close[0]}'?")
    if os.sep in first or first.startswith(("~", ".")):
        return ["open", *argv]  # a path, which open reports as missing
    raise CommandError(
        f"unknown command '{first}' (commands: {', '.join(commands)}); "
        "to open a portfolio, give the path of its folder"
    )


def _default_sub(argv: list[str]) -> list[str]:
    """``companion otj PORTFOLIO`` means ``companion otj show PORTFOLIO``: a command with a
    default sub-command takes it when the next word is not one of its own (or help)."""
    command = next(c for c in COMMANDS if c.name == argv[0])
    if not command.default or len(argv) < 2:
        return argv
    if argv[1] in {sub.name for sub in command.subcommands} or argv[1] in ("-h", "--help"):
        return argv
    return [argv[0], command.default, *argv[1:]]


def _dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    spec = getattr(args, "handler", None)
    if spec is None:
        parser.print_help()
        return 0
    command = handler(spec)
    if spec not in WITHOUT_COLLECTION:
        started()
    return command(args)


def _closed_pipe() -> int:
    """Stdout's reader is gone: send what is left nowhere so the exit itself stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())  # type: ignore[union-attr]
    except (OSError, AttributeError, ValueError):
        pass
    return EXIT_PIPE_CLOSED


def _os_error(exc: OSError) -> str:
    """One line naming the file and what the system said of it."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    name = exc.filename if exc.filename is not None else ""
    return f"{safe_line(str(name))}: {reason}" if name != "" else reason


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``companion`` console script."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)
    try:
        words = _route(list(sys.argv[1:] if argv is None else argv))
        if words == ["--version"]:  # as argparse prints it and exits, without the parser
            print(f"companion {__version__}")
            raise SystemExit(0)
        known = words[0] if words and words[0] in command_names() else None
        parser = build_parser(only=known, shallow=words in (["--help"], ["-h"]))
        args = parser.parse_args(words)
        code = _dispatch(args, parser)
        sys.stdout.flush()
        return code
    except CompanionError as exc:
        print(f"companion: {exc.message}", file=sys.stderr)
        return exc.exit_status
    except BrokenPipeError:
        return _closed_pipe()
    except OSError as exc:  # a folder or file the system will not let companion use
        print(f"companion: {_os_error(exc)}", file=sys.stderr)
        return 2
    except Interrupted as exc:
        print(f"companion: {exc.message}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        return 130
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _closed_pipe()
        sys.stdout, sys.stderr = out, err


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
